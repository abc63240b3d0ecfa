"""ListAttachments holds under abuse, against a live server: rows carrying the most labels a
header allows, listed 1000 at a time, come back in pages that each fit one message, and
paging on visits every row once."""

from __future__ import annotations

import uuid

from mediagate.intake.header import MAX_LABEL_KEY_BYTES, MAX_LABEL_VALUE_BYTES, MAX_LABELS
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.support.calls import upload
from tests.support.server_process import ServerProcess

# The server's grpc.max_send_message_length with default settings (config.py).
SEND_LIMIT = 1024 * 1024 + 256 * 1024
ROWS = 150  # ~21 KiB each: about 60 fit one message


def heaviest_labels(row: int) -> dict[str, str]:
    """64 labels, keys of 63 bytes and values of 255, all distinct (nothing compresses away)."""
    return {
        f"{row:04d}-{n:02d}-".ljust(MAX_LABEL_KEY_BYTES, "k"): f"{row}:{n}:".ljust(
            MAX_LABEL_VALUE_BYTES, "v"
        )
        for n in range(MAX_LABELS)
    }


def list_all(
    stub: pb_grpc.AttachmentServiceStub, conversation: str, page_size: int
) -> list[pb.ListAttachmentsResponse]:
    pages = []
    token = ""
    while True:
        request = pb.ListAttachmentsRequest(
            conversation_id=conversation, page_size=page_size, page_token=token
        )
        page = stub.ListAttachments(request, timeout=60)
        pages.append(page)
        token = page.next_page_token
        if not token:
            return pages
        assert len(pages) < ROWS, "paging does not advance"


def test_pages_of_the_heaviest_rows_fit_and_visit_every_row_once(server: ServerProcess) -> None:
    stub = server.stub()
    conversation = f"labels-{uuid.uuid4().hex}"
    uploaded = [
        upload(
            stub,
            f"row {row}\n".encode(),
            f"row-{row}.txt",
            conversation_id=conversation,
            labels=heaviest_labels(row),
        ).name
        for row in range(ROWS)
    ]
    pages = list_all(stub, conversation, page_size=1000)
    assert len(pages) > 1  # page_size rows would not have fit one message
    for page in pages:
        assert page.ByteSize() <= SEND_LIMIT
        assert page.attachments  # every page makes progress
        assert all(
            dict(a.labels) == heaviest_labels(int(a.file_name[4:-4])) for a in page.attachments
        )
    names = [a.name for page in pages for a in page.attachments]
    assert len(names) == len(set(names)) == ROWS  # none repeated, none skipped
    assert names == list(reversed(uploaded))  # newest first, across page boundaries
    # A page size under the cut is honoured as before.
    small = list_all(stub, conversation, page_size=40)
    assert [len(p.attachments) for p in small] == [40, 40, 40, 30]
    assert [a.name for p in small for a in p.attachments] == names
