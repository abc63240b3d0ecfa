from __future__ import annotations

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.reasons import Finding, Reason
from mediagate.v1 import reasons_pb2


def test_python_error_reasons_and_proto_enum_are_the_same_vocabulary() -> None:
    proto = {
        name.removeprefix("ERROR_REASON_")
        for name in reasons_pb2.ErrorReason.DESCRIPTOR.values_by_name
        if name != "ERROR_REASON_UNSPECIFIED"
    }
    assert proto == {r.value for r in ErrorReason}


def test_a_rejection_needs_a_finding_and_leads_with_the_first() -> None:
    rejected = Rejected([Finding(Reason.EMPTY, "empty"), Finding(Reason.TOO_LARGE, "big")])
    assert str(rejected) == "empty"
    try:
        Rejected([])
    except ValueError:
        pass
    else:
        raise AssertionError("a rejection without findings was accepted")


def test_metadata_values_are_cut_to_an_echoable_length() -> None:
    error = MediagateError(ErrorReason.INVALID_NAME, "bad", {"name": "x" * 1000, "short": "ok"})
    assert len(error.metadata["name"]) == 256 and error.metadata["name"].endswith("…")
    assert error.metadata["short"] == "ok"
