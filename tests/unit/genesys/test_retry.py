"""The retry rules for platform calls (genesys/retry.py), with real coroutines that
fail the way the platform does."""

from __future__ import annotations

import asyncio

import pytest

from mediagate.genesys.errors import PlatformError
from mediagate.genesys.retry import (
    RateLimit,
    RetriesExhausted,
    RetryPolicy,
    poll_delays,
    with_retries,
)


class Script:
    """Answers each attempt with the next outcome: an error to raise or a value to return."""

    def __init__(self, *outcomes: object) -> None:
        self.outcomes = list(outcomes)
        self.attempts = 0
        self.logins = 0
        self.rechecks = 0

    async def attempt(self) -> object:
        self.attempts += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def login(self) -> None:
        self.logins += 1


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_a_401_logs_in_again_once_then_retries() -> None:
    script = Script(PlatformError("op", 401), "ok")
    assert run(with_retries(script.attempt, RetryPolicy(5), script.login)) == "ok"
    assert (script.attempts, script.logins) == (2, 1)


def test_a_second_401_after_logging_in_again_is_final() -> None:
    script = Script(PlatformError("op", 401), PlatformError("op", 401))
    with pytest.raises(PlatformError) as caught:
        run(with_retries(script.attempt, RetryPolicy(5), script.login))
    assert caught.value.status == 401
    assert script.logins == 1


@pytest.mark.parametrize("status", [400, 403, 404, 409])
def test_client_errors_are_not_retried(status: int) -> None:
    script = Script(PlatformError("op", status))
    with pytest.raises(PlatformError):
        run(with_retries(script.attempt, RetryPolicy(5), script.login))
    assert script.attempts == 1


def test_a_429_waits_its_retry_after() -> None:
    script = Script(PlatformError("op", 429, retry_after=0.05), "ok")
    loop_time: list[float] = []

    async def go() -> object:
        start = asyncio.get_running_loop().time()
        result = await with_retries(script.attempt, RetryPolicy(5), script.login)
        loop_time.append(asyncio.get_running_loop().time() - start)
        return result

    assert run(go()) == "ok"
    assert loop_time[0] >= 0.05


def test_a_retry_after_past_the_budget_gives_up_at_once() -> None:
    script = Script(PlatformError("op", 429, retry_after=3600))
    with pytest.raises(RetriesExhausted) as caught:
        run(with_retries(script.attempt, RetryPolicy(1), script.login))
    assert caught.value.last.status == 429
    assert script.attempts == 1


def test_5xx_backs_off_until_the_budget_is_spent() -> None:
    script = Script(*[PlatformError("op", 503)] * 10)
    with pytest.raises(RetriesExhausted):
        run(with_retries(script.attempt, RetryPolicy(1.6), script.login))
    # Waits of 0.5 and 1.0 fit in 1.6 s; the next (2.0) would not.
    assert script.attempts == 3


def test_a_send_that_may_have_happened_is_rechecked_not_repeated() -> None:
    script = Script(PlatformError("op", 500, maybe_done=True), "sent twice!")

    async def recheck() -> object:
        script.rechecks += 1
        return "found"

    assert run(with_retries(script.attempt, RetryPolicy(5), script.login, recheck)) == "found"
    assert (script.attempts, script.rechecks) == (1, 1)


def test_a_recheck_that_finds_nothing_lets_the_call_be_made_again() -> None:
    script = Script(PlatformError("op", 0, maybe_done=True), "sent")

    async def recheck() -> object:
        script.rechecks += 1
        return None

    assert run(with_retries(script.attempt, RetryPolicy(5), script.login, recheck)) == "sent"
    assert (script.attempts, script.rechecks) == (2, 1)


def test_poll_delays_start_at_one_second_double_and_stop_at_five() -> None:
    delays = poll_delays()
    assert [next(delays) for _ in range(6)] == [1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_the_rate_limit_lets_a_burst_through_then_paces() -> None:
    async def go() -> float:
        limit = RateLimit(rate=50.0, burst=5)
        loop = asyncio.get_running_loop()
        for _ in range(5):
            await limit.take()
        start = loop.time()
        for _ in range(5):
            await limit.take()
        return loop.time() - start

    # Five more tokens at 50 a second take about 0.1 s: paced, not refused.
    assert run(go()) >= 0.08
