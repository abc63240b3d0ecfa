"""The delivery ledger (store/deliveries.py, store/pg_deliveries.py) on each backend."""

from __future__ import annotations

from mediagate.store.deliveries import (
    DeliveryMethod,
    DeliveryRecord,
    DeliveryState,
    Failure,
    FailureReason,
    Sender,
    new_delivery_id,
)
from tests.unit.store.conftest import NewDeliveries


def delivery(
    key: str, attachment: str = "a" * 32, conversation: str = "c1", at: float = 1.0
) -> DeliveryRecord:
    return DeliveryRecord(
        id=new_delivery_id(at),
        tenant="t",
        attachment_id=attachment,
        conversation_id=conversation,
        method=DeliveryMethod.OPEN_MESSAGING,
        text="hello",
        idempotency_key=key,
        state=DeliveryState.PENDING,
        create_time=at,
        update_time=at,
        history=((DeliveryState.PENDING, at),),
        sender=Sender("guest-1", "Opaque", "Ann"),
    )


def test_a_repeated_key_returns_the_first_delivery(new_deliveries: NewDeliveries) -> None:
    ledger = new_deliveries()
    first, created = ledger.insert(delivery("k"))
    again, created_again = ledger.insert(delivery("k", conversation="other"))
    assert created and not created_again
    assert again == first
    # Keys are per tenant.
    other = delivery("k")
    other = DeliveryRecord(**{**other.__dict__, "tenant": "u"})
    assert ledger.insert(other)[1]


def test_every_field_survives_a_reopen(new_deliveries: NewDeliveries) -> None:
    ledger = new_deliveries()
    record, _ = ledger.insert(delivery("k"))
    moved = (
        record.with_progress(2.0, message_id="m1", intent="inbound")
        .moved_to(DeliveryState.SUBMITTED, 2.0)
        .moved_to(
            DeliveryState.FAILED,
            3.0,
            failure=Failure(FailureReason.PLATFORM_REJECTED, "no", "MediaTypeNotAllowed", 400),
        )
    )
    ledger.save(moved)
    ledger.close()
    reopened = new_deliveries()
    assert reopened.get("t", record.id) == moved
    assert reopened.get("other-tenant", record.id) is None
    assert reopened.get_any(record.id) == moved
    assert [s for s, _ in moved.history] == [
        DeliveryState.PENDING,
        DeliveryState.SUBMITTED,
        DeliveryState.FAILED,
    ]


def test_progress_keys_set_to_none_are_removed() -> None:
    record = delivery("k").with_progress(2.0, intent="media", media_id="x")
    assert record.with_progress(3.0, intent=None).progress == {"media_id": "x"}


def test_unfinished_are_the_non_final_oldest_first(new_deliveries: NewDeliveries) -> None:
    ledger = new_deliveries()
    done, _ = ledger.insert(delivery("a", at=1.0))
    ledger.save(done.moved_to(DeliveryState.DELIVERED, 2.0))
    waiting, _ = ledger.insert(delivery("b", at=2.0))
    uploading, _ = ledger.insert(delivery("c", at=3.0))
    ledger.save(uploading.moved_to(DeliveryState.UPLOADING, 4.0))
    assert [r.id for r in ledger.unfinished()] == [waiting.id, uploading.id]


def test_pages_by_attachment_or_conversation_newest_first(new_deliveries: NewDeliveries) -> None:
    ledger = new_deliveries()
    ids = [
        ledger.insert(delivery(str(i), conversation=f"c{i % 2}", at=float(i)))[0].id
        for i in range(1, 6)
    ]
    by_attachment = ledger.list_page("t", "a" * 32, "", "", 3)
    assert [r.id for r in by_attachment] == ids[::-1][:3]
    rest = ledger.list_page("t", "a" * 32, "", by_attachment[-1].id, 3)
    assert [r.id for r in rest] == ids[::-1][3:]
    assert [r.id for r in ledger.list_page("t", "", "c1", "", 10)] == [ids[4], ids[2], ids[0]]
