"""Replicas sharing PostgreSQL (MEDIAGATE_CATALOG_BACKEND=postgres) share the work: real server
processes, each with a data directory of its own, one PostgreSQL database, one S3 bucket
(SeaweedFS) and one URL signing key, against the Genesys Cloud fake.

- A delivery runs on the replica that took it; when that replica is SIGKILLed mid-way, another
  takes it over once its lease expires and it ends DELIVERED exactly once (the conversation
  holds one message).
- The Genesys event worker runs on one replica (the holder of an advisory lock); when it is
  SIGKILLed, another takes over the notifications and imports what guests send next.
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
from tests.integration.test_deliveries import deliver, finished, genesys_env, photo, state, states
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


def test_a_killed_replicas_delivery_finishes_on_another_exactly_once(
    fake: FakeGenesysThread, tmp_path: Path, postgres_dsn: str, seaweed: SeaweedS3
) -> None:
    a, b = start_two(tmp_path, {**genesys_env(fake), **shared_env(postgres_dsn, seaweed)})
    try:
        conversation = fake.add_conversation()
        attachment = photo(a.stub())
        # The platform holds A's PUT far longer than the test: A dies with it in flight.
        fake.slow("put_upload", 300.0)
        delivery = deliver(a.stub(), attachment, conversation)
        # Watched on B while A runs it: B sees A's progress in the shared ledger.
        for update in b.stub().WatchDelivery(
            dpb.WatchDeliveryRequest(name=delivery.name), timeout=60
        ):
            if update.state == state("UPLOADING"):
                break
        eventually(lambda: _in_flight(fake, "/uploads/"))
        assert fake.count("create_media_upload") == 1
        a.kill()
        killed = time.monotonic()

        b.wait_for_log(rf"delivery {delivery.name.split('/')[1]} claimed", timeout=30)
        claimed = time.monotonic() - killed
        final = finished(b.stub(), delivery)
        delivered = time.monotonic() - killed
        print(
            f"\ntakeover: claimed by B {claimed:.2f}s after A's SIGKILL "
            f"(lease {LEASE_SECONDS:g}s, renewed every {LEASE_SECONDS / 3:g}s); "
            f"DELIVERED {delivered:.2f}s after it"
        )
        assert final.state == state("DELIVERED"), final.failure
        assert states(final) == ["PENDING", "UPLOADING", "VALIDATED", "DELIVERED"]
        # A's lease had to expire first, and B looks every third of a lease.
        assert LEASE_SECONDS * 0.5 <= claimed <= LEASE_SECONDS * 2 + 5
        # Exactly once: one message, holding the media of B's upload (A's was abandoned).
        messages = fake.messages(conversation.id)
        assert len(messages) == 1
        assert fake.count("create_media_upload") == 2
        assert fake.count("put_upload", 200) == 1
        assert fake.count("send_message", 200) == 1
    finally:
        a.__exit__()
        b.__exit__()


def test_the_event_worker_runs_on_one_replica_and_moves_when_it_dies(
    fake: FakeGenesysThread, tmp_path: Path, postgres_dsn: str, seaweed: SeaweedS3
) -> None:
    env = {**inbound_env(fake), **shared_env(postgres_dsn, seaweed)}
    servers = start_two(tmp_path, env)
    try:
        eventually(lambda: any(_leads(s) for s in servers), within=30)
        fake.wait_subscribed(TOPIC, within=30)
        (leader,) = [s for s in servers if _leads(s)]
        (other,) = [s for s in servers if s is not leader]
        # The other replica started too and tried the lock: one channel, the leader's.
        assert fake.count("create_channel") == 1
        leader.kill()
        killed = time.monotonic()
        other.wait_for_log(LEADER, timeout=30)
        took_over = time.monotonic() - killed
        eventually(lambda: fake.count("create_channel") == 2, within=30)
        fake.wait_subscribed(TOPIC, within=30)
        subscribed = time.monotonic() - killed
        print(
            f"\nevent worker: lock taken by the other replica {took_over:.2f}s after the "
            f"leader's SIGKILL, subscribed {subscribed:.2f}s after it"
        )
        # What a guest sends now is imported by the new leader.
        conv = fake.add_conversation()
        item = fake.host_media(images.jpeg(320, 240), "image/jpeg", "after.jpg")
        fake.emit_inbound_media(conv, [item], topic=TOPIC)
        items = wait_items(fake, conv, 1)
        assert [i["verdict"] for i in items.values()] == ["accepted"]
        (imported,) = imports_of(other.stub(), conv.id)
        assert imported.attachment
    finally:
        for server in servers:
            server.__exit__()


def _leads(server: ServerProcess) -> bool:
    return any(LEADER in line for line in server.log)
