"""A ListAttachments page is cut where its serialized size would pass the budget; its token
continues right after the last row it holds."""

from __future__ import annotations

from dataclasses import replace

from mediagate.api import page_tokens
from mediagate.api.convert import list_response
from mediagate.intake.header import MAX_LABEL_KEY_BYTES, MAX_LABEL_VALUE_BYTES, MAX_LABELS
from tests.unit.store.test_store import record

CONVERSATION = "c" * 128
LABELS = {
    f"{n:02d}".ljust(MAX_LABEL_KEY_BYTES, "k"): "é" * (MAX_LABEL_VALUE_BYTES // 2)
    for n in range(MAX_LABELS)
}


def rows(count: int) -> list:  # type: ignore[type-arg]
    base = replace(record("0" * 32, "a" * 64, conversation=CONVERSATION, expire=2e9), labels=LABELS)
    return [replace(base, id=f"{count - n:032x}", file_name="f" * 255) for n in range(count)]


def token_for(before_id: str) -> str:
    return page_tokens.encode(before_id, CONVERSATION)


def test_a_page_is_cut_before_the_budget_and_continues_after_its_last_row() -> None:
    page = rows(100)
    budget = 200_000
    response = list_response(page, "", token_for, budget)
    assert response.ByteSize() <= budget
    held = len(response.attachments)
    assert 0 < held < 100
    assert response.next_page_token == token_for(page[held - 1].id)
    # One row more would not have fit.
    fuller = list_response(page, "", token_for, 10**9)
    del fuller.attachments[held + 1 :]
    fuller.next_page_token = token_for(page[held].id)
    assert fuller.ByteSize() > budget


def test_a_page_that_fits_is_whole_and_keeps_its_own_token() -> None:
    page = rows(5)
    response = list_response(page, "next-id", token_for, 10**6)
    assert [a.name for a in response.attachments] == [r.name for r in page]
    assert response.next_page_token == token_for("next-id")
    last = list_response(page, "", token_for, 10**6)
    assert last.next_page_token == ""


def test_the_budget_holds_to_the_byte() -> None:
    """The sizes are exact: for every budget the response fits it, and is never cut when the
    whole page fits."""
    page = rows(6)
    whole = list_response(page, "", token_for, 10**9).ByteSize()
    one_row = list_response(page[:1], "x" * 32, token_for, 10**9).ByteSize()
    for budget in range(one_row, whole + 2, 97):
        response = list_response(page, "", token_for, budget)
        assert response.ByteSize() <= budget
        assert (len(response.attachments) == 6) == (budget >= whole)


def test_a_page_always_holds_its_first_row() -> None:
    response = list_response(rows(3), "", token_for, 10)
    assert len(response.attachments) == 1 and response.next_page_token
