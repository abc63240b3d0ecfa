"""Three replicas as deployed (a data directory each, one PostgreSQL database, one S3 bucket on
SeaweedFS, one URL signing key), driven by several client threads at once: uploads through
one, previews, downloads and deletes through the others; then that one is SIGKILLed while
uploads to it are in flight, and the others carry on.

What a kill may and may not do. An upload the victim acknowledged (it returned an Attachment)
is in PostgreSQL and its bytes in the bucket, so a survivor serves it. An upload in flight
fails for its caller; what it leaves is either nothing, or, when the kill fell between the S3
PUT (store/s3_blobs.py prepare, done before the commit lock) and the catalog row, an object
no row references: an orphan. Or, when the kill fell after the commit but before the answer
reached the caller, the whole attachment, which is fine: stored whole, just never confirmed.

Why CleanOrphans (usecases/admin.py) and not the retention sweep removes those orphans: the
sweep walks catalog rows whose retention has passed and deletes them with their bytes; an
object without a row is invisible to it. CleanOrphans walks the bucket and removes what no
row references. min_age 0 is safe while survivors take uploads: remove_orphan_blob checks the
references again under the catalog's blob guard (a PostgreSQL advisory lock every replica's
commit also holds), and a commit whose prepared object was taken meanwhile uploads it again
in adopt. (A killed replica's start-up recovery would not do it either: on shared blobs it
spares orphans younger than an hour, which may be another replica's upload in progress.)

Deliveries finishing exactly once on a survivor after a kill: TODO(issue 14, branch `leases`)
once deliveries and the inbox are leased in PostgreSQL, add them to this traffic and assert
each delivery of the killed replica is finished once by a survivor.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import grpc
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from mediagate.client import RECOMMENDED_CHUNK_BYTES
from mediagate.v1 import admin_service_pb2 as admin_pb
from mediagate.v1 import admin_service_pb2_grpc as admin_grpc
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import preview_pb2
from tests.samples import images
from tests.support.calls import download, header, requests_for, upload
from tests.support.postgres import PostgresServer
from tests.support.seaweed import SeaweedS3
from tests.support.server_process import ServerProcess

KIB = 1024


@dataclass
class Cluster:
    replicas: tuple[ServerProcess, ServerProcess, ServerProcess]
    dsn: str
    bucket: str
    s3: Any  # a boto3 client of the test's own

    def keys(self, prefix: str) -> list[str]:
        found: list[str] = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        ):
            found += [item["Key"] for item in page.get("Contents", [])]
        return found

    def stored_digests(self) -> set[str]:
        return {key.rsplit("/", 1)[-1] for key in self.keys("blobs/")}

    def derived_sources(self) -> set[str]:
        return {key.split("/")[1] for key in self.keys("derived/")}

    def catalog_digests(self) -> set[str]:
        with psycopg.connect(self.dsn) as conn:
            return {sha for (sha,) in conn.execute("SELECT DISTINCT sha256 FROM attachments")}


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer, seaweed: SeaweedS3
) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("replicas")
    dsn = postgres_server.fresh_database()
    bucket = seaweed.new_bucket()
    profiles = root / "profiles.toml"
    # No eager preview: the preview test counts only the renders it asks for.
    profiles.write_text('[profiles.lazy]\nextends = "web-messaging"\neager_previews = []\n')
    env = {
        "MEDIAGATE_PROFILES_FILE": str(profiles),
        **seaweed.env(bucket),
        "MEDIAGATE_URL_SIGNING_KEYS": f"k1:{base64.b64encode(bytes(range(32))).decode()}",
        "MEDIAGATE_CATALOG_BACKEND": "postgres",
        "MEDIAGATE_POSTGRES_DSN": dsn,
        "MEDIAGATE_POSTGRES_POOL_SIZE": "4",
        "MEDIAGATE_MIN_FREE_BYTES": "0",
        # Three servers on a small machine: one worker process per lane each.
        "MEDIAGATE_WORKERS": "1",
        "MEDIAGATE_RENDER_WORKERS": "1",
        "MEDIAGATE_VOICE_WORKERS": "1",
    }
    servers = (
        ServerProcess(root / "r0", env),
        ServerProcess(root / "r1", env),
        ServerProcess(root / "r2", env),
    )
    try:
        with ThreadPoolExecutor(3) as starting:
            list(starting.map(ServerProcess.start, servers))
        yield Cluster(servers, dsn, bucket, seaweed.client())
    finally:
        for server in servers:
            server.__exit__()
        postgres_server.drop_database(dsn)


def text_file(tag: str, size: int) -> bytes:
    line = f"{tag}: a line of a conversation's attachment\n".encode()
    return (line * (size // len(line) + 1))[:size]


def clean_orphans(server: ServerProcess) -> admin_pb.CleanOrphansResponse:
    request = admin_pb.CleanOrphansRequest(dry_run=False)
    request.min_age.FromSeconds(0)
    return admin_grpc.AdminServiceStub(server.channel()).CleanOrphans(request, timeout=60)


def code_of(error: grpc.RpcError) -> grpc.StatusCode:
    return error.code()  # type: ignore[attr-defined, no-any-return]


@dataclass
class Ledger:
    """What the clients were told, from every thread."""

    kept: dict[str, bytes] = field(default_factory=dict)  # name -> bytes, acknowledged
    deleted: set[str] = field(default_factory=set)
    failed: list[bytes] = field(default_factory=list)  # uploads that raised on the victim
    errors: list[BaseException] = field(default_factory=list)  # survivors must have none
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def keep(self, name: str, data: bytes) -> None:
        with self.changed:
            self.kept[name] = data
            self.changed.notify_all()


def survivor_rounds(
    ledger: Ledger,
    up: pb_grpc.AttachmentServiceStub,
    other: pb_grpc.AttachmentServiceStub,
    tag: str,
    go_on: Callable[[int], bool],
) -> None:
    """Upload on one replica, download (byte-identical) and delete on the other, until told
    to stop; every error is a failure of the survivors."""
    try:
        i = 0
        while go_on(i):
            data = text_file(f"{tag}-{i}", 48 * KIB + i)
            attachment = upload(up, data, f"{tag}-{i}.txt", "text/plain")
            assert download(other, attachment.name) == data
            if i % 2:
                other.DeleteAttachment(pb.DeleteAttachmentRequest(name=attachment.name), timeout=30)
                with ledger.lock:
                    ledger.deleted.add(attachment.name)
            else:
                ledger.keep(attachment.name, data)
            i += 1
    except BaseException as exc:  # reported by the test, in the main thread
        ledger.errors.append(exc)


def test_a_replica_killed_mid_traffic_loses_nothing_acknowledged(cluster: Cluster) -> None:
    victim, left, right = cluster.replicas
    ledger = Ledger()

    # Phase 1, all three up: images and text files uploaded through the victim by four
    # threads; each previewed and downloaded through the two others, every third deleted.
    def all_up(worker: int) -> None:
        stub, previews, downloads = victim.stub(), left.stub(), right.stub()
        for i in range(4):
            tag = f"w{worker}-{i}"
            if i % 2:
                data = images.png(40 + worker, 30 + i, color=(worker * 40, i * 50, 90))
                attachment = upload(stub, data, f"{tag}.png", "image/png")
                spec = preview_pb2.PreviewSpec(max_width=32, max_height=32)
                preview = previews.GetPreview(
                    pb.GetPreviewRequest(name=attachment.name, spec=spec), timeout=60
                )
                assert preview.content and preview.width <= 32
            else:
                data = text_file(tag, 24 * KIB * (i + 1))
                attachment = upload(stub, data, f"{tag}.txt", "text/plain")
            got = download(downloads, attachment.name)
            assert hashlib.sha256(got).hexdigest() == attachment.sha256
            assert got == data  # neither file has metadata to strip
            if (worker + i) % 3 == 0:
                (downloads if i % 2 else previews).DeleteAttachment(
                    pb.DeleteAttachmentRequest(name=attachment.name), timeout=30
                )
                with ledger.lock:
                    ledger.deleted.add(attachment.name)
            else:
                ledger.keep(attachment.name, data)

    with ThreadPoolExecutor(4) as clients:
        list(clients.map(all_up, range(4)))

    # Phase 2: uploads streaming into the victim from three threads, two of them held open
    # half sent, and survivor traffic beside them; SIGKILL once the victim has acknowledged
    # a few more.
    stop = threading.Event()
    held_open = threading.Event()
    half_sent = threading.Barrier(3)
    base = len(ledger.kept)

    def into_victim(worker: int) -> None:
        stub = victim.stub()
        i = 0
        while not stop.is_set():
            data = text_file(f"victim-{worker}-{i}", 96 * KIB + i)
            try:
                attachment = upload(stub, data, f"v{worker}-{i}.txt", "text/plain")
            except grpc.RpcError:
                with ledger.lock:
                    ledger.failed.append(data)
                return  # the victim is gone
            ledger.keep(attachment.name, data)
            i += 1

    def held(worker: int) -> None:
        data = text_file(f"held-{worker}", 3 * RECOMMENDED_CHUNK_BYTES)

        def messages() -> Iterator[pb.UploadRequest]:
            parts = requests_for(data, header(data, f"held-{worker}.txt", "text/plain"))
            yield next(parts)  # the header
            yield next(parts)  # the first chunk
            half_sent.wait(30)
            held_open.wait(60)
            yield from parts

        try:
            victim.stub().Upload(messages(), timeout=60)
        except grpc.RpcError as exc:
            with ledger.lock:
                ledger.failed.append(data)
                assert code_of(exc) != grpc.StatusCode.OK
            return
        ledger.errors.append(AssertionError("an upload held open on the victim succeeded"))

    survivors_done = threading.Event()
    after_kill = threading.Event()
    rounds_after_kill: list[int] = []

    def survivors_go_on(i: int) -> bool:
        if after_kill.is_set() and not rounds_after_kill:
            rounds_after_kill.append(i)
        # Five rounds at least after the kill: the survivors carry on, not just finish.
        return not survivors_done.is_set() or i < rounds_after_kill[0] + 5

    threads = [threading.Thread(target=into_victim, args=(w,)) for w in range(3)]
    threads += [threading.Thread(target=held, args=(w,)) for w in range(2)]
    threads += [
        threading.Thread(
            target=survivor_rounds,
            args=(ledger, left.stub(), right.stub(), f"s{n}", survivors_go_on),
        )
        for n in range(2)
    ]
    for thread in threads:
        thread.start()
    half_sent.wait(30)  # both held uploads are inside the victim, half sent
    with ledger.changed:
        assert ledger.changed.wait_for(lambda: len(ledger.kept) >= base + 6, 60)
    victim.kill()
    after_kill.set()
    stop.set()
    held_open.set()

    # Orphan cleanup with min_age 0 on a survivor while survivor traffic still runs: it may
    # take only what no row references, never an acknowledged upload's bytes.
    during = clean_orphans(left)
    survivors_done.set()
    for thread in threads:
        thread.join(120)
        assert not thread.is_alive()
    assert not ledger.errors, ledger.errors
    assert len(ledger.failed) >= 2  # the two held uploads at least, each refused its caller

    # Nothing acknowledged is lost: each one, read through both survivors, byte-identical.
    for n, (name, data) in enumerate(ledger.kept.items()):
        stub = (left if n % 2 else right).stub()
        attachment = stub.GetAttachment(pb.GetAttachmentRequest(name=name), timeout=30)
        assert attachment.sha256 == hashlib.sha256(data).hexdigest()
        assert download(stub, name) == data
    for name in ledger.deleted:
        with pytest.raises(grpc.RpcError) as missing:
            right.stub().GetAttachment(pb.GetAttachmentRequest(name=name), timeout=30)
        assert code_of(missing.value) == grpc.StatusCode.NOT_FOUND

    # After the survivors' cleanup the bucket holds exactly the bytes the catalog names.
    after = clean_orphans(right)
    referenced = cluster.catalog_digests()
    assert cluster.stored_digests() == referenced
    assert cluster.derived_sources() <= referenced
    assert not cluster.s3.list_multipart_uploads(Bucket=cluster.bucket).get("Uploads")
    # An upload that failed for its caller is whole or absent: never a row without its bytes
    # (checked above) and never bytes without a row.
    for data in ledger.failed:
        digest = hashlib.sha256(data).hexdigest()
        assert (digest in referenced) == (digest in cluster.stored_digests())
    held_digests = {
        hashlib.sha256(text_file(f"held-{w}", 3 * RECOMMENDED_CHUNK_BYTES)).hexdigest()
        for w in (0, 1)
    }
    assert not held_digests & referenced
    print(
        f"acknowledged={len(ledger.kept)} deleted={len(ledger.deleted)} "
        f"failed_on_victim={len(ledger.failed)} orphans_removed_during={during.removed_count} "
        f"after={after.removed_count} survivor_rounds_after_kill>=5"
    )


def previews_by_outcome(server: ServerProcess) -> dict[str, float]:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as answer:
        text = answer.read().decode()
    counts: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        if family.name == "mediagate_previews":
            for sample in family.samples:
                if sample.name == "mediagate_previews_total":
                    counts[sample.labels["outcome"]] = sample.value
    return counts


def test_the_same_preview_asked_on_two_replicas_at_once(cluster: Cluster) -> None:
    """Measured: each replica renders it (GetPreview's single flight, usecases/previews.py, is
    per process: two replicas asked at once both miss the cache and both render), and it is
    stored once: the cache entry's key is the source's sha256 and the normalised spec, so the
    second PUT overwrites the first with the same bytes (rendering is deterministic). What the
    code guarantees, and what is asserted: at most one render per replica, exactly one stored
    object per preview key, the same image on both. A lease row would save the second render;
    at one render per replica at most, it is not worth a PostgreSQL round trip per preview.
    (Replicas 1 and 2: never the one the other test kills.)"""
    left, right = cluster.replicas[1], cluster.replicas[2]
    spec = preview_pb2.PreviewSpec(max_width=57, max_height=57)
    before = [previews_by_outcome(s) for s in (left, right)]
    sources: list[apb.Attachment] = [
        upload(
            left.stub(),
            images.jpeg(640, 480, color=(n * 30, 90, 160)),
            f"same-{n}.jpg",
            profile="lazy",
        )
        for n in range(4)
    ]
    answers: list[tuple[bytes, bytes]] = []
    for source in sources:
        at_once = threading.Barrier(2)

        def ask(
            server: ServerProcess, name: str = source.name, at_once: threading.Barrier = at_once
        ) -> bytes:
            at_once.wait(30)
            request = pb.GetPreviewRequest(name=name, spec=spec)
            return server.stub().GetPreview(request, timeout=60).content

        with ThreadPoolExecutor(2) as both:
            first, second = both.map(ask, (left, right))
        answers.append((first, second))
    after = [previews_by_outcome(s) for s in (left, right)]

    def moved(outcome: str) -> int:
        return int(
            sum(a.get(outcome, 0) - b.get(outcome, 0) for a, b in zip(after, before, strict=True))
        )

    ours, cached = moved("rendered"), moved("cached")
    assert ours + cached == 2 * len(sources)
    assert len(sources) <= ours <= 2 * len(sources)  # at least once, at most once per replica
    for source, (first, second) in zip(sources, answers, strict=True):
        assert first == second
        keys = cluster.keys(f"derived/{source.sha256}/preview-57x57-")
        assert len(keys) == 1, keys
    print(
        f"same preview on two replicas at once: {ours} renders, {cached} cache hits "
        f"for {len(sources)} previews; one object each"
    )
