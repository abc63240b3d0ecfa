"""Real servers on the PostgreSQL catalog (MEDIAGATE_CATALOG_BACKEND=postgres): two replicas
as they are deployed, each with a data directory of its own, sharing one PostgreSQL database,
one S3 bucket (SeaweedFS) and one URL signing key, so what one stores the other reads, lists,
deletes and counts against the tenant's quota."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import psycopg
import pytest

from mediagate.client import error_details
from mediagate.v1 import attachment_service_pb2 as pb
from tests.support.calls import download, upload
from tests.support.seaweed import SeaweedS3
from tests.support.server_process import ServerProcess

QUOTA = 3


@pytest.fixture
def replicas(
    tmp_path: Path, postgres_dsn: str, seaweed: SeaweedS3
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    env = {
        **seaweed.env(seaweed.new_bucket()),
        "MEDIAGATE_URL_SIGNING_KEYS": f"k1:{base64.b64encode(bytes(range(32))).decode()}",
        "MEDIAGATE_CATALOG_BACKEND": "postgres",
        "MEDIAGATE_POSTGRES_DSN": postgres_dsn,
        "MEDIAGATE_POSTGRES_POOL_SIZE": "4",
        "MEDIAGATE_QUOTA_ATTACHMENTS": str(QUOTA),
        "MEDIAGATE_MIN_FREE_BYTES": "0",
        # No previews or voice here: one worker each starts sooner.
        "MEDIAGATE_RENDER_WORKERS": "1",
        "MEDIAGATE_VOICE_WORKERS": "1",
    }
    servers = (ServerProcess(tmp_path / "one", env), ServerProcess(tmp_path / "other", env))
    try:
        with ThreadPoolExecutor(2) as starting:  # together: as replicas start, and sooner
            list(starting.map(ServerProcess.start, servers))
        yield servers
    finally:
        for server in servers:
            server.__exit__()


def test_replicas_share_the_catalog(
    replicas: tuple[ServerProcess, ServerProcess], postgres_dsn: str, tmp_path: Path
) -> None:
    one, other = replicas[0].stub(), replicas[1].stub()
    assert "catalog=postgres(127.0.0.1:" in "".join(replicas[0].log)
    conversation = f"c-{uuid.uuid4().hex}"
    uploaded = [
        upload(one, f"file {i}\n".encode(), f"f{i}.txt", conversation_id=conversation)
        for i in range(2)
    ]
    keyed = upload(other, b"keyed\n", "k.txt", conversation_id=conversation, idempotency_key="k")
    # The same key again, on the other replica: the first upload, nothing new.
    assert (
        upload(one, b"keyed\n", "k.txt", conversation_id=conversation, idempotency_key="k") == keyed
    )

    # What one replica stored, the other reads.
    for attachment in uploaded:
        got = other.GetAttachment(pb.GetAttachmentRequest(name=attachment.name), timeout=10)
        assert got == attachment
    assert download(other, uploaded[0].name) == b"file 0\n"

    # Pages, newest first, through either replica.
    names: list[str] = []
    token = ""
    while True:
        page = other.ListAttachments(
            pb.ListAttachmentsRequest(conversation_id=conversation, page_size=2, page_token=token),
            timeout=10,
        )
        names += [a.name for a in page.attachments]
        token = page.next_page_token
        if not token:
            break
    assert names == [keyed.name, uploaded[1].name, uploaded[0].name]

    # The quota counts every replica's rows: the fourth attachment is refused on either.
    with pytest.raises(grpc.RpcError) as refused:
        upload(one, b"one too many\n", "x.txt")
    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED  # type: ignore[attr-defined]
    assert [d.reason for d in error_details(refused.value)] == ["QUOTA_EXCEEDED"]

    # Deleted through one replica: gone for the other, and room made again.
    other.DeleteAttachment(pb.DeleteAttachmentRequest(name=uploaded[0].name), timeout=10)
    with pytest.raises(grpc.RpcError) as missing:
        one.GetAttachment(pb.GetAttachmentRequest(name=uploaded[0].name), timeout=10)
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND  # type: ignore[attr-defined]
    upload(one, b"fits again\n", "y.txt")

    # The rows are PostgreSQL's, not an embedded catalog's.
    for data in ("one", "other"):
        assert not (tmp_path / data / "catalog.sqlite3").exists()
    with psycopg.connect(postgres_dsn) as conn:
        (count,) = conn.execute("SELECT COUNT(*) FROM attachments").fetchone() or (0,)
        (counted,) = conn.execute("SELECT SUM(attachments) FROM tenant_usage").fetchone() or (0,)
    assert count == counted == QUOTA
