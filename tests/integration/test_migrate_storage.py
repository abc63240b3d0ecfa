"""`mediagate migrate-storage` end to end: a real embedded server (auth on, two tenants) fills a
data directory (a JPEG whose GPS is stripped, a PNG both tenants upload, a voice message with
its rendition, labels, idempotency keys, a file whose bytes are then corrupted on disk); the
command, run as a process, copies it into a real SeaweedFS bucket and a real PostgreSQL
database: a dry run sends nothing, a run stopped by --max-blobs is finished by the next one
without sending anything twice, a run after that copies nothing, and the corrupted file is
reported and left behind. Then a server on S3 + PostgreSQL serves every other attachment with
the same bytes and metadata."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import grpc
import pytest

from mediagate.auth.tokens import new_token, token_hash
from mediagate.client import Credentials, open_channel
from mediagate.store.catalog import SqliteCatalog
from mediagate.store.pg_catalog import PgCatalog
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from mediagate.v1 import voice_pb2
from tests.integration.test_voice import send, speech
from tests.samples import images
from tests.support.calls import download, upload
from tests.support.seaweed import SeaweedS3
from tests.support.server_process import ServerProcess

TOKENS = {"alice": new_token(), "bob": new_token()}
TENANTS = {"alice": "acme", "bob": "globex"}
SCOPES = '"attachments.read", "attachments.write", "attachments.delete"'


def callers_toml() -> str:
    return "".join(
        f'[callers.{name}]\ntenant = "{TENANTS[name]}"\nscopes = [{SCOPES}]\n'
        f'tokens = ["{token_hash(token)}"]\n\n'
        for name, token in TOKENS.items()
    )


def stub_as(server: ServerProcess, caller: str) -> pb_grpc.AttachmentServiceStub:
    return pb_grpc.AttachmentServiceStub(
        open_channel(server.address, Credentials(token=TOKENS[caller]))
    )


@dataclass
class Source:
    data_dir: Path
    callers: Path
    # (caller, Attachment as the embedded server answered GetAttachment, sha256 of the bytes)
    attachments: list[tuple[str, apb.Attachment, str]] = field(default_factory=list)
    voice: tuple[str, voice_pb2.VoiceMessage] | None = None
    corrupted: tuple[str, apb.Attachment] | None = None


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    root = tmp_path_factory.mktemp("migrate-source")
    callers = root / "callers.toml"
    callers.write_text(callers_toml())
    src = Source(root / "data", callers)
    env = {"MEDIAGATE_AUTH_CALLERS_FILE": str(callers)}
    with ServerProcess(src.data_dir, env) as server:
        alice, bob = stub_as(server, "alice"), stub_as(server, "bob")
        shared = images.png(120, 80)
        made = [
            ("alice", upload(alice, images.jpeg(gps=True), "trip.jpg", "image/jpeg",
                             conversation_id="c1", labels={"case": "42"}, idempotency_key="k-1")),
            ("alice", upload(alice, shared, "shared.png", "image/png", conversation_id="c1")),
            ("bob", upload(bob, shared, "same-bytes.png", "image/png", idempotency_key="k-1")),
            ("bob", upload(bob, b"meeting notes, line one\n" * 3, "notes.txt", "text/plain")),
        ]  # fmt: skip
        message = send(alice, speech("ogg_opus", 2.0), "note.ogg", conversation_id="c2")
        src.voice = ("alice", message)
        made += [("alice", message.attachment), ("alice", message.renditions[0])]
        victim = upload(bob, b"these bytes will rot on disk\n" * 10, "rot.txt", "text/plain")
        src.corrupted = ("bob", victim)
        for caller, attachment in made:
            stub = alice if caller == "alice" else bob
            got = stub.GetAttachment(pb.GetAttachmentRequest(name=attachment.name))
            data = download(stub, attachment.name)
            src.attachments.append((caller, got, hashlib.sha256(data).hexdigest()))
    # The stripped JPEG keeps what was removed (details), and the original's digest.
    assert src.attachments[0][1].original_sha256
    blob = src.data_dir / "blobs" / victim.sha256[:2] / victim.sha256[2:4] / victim.sha256
    blob.write_bytes(blob.read_bytes().replace(b"rot", b"ROT"))
    return src


def migrate(
    seaweed: SeaweedS3, bucket: str, dsn: str, data_dir: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
        **seaweed.env(bucket),
        "MEDIAGATE_POSTGRES_DSN": dsn,
        "MEDIAGATE_S3_PART_BYTES": str(5 * 1024 * 1024),
    }
    return subprocess.run(
        [sys.executable, "-m", "mediagate", "migrate-storage", "--from", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def line(result: subprocess.CompletedProcess[str], start: str) -> str:
    return next(x for x in result.stdout.splitlines() if x.startswith(start))


def blob_objects(seaweed: SeaweedS3, bucket: str) -> list[str]:
    answer = seaweed.client().list_objects_v2(Bucket=bucket, Prefix="blobs/")
    return sorted(item["Key"] for item in answer.get("Contents", []))


@pytest.fixture
def target(seaweed: SeaweedS3, postgres_dsn: str) -> Iterator[tuple[str, str]]:
    yield seaweed.new_bucket(), postgres_dsn


def test_a_data_dir_moves_to_s3_and_postgres_resumably_and_verified(
    source: Source, seaweed: SeaweedS3, target: tuple[str, str], tmp_path: Path
) -> None:
    bucket, dsn = target
    assert source.corrupted is not None and source.voice is not None
    corrupt_sha = source.corrupted[1].sha256
    blobs = {sha for _, _, sha in source.attachments}  # 5 distinct: one PNG is shared
    assert len(blobs) == 5

    dry = migrate(seaweed, bucket, dsn, source.data_dir, "--dry-run")
    assert dry.returncode == 1, dry.stdout + dry.stderr  # the corrupted blob fails
    assert line(dry, "attachments:") == "attachments: would copy 6, already there 0, failed 1"
    assert line(dry, "blobs:").startswith("blobs: would send 5 (")
    assert f"FAILED blob {corrupt_sha}: its bytes on disk hash to" in dry.stdout
    assert blob_objects(seaweed, bucket) == []

    stopped = migrate(seaweed, bucket, dsn, source.data_dir, "--max-blobs", "2")
    assert stopped.returncode == 3, stopped.stdout + stopped.stderr
    assert "run again to finish" in stopped.stdout
    assert len(blob_objects(seaweed, bucket)) == 2

    rest = migrate(seaweed, bucket, dsn, source.data_dir, "--read-back")
    assert rest.returncode == 1, rest.stdout + rest.stderr
    assert line(rest, "blobs:").startswith("blobs: sent 3 (")
    assert line(rest, "blobs:").endswith("already there 2, failed 1")
    assert "attachments: copied " in rest.stdout and "failed 1" in line(rest, "attachments:")
    assert f"/attachments/{source.corrupted[1].name.split('/')[-1]} (rot.txt)" in rest.stdout
    assert "deliveries and the Genesys inbox are not migrated" in rest.stdout
    assert "verified by: read back and hashed" in rest.stdout
    assert len(blob_objects(seaweed, bucket)) == 5
    assert f"blobs/{corrupt_sha[:2]}/{corrupt_sha}" not in blob_objects(seaweed, bucket)

    again = migrate(seaweed, bucket, dsn, source.data_dir)
    assert again.returncode == 1, again.stdout + again.stderr  # the corrupted one still fails
    assert line(again, "attachments:") == "attachments: copied 0, already there 6, failed 1"
    assert line(again, "blobs:") == "blobs: sent 0 (0 bytes), already there 5, failed 1"

    # Usage in PostgreSQL: the source's, less the one attachment left behind.
    before = SqliteCatalog(source.data_dir / "catalog.sqlite3")
    after = PgCatalog(dsn, pool_size=1)
    try:
        size = source.corrupted[1].size_bytes
        expected = {
            tenant: replace(
                usage,
                stored_bytes=usage.stored_bytes - size,
                tenant_bytes=usage.tenant_bytes - (size if tenant == "globex" else 0),
                tenant_attachments=usage.tenant_attachments - (tenant == "globex"),
            )
            for tenant, usage in before.tenant_usages().items()
        }
        assert after.tenant_usages() == expected
    finally:
        before.close()
        after.close()

    env = {
        **seaweed.env(bucket),
        "MEDIAGATE_CATALOG_BACKEND": "postgres",
        "MEDIAGATE_POSTGRES_DSN": dsn,
        "MEDIAGATE_AUTH_CALLERS_FILE": str(source.callers),
    }
    with ServerProcess(tmp_path / "replica", env) as server:
        stubs = {name: stub_as(server, name) for name in TOKENS}
        for caller, attachment, sha in source.attachments:
            stub = stubs[caller]
            got = stub.GetAttachment(pb.GetAttachmentRequest(name=attachment.name))
            assert got == attachment
            assert hashlib.sha256(download(stub, attachment.name)).hexdigest() == sha
        caller, message = source.voice
        voice = stubs[caller].GetVoiceMessage(
            pb.GetVoiceMessageRequest(name=message.attachment.name)
        )
        assert voice == message
        # Idempotency keys came along: the same key answers the migrated attachment.
        first = source.attachments[0][1]
        again_upload = upload(
            stubs["alice"], images.jpeg(gps=True), "trip.jpg", "image/jpeg", idempotency_key="k-1"
        )
        assert again_upload.name == first.name
        # Tenants stay apart: bob's "k-1" is his own, first used for his shared PNG.
        with pytest.raises(grpc.RpcError) as taken:
            upload(stubs["bob"], b"x", "x.txt", "text/plain", idempotency_key="k-1")
        assert taken.value.code() == grpc.StatusCode.ALREADY_EXISTS
        assert source.attachments[2][1].name in str(taken.value.details())
        with pytest.raises(grpc.RpcError) as gone:
            stubs["bob"].GetAttachment(pb.GetAttachmentRequest(name=source.corrupted[1].name))
        assert gone.value.code() == grpc.StatusCode.NOT_FOUND
