"""The durable inbox (store/inbox.py, store/pg_inbox.py) on each backend."""

from __future__ import annotations

from dataclasses import replace

from mediagate.store.inbox import ImportRecord, ImportSource, ImportState
from tests.support.waiting import eventually
from tests.unit.store.conftest import NewInbox


def _item(i: str, media_id: str = "", now: float = 100.0) -> ImportRecord:
    return ImportRecord(
        id=i,
        tenant="t",
        source=ImportSource.CONVERSATION_EVENT,
        state=ImportState.QUEUED,
        url="https://h/x",
        conversation_id="c",
        participant_id="p",
        platform_media_id=media_id or f"media-{i}",
        create_time=now,
        update_time=now,
        due_time=now,
        fetch_url="https://h/x?sig=1",
    )


def test_an_item_is_added_once_per_media_id(new_inbox: NewInbox) -> None:
    inbox = new_inbox()
    assert [r.id for r in inbox.add([_item("01"), _item("02")])] == ["01", "02"]
    assert inbox.add([_item("03", "media-01"), _item("04")]) == [_item("04")]
    assert inbox.counts() == {ImportState.QUEUED: 3}


def test_claims_take_due_items_oldest_first_and_count_attempts(new_inbox: NewInbox) -> None:
    inbox = new_inbox()
    inbox.add([_item("02"), _item("01"), replace(_item("00"), due_time=500.0)])
    first = inbox.claim(now=200.0)
    assert first is not None and (first.id, first.state, first.attempts) == (
        "01", ImportState.IMPORTING, 1,
    )  # fmt: skip
    second = inbox.claim(now=200.0)
    assert second is not None and second.id == "02"
    assert inbox.claim(now=200.0) is None
    assert inbox.next_due() == 500.0


def test_a_restart_requeues_interrupted_items_and_fails_api_ones(new_inbox: NewInbox) -> None:
    # On PostgreSQL the first process is a replica that dies: its leases expire (0.5 s), then
    # another's look finds its items.
    inbox = new_inbox(lease_seconds=0.5)
    api = replace(_item("09", media_id=""), source=ImportSource.API, platform_media_id="",
                  state=ImportState.IMPORTING)  # fmt: skip
    inbox.add([_item("01"), api])
    assert inbox.claim(now=200.0) is not None
    inbox.close()
    again = new_inbox()
    eventually(lambda: again.requeue_interrupted(now=300.0) == 1)
    requeued = again.get("t", "01")
    assert requeued is not None and requeued.state is ImportState.QUEUED
    assert requeued.attempts == 1
    failed = again.get("t", "09")
    assert failed is not None and failed.state is ImportState.FAILED
    assert failed.reason == "INTERRUPTED" and failed.fetch_url == ""


def test_final_items_forget_their_fetch_url_and_await_their_write_back(new_inbox: NewInbox) -> None:
    inbox = new_inbox()
    inbox.add([_item("01")])
    claimed = inbox.claim(now=200.0)
    assert claimed is not None
    inbox.save(claimed.ended(ImportState.ACCEPTED, 201.0, attachment_id="a" * 32))
    (unwritten,) = inbox.unwritten()
    assert unwritten.fetch_url == "" and unwritten.attachment_id == "a" * 32
    inbox.save(replace(unwritten, attributes_written=True))
    assert inbox.unwritten() == []
    assert [r.id for r in inbox.of_participant("t", "c", "p")] == ["01"]
    assert [r.id for r in inbox.list_page("t", "c", "", 10)] == ["01"]
    assert inbox.list_page("t", "other", "", 10) == []
