"""Deliveries survive a server that is SIGKILLed mid-way: each resumes at the next start from
its last confirmed step and ends DELIVERED exactly once (the platform holds one message).

Kill 1: one delivery's PUT is in flight (UPLOADING) and another's inbound Open Messaging post
is in flight (the platform has not answered). Kill 2: a delivery's media is uploaded and the
server waits for the platform to call it valid.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mediagate.v1 import delivery_pb2 as dpb
from tests.fakes.genesys import FakeGenesysThread
from tests.integration.test_deliveries import (
    OPEN,
    deliver,
    finished,
    genesys_env,
    photo,
    state,
    states,
    wait_for,
)
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually


@pytest.fixture
def fake() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread() as running:
        yield running


def test_deliveries_resume_after_sigkill_and_end_delivered_once(
    fake: FakeGenesysThread, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = tmp_path_factory.mktemp("restarts") / "data"
    env = genesys_env(fake)
    uploading = fake.add_conversation()
    posting = fake.add_conversation(from_id="guest-restart")
    waiting = fake.add_conversation()

    server = ServerProcess(data, env).start()
    stub = server.stub()
    # Kill 1: a PUT and an inbound post, each held by the platform for far longer than the test.
    fake.slow("put_upload", 300.0)
    fake.slow("inbound_open_message", 300.0)
    first = deliver(stub, photo(stub), uploading)
    second = deliver(stub, photo(stub, "receipt.jpg"), posting, OPEN)
    wait_for(stub, first.name, "UPLOADING")
    eventually(lambda: fake.count("put_upload") == 0 and _in_flight(fake, "/uploads/"))
    eventually(lambda: _in_flight(fake, "/inbound/open/message"))
    server.kill()

    server = ServerProcess(data, env).start()
    stub = server.stub()
    for delivery in (first, second):
        final = finished(stub, delivery)
        assert final.state == state("DELIVERED"), final.failure
    assert states(finished(stub, first)) == ["PENDING", "UPLOADING", "VALIDATED", "DELIVERED"]
    assert states(finished(stub, second)) == [
        "PENDING",
        "SUBMITTED",
        "FETCHING",
        "VALIDATED",
        "DELIVERED",
    ]
    assert len(fake.messages(uploading.id)) == 1
    assert len(fake.messages(posting.id)) == 1

    # Kill 2: the media is on the platform; the server is waiting for it to be called valid.
    fake.media_valid_after(8.0)
    third = deliver(stub, photo(stub, "third.jpg"), waiting)
    puts_before = fake.count("put_upload", 200)
    eventually(lambda: fake.count("put_upload", 200) == puts_before + 1)
    media_checks = fake.count("get_media")
    eventually(lambda: fake.count("get_media") > media_checks)  # it is polling: kill it now
    assert stub.GetDelivery(dpb.GetDeliveryRequest(name=third.name)).state == state("UPLOADING")
    uploads_before = fake.count("create_media_upload")
    server.kill()

    server = ServerProcess(data, env).start()
    stub = server.stub()
    final = finished(stub, third)
    assert final.state == state("DELIVERED"), final.failure
    # Resumed from its last confirmed step: no second upload, no second PUT, one message.
    assert fake.count("create_media_upload") == uploads_before
    assert fake.count("put_upload", 200) == puts_before + 1
    assert len(fake.messages(waiting.id)) == 1
    assert "resumed 1 unfinished deliveries" in "".join(server.log)
    server.terminate()


def _in_flight(fake: FakeGenesysThread, path: str) -> bool:
    """The fake has received a request for `path` that it has not answered yet (it logs a call
    when it answers)."""
    return fake.call(lambda: any(path in p for p in fake.fake.state.in_flight))
