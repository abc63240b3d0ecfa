from __future__ import annotations

import pytest

from mediagate.inspect.facts import ArchiveFacts, Facts
from mediagate.media.declared import Declared
from mediagate.media.mime import DOC, PPT, XLS, ZIP
from mediagate.policy.decide import check_head_type, decide
from mediagate.policy.profiles import BUILT_IN, DOCUMENTS, WEB_MESSAGING
from mediagate.reasons import Reason

SHA = "a" * 64
LEGACY = [(DOC, "letter.doc"), (XLS, "sums.xls"), (PPT, "talk.ppt"), (ZIP, "photos.zip")]


def test_documents_is_built_in_and_widens_web_messaging() -> None:
    assert BUILT_IN["documents"] is DOCUMENTS
    assert DOCUMENTS.accepted_mime_types == WEB_MESSAGING.accepted_mime_types | {
        DOC,
        XLS,
        PPT,
        ZIP,
    }
    assert DOCUMENTS.max_size_bytes == 25 * 1024 * 1024


@pytest.mark.parametrize(("mime", "name"), LEGACY)
def test_documents_accepts_legacy_office_and_zip(mime: str, name: str) -> None:
    facts = Facts(mime, archive=ArchiveFacts(1, 10) if mime == ZIP else None)
    assert decide(facts, DOCUMENTS, Declared(name, mime), 100, SHA) == []
    assert check_head_type(mime, DOCUMENTS) is None


@pytest.mark.parametrize(("mime", "name"), LEGACY)
def test_web_messaging_still_refuses_them(mime: str, name: str) -> None:
    found = decide(Facts(mime), WEB_MESSAGING, Declared(name, ""), 100, SHA)
    assert [f.reason for f in found] == [Reason.UNSUPPORTED_TYPE]
    head = check_head_type(mime, WEB_MESSAGING)
    if mime == ZIP:
        assert head is None  # the head of a DOCX is a zip's too: the probe decides
    else:
        assert head is not None and head.reason == Reason.UNSUPPORTED_TYPE


def test_a_nameless_compound_file_may_still_become_an_office_type() -> None:
    assert check_head_type("application/x-ole-storage", DOCUMENTS) is None
    head = check_head_type("application/x-ole-storage", WEB_MESSAGING)
    assert head is not None and head.reason == Reason.UNSUPPORTED_TYPE


@pytest.mark.parametrize(
    ("declared", "name", "mime"),
    [("application/x-zip-compressed", "a.zip", ZIP), ("application/x-msexcel", "a.xls", XLS)],
)
def test_what_browsers_declare_is_no_mismatch(declared: str, name: str, mime: str) -> None:
    assert decide(Facts(mime), DOCUMENTS, Declared(name, declared), 100, SHA) == []
