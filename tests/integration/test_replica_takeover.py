"""Replicas sharing PostgreSQL (MEDIAGATE_CATALOG_BACKEND=postgres) share the work: real server
processes, each with a data directory of its own, one PostgreSQL database, one S3 bucket
(SeaweedFS) and one URL signing key, against the Genesys Cloud fake.

- A delivery runs on the replica that took it; when that replica is SIGKILLed mid-way, another
  takes it over once its lease expires and it ends DELIVERED exactly once (the conversation
  holds one message).
- The Genesys event worker runs on one replica (the holder of an advisory lock); when that
  replica is SIGKILLed, the other takes over the notifications and imports what guests send
  next.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mediagate.v1 import delivery_pb2 as dpb
from tests.fakes.genesys import FakeGenesysThread
from tests.integration.test_deliveries import deliver, finished, photo, state, states
from tests.integration.test_delivery_restarts import _in_flight
from tests.integration.test_inbound import TOPIC, imports_of, inbound_env, wait_items
from tests.samples import images
from tests.support.seaweed import SeaweedS3
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually

LEASE_SECONDS = 3.0
LEADER = r"leader: this replica runs the Genesys event worker now"


@pytest.fixture
def fake() -> Iterator[FakeGenesysThread]:
    with FakeGenesysThread() as running:
        running.heartbeat_every(1.0)
        yield running


def shared_env(postgres_dsn: str, seaweed: SeaweedS3) -> dict[str, str]:
    return {
        **seaweed.env(seaweed.new_bucket()),
        "MEDIAGATE_URL_SIGNING_KEYS": f"k1:{base64.b64encode(bytes(range(32))).decode()}",
        "MEDIAGATE_CATALOG_BACKEND": "postgres",
        "MEDIAGATE_POSTGRES_DSN": postgres_dsn,
        "MEDIAGATE_POSTGRES_POOL_SIZE": "4",
        "MEDIAGATE_LEASE_SECONDS": str(LEASE_SECONDS),
        "MEDIAGATE_MIN_FREE_BYTES": "0",
        "MEDIAGATE_RENDER_WORKERS": "1",
        "MEDIAGATE_VOICE_WORKERS": "1",
    }


def start_two(tmp_path: Path, env: dict[str, str]) -> tuple[ServerProcess, ServerProcess]:
    servers = (ServerProcess(tmp_path / "a", env), ServerProcess(tmp_path / "b", env))
    with ThreadPoolExecutor(2) as starting:
        list(starting.map(ServerProcess.start, servers))
    return servers


def test_a_killed_replicas_delivery_and_event_worker_move_to_the_other(
    fake: FakeGenesysThread, tmp_path: Path, postgres_dsn: str, seaweed: SeaweedS3
) -> None:
    """One pair of replicas for both takeovers (starting servers is most of the cost): the
    delivery runs on the replica that leads the event worker, and that one is killed."""
    servers = start_two(tmp_path, {**inbound_env(fake), **shared_env(postgres_dsn, seaweed)})
    try:
        eventually(lambda: any(_leads(s) for s in servers), within=30)
        fake.wait_subscribed(TOPIC, within=30)
        (a,) = [s for s in servers if _leads(s)]
        (b,) = [s for s in servers if s is not a]
        # B started too and tried the lock: one channel, A's.
        assert fake.count("create_channel") == 1

        conversation = fake.add_conversation()
        attachment = photo(a.stub())
        # The platform holds A's PUT far longer than the test: A dies with it in flight.
        fake.slow("put_upload", 300.0)
        delivery = deliver(a.stub(), attachment, conversation)
        # Watched on B while A runs it: B sees A's progress in the shared ledger.
        watched = dpb.WatchDeliveryRequest(name=delivery.name)
        for update in b.stub().WatchDelivery(watched, timeout=60):
            if update.state == state("UPLOADING"):
                break
        eventually(lambda: _in_flight(fake, "/uploads/"))
        assert fake.count("create_media_upload") == 1
        a.kill()
        killed = time.monotonic()

        b.wait_for_log(LEADER, timeout=30)
        led = time.monotonic() - killed
        b.wait_for_log(rf"delivery {delivery.name.split('/')[1]} claimed", timeout=30)
        claimed = time.monotonic() - killed
        final = finished(b.stub(), delivery)
        delivered = time.monotonic() - killed
        eventually(lambda: fake.count("create_channel") == 2, within=30)
        fake.wait_subscribed(TOPIC, within=30)
        subscribed = time.monotonic() - killed
        print(
            f"\nafter A's SIGKILL (lease {LEASE_SECONDS:g}s, renewed and looked for every "
            f"{LEASE_SECONDS / 3:g}s): B took the event lock at {led:.2f}s and was subscribed "
            f"at {subscribed:.2f}s; B claimed the delivery at {claimed:.2f}s, DELIVERED at "
            f"{delivered:.2f}s"
        )
        assert final.state == state("DELIVERED"), final.failure
        assert states(final) == ["PENDING", "UPLOADING", "VALIDATED", "DELIVERED"]
        # A's lease had to expire first, and B looks every third of a lease.
        assert LEASE_SECONDS * 0.5 <= claimed <= LEASE_SECONDS * 2 + 5
        # Exactly once: one message, with the media of B's upload (A's upload was abandoned).
        assert len(fake.messages(conversation.id)) == 1
        assert fake.count("create_media_upload") == 2
        assert fake.count("put_upload", 200) == 1
        assert fake.count("send_message", 200) == 1

        # What a guest sends now is imported by the new leader.
        guest = fake.add_conversation()
        item = fake.host_media(images.jpeg(320, 240), "image/jpeg", "after.jpg")
        fake.emit_inbound_media(guest, [item], topic=TOPIC)
        items = wait_items(fake, guest, 1)
        assert [i["verdict"] for i in items.values()] == ["accepted"]
        (imported,) = imports_of(b.stub(), guest.id)
        assert imported.attachment
    finally:
        for server in servers:
            server.__exit__()


def _leads(server: ServerProcess) -> bool:
    return any(LEADER in line for line in server.log)
