from mediagate.reasons import Reason
from mediagate.v1 import reasons_pb2


def test_python_reasons_and_proto_enum_are_the_same_vocabulary() -> None:
    proto = {
        name.removeprefix("REJECTION_REASON_")
        for name in reasons_pb2.RejectionReason.DESCRIPTOR.values_by_name
        if name != "REJECTION_REASON_UNSPECIFIED"
    }
    assert proto == {r.value for r in Reason}
