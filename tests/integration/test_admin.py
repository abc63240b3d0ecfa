"""AdminService against a real server: the retention sweep on demand, orphan cleanup (planted
files found and removed only when old enough, never a live row's blob, never an upload in
flight), the storage report, and the dry run of a profiles file; and `mediagate admin`."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from mediagate.v1 import admin_pb2
from mediagate.v1 import admin_service_pb2 as admin_pb
from mediagate.v1 import admin_service_pb2_grpc as admin_grpc
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.conftest import TEST_PROFILES, write_test_profiles
from tests.samples import images, texts
from tests.support.calls import header, upload
from tests.support.cli import mediagate
from tests.support.server_process import ServerProcess
from tests.support.waiting import eventually

HOUR = 3600.0
QUOTA_BYTES = 50_000_000


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own: these tests plant files in its data directory and sweep it."""
    root = tmp_path_factory.mktemp("admin")
    env = {
        "MEDIAGATE_PROFILES_FILE": str(write_test_profiles(root)),
        # The sweeper runs once at start and then not again: RunRetentionSweep does the work.
        "MEDIAGATE_SWEEP_INTERVAL_SECONDS": "3600",
        "MEDIAGATE_QUOTA_BYTES": str(QUOTA_BYTES),
    }
    with ServerProcess(root / "data", env) as process:
        yield process


@pytest.fixture(scope="module")
def admin(admin_server: ServerProcess) -> admin_grpc.AdminServiceStub:
    return admin_grpc.AdminServiceStub(admin_server.channel())


@pytest.fixture(scope="module")
def files(admin_server: ServerProcess) -> pb_grpc.AttachmentServiceStub:
    return admin_server.stub()


def blob_path(server: ServerProcess, data: bytes) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    return server.data_dir / "blobs" / digest[:2] / digest[2:4] / digest


def plant(path: Path, data: bytes, age: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    when = time.time() - age
    os.utime(path, (when, when))
    return path


def clean(
    admin: admin_grpc.AdminServiceStub, dry_run: bool, min_age: float | None = None
) -> admin_pb.CleanOrphansResponse:
    request = admin_pb.CleanOrphansRequest(dry_run=dry_run)
    if min_age is not None:
        request.min_age.FromSeconds(int(min_age))
    return admin.CleanOrphans(request, timeout=30)


def test_sweep_removes_expired_attachments_now(
    admin_server: ServerProcess,
    admin: admin_grpc.AdminServiceStub,
    files: pb_grpc.AttachmentServiceStub,
) -> None:
    brief = texts.text(lines=401)
    kept = upload(files, texts.text(lines=402), "kept.txt", "text/plain")
    gone = upload(files, brief, "brief.txt", "text/plain", profile="ephemeral")
    expiry = gone.expire_time.ToNanoseconds() / 1e9
    eventually(lambda: time.time() > expiry, within=10)  # the clock, not the server

    swept = admin.RunRetentionSweep(admin_pb.RunRetentionSweepRequest(), timeout=30)

    assert swept.attachments_removed == 1
    assert swept.logical_bytes_removed == len(brief)
    assert swept.bytes_freed == len(brief)
    assert not blob_path(admin_server, brief).exists()
    with pytest.raises(grpc.RpcError) as caught:
        files.GetAttachment(pb.GetAttachmentRequest(name=gone.name), timeout=5)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert files.GetAttachment(pb.GetAttachmentRequest(name=kept.name), timeout=5) == kept
    again = admin.RunRetentionSweep(admin_pb.RunRetentionSweepRequest(), timeout=30)
    assert again.attachments_removed == 0 and again.bytes_freed == 0


def test_orphans_are_found_and_removed_only_when_old_enough(
    admin_server: ServerProcess,
    admin: admin_grpc.AdminServiceStub,
    files: pb_grpc.AttachmentServiceStub,
) -> None:
    data_dir = admin_server.data_dir
    live_bytes = texts.text(lines=501)
    live = upload(files, live_bytes, "live.txt", "text/plain")
    live_blob = blob_path(admin_server, live_bytes)
    old = time.time() - 2 * HOUR
    os.utime(live_blob, (old, old))  # as old as any orphan: its row alone keeps it

    old_orphan = texts.text(lines=502)
    old_blob = plant(blob_path(admin_server, old_orphan), old_orphan, 2 * HOUR)
    young_orphan = texts.text(lines=503)
    young_blob = plant(blob_path(admin_server, young_orphan), young_orphan, 0)
    old_staged = plant(data_dir / "staging" / "upload-leftover", b"x" * 1000, 2 * HOUR)
    young_staged = plant(data_dir / "staging" / "upload-recent", b"y" * 500, 0)
    gone_source = hashlib.sha256(b"bytes no attachment has").hexdigest()
    old_derived = plant(
        data_dir / "derived" / gone_source[:2] / gone_source / "preview-300x300", b"z" * 300, HOUR
    )
    os.utime(old_derived.parent, (old, old))
    planted_old = {
        str(old_blob.relative_to(data_dir)): ("ORPHAN_KIND_BLOB", len(old_orphan)),
        str(old_staged.relative_to(data_dir)): ("ORPHAN_KIND_STAGED_FILE", 1000),
        str(old_derived.parent.relative_to(data_dir)): ("ORPHAN_KIND_DERIVED", 300),
    }

    # A dry run lists the old ones and removes nothing.
    dry = clean(admin, dry_run=True)
    listed = {o.path: (admin_pb2.OrphanKind.Name(o.kind), o.size_bytes) for o in dry.orphans}
    assert listed == planted_old
    assert dry.dry_run and dry.found_count == 3 and dry.removed_count == 0
    assert dry.found_bytes == len(old_orphan) + 1000 + 300
    assert dry.young_count == 2
    assert not any(o.removed for o in dry.orphans)
    for path in (old_blob, young_blob, old_staged, young_staged, old_derived, live_blob):
        assert path.exists()

    # Removing takes the old ones only.
    done = clean(admin, dry_run=False)
    assert (done.found_count, done.removed_count, done.young_count) == (3, 3, 2)
    assert done.removed_bytes == len(old_orphan) + 1000 + 300
    assert all(o.removed for o in done.orphans)
    assert not old_blob.exists() and not old_staged.exists()
    assert not old_derived.parent.exists()
    assert young_blob.exists() and young_staged.exists()

    # min_age 0 takes the young ones too; the live row's blob, old as it is, stays.
    everything = clean(admin, dry_run=False, min_age=0)
    assert everything.removed_count == 2 and everything.young_count == 0
    assert not young_blob.exists() and not young_staged.exists()
    assert live_blob.exists()
    assert files.GetAttachment(pb.GetAttachmentRequest(name=live.name), timeout=5) == live
    downloaded = b"".join(
        r.data for r in files.Download(pb.DownloadRequest(name=live.name), timeout=10)
    )
    assert downloaded == live_bytes


def test_an_upload_in_flight_survives_a_cleanup(
    admin_server: ServerProcess,
    admin: admin_grpc.AdminServiceStub,
    files: pb_grpc.AttachmentServiceStub,
) -> None:
    staging = admin_server.data_dir / "staging"
    assert not list(staging.iterdir())
    data = texts.text(lines=3000)
    half = len(data) // 2
    go_on = threading.Event()

    def parts() -> Iterator[pb.UploadRequest]:
        yield pb.UploadRequest(header=header(data, "in-flight.txt", "text/plain"))
        yield pb.UploadRequest(chunk=data[:half])
        go_on.wait(30)
        yield pb.UploadRequest(chunk=data[half:])

    answer: list[apb.Attachment] = []
    sender = threading.Thread(target=lambda: answer.append(files.Upload(parts(), timeout=60)))
    sender.start()
    try:
        eventually(lambda: any(staging.iterdir()), within=30)
        cleanup = clean(admin, dry_run=False)  # the default min_age, an hour
        assert cleanup.removed_count == 0 and cleanup.young_count >= 1
        assert any(staging.iterdir())
    finally:
        go_on.set()
        sender.join(60)
    (attachment,) = answer
    assert attachment.size_bytes == len(data)
    assert blob_path(admin_server, data).exists()


def test_negative_min_age_is_refused(admin: admin_grpc.AdminServiceStub) -> None:
    request = admin_pb.CleanOrphansRequest()
    request.min_age.FromSeconds(-5)
    with pytest.raises(grpc.RpcError) as caught:
        admin.CleanOrphans(request, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "min_age" in (caught.value.details() or "")


def test_storage_report_matches_what_was_uploaded(
    admin_server: ServerProcess,
    admin: admin_grpc.AdminServiceStub,
    files: pb_grpc.AttachmentServiceStub,
) -> None:
    before = admin.GetStorageReport(admin_pb.GetStorageReportRequest(), timeout=30)
    twice = texts.text(lines=601)
    once = texts.csv(rows=700)
    photo = images.png(64, 48)
    upload(files, twice, "a.txt", "text/plain")
    upload(files, twice, "b.txt", "text/plain")  # the same bytes: a second row, not a blob
    upload(files, once, "c.csv", "text/csv")
    shown = upload(files, photo, "p.png", "image/png")
    files.GetPreview(pb.GetPreviewRequest(name=shown.name), timeout=30)

    after = admin.GetStorageReport(admin_pb.GetStorageReportRequest(), timeout=30)

    def tenant(report: admin_pb2.StorageReport) -> tuple[int, int]:
        rows = {t.tenant: t for t in report.tenants}
        row = rows.get("default")
        return (row.attachment_count, row.logical_bytes) if row else (0, 0)

    logical = 2 * len(twice) + len(once) + shown.size_bytes
    physical = len(twice) + len(once) + shown.size_bytes
    assert tenant(after)[0] - tenant(before)[0] == 4
    assert tenant(after)[1] - tenant(before)[1] == logical
    assert after.catalog_bytes - before.catalog_bytes == physical
    assert after.blob_count - before.blob_count == 3
    assert after.blob_bytes - before.blob_bytes == physical
    # Every blob on disk belongs to a row now (the orphan test cleaned the rest).
    assert after.blob_bytes == after.catalog_bytes
    assert after.preview_cache_entries - before.preview_cache_entries >= 1
    assert after.preview_cache_bytes > before.preview_cache_bytes
    assert after.preview_cache_budget_bytes > 0
    assert after.quota_bytes == QUOTA_BYTES and after.quota_attachments == 0
    assert after.staging_files == 0 and after.staging_bytes == 0
    statvfs = os.statvfs(admin_server.data_dir)
    assert abs(after.free_bytes - statvfs.f_bavail * statvfs.f_frsize) < 64 * 1024 * 1024
    assert list(after.deliveries) == [] and list(after.imports) == []


NEW_PROFILE = """
[profiles.claims]
extends = "documents"
description = "Insurance claims"
max_size_bytes = 5000000
"""


def test_check_profiles_is_a_dry_run(
    admin: admin_grpc.AdminServiceStub, files: pb_grpc.AttachmentServiceStub
) -> None:
    running = files.ListProfiles(pb.ListProfilesRequest(), timeout=10)

    same = admin.CheckProfiles(admin_pb.CheckProfilesRequest(toml=TEST_PROFILES), timeout=10)
    assert same.valid and not same.errors
    assert (list(same.added), list(same.changed), list(same.removed)) == ([], [], [])
    assert sorted(p.name for p in same.profiles) == sorted(p.name for p in running.profiles)
    assert {p.name: p for p in same.profiles} == {p.name: p for p in running.profiles}

    more = admin.CheckProfiles(
        admin_pb.CheckProfilesRequest(toml=TEST_PROFILES + NEW_PROFILE), timeout=10
    )
    assert more.valid and list(more.added) == ["claims"]
    (claims,) = [p for p in more.profiles if p.name == "claims"]
    assert claims.max_size_bytes == 5_000_000 and "application/zip" in claims.accepted_mime_types

    typo = admin.CheckProfiles(
        admin_pb.CheckProfilesRequest(toml="[profiles.web-messaging]\nmax_size_bytez = 5\n"),
        timeout=10,
    )
    assert not typo.valid and not typo.profiles
    assert list(typo.errors) == ["profile web-messaging: unknown key 'max_size_bytez'"]

    broken = admin.CheckProfiles(admin_pb.CheckProfilesRequest(toml="[profiles.x\n"), timeout=10)
    assert not broken.valid
    assert broken.errors[0].startswith("cannot read profiles file <CheckProfiles>: ")

    shape = admin.CheckProfiles(admin_pb.CheckProfilesRequest(toml="profiles = 3\n"), timeout=10)
    assert list(shape.errors) == [
        "<CheckProfiles>: profiles must be a table of [profiles.NAME] tables"
    ]

    # Nothing changed on the server.
    assert files.ListProfiles(pb.ListProfilesRequest(), timeout=10) == running
    with pytest.raises(grpc.RpcError):  # "claims" was never made real
        upload(files, texts.text(lines=3), "x.txt", "text/plain", profile="claims")


def test_admin_cli(admin_server: ServerProcess, tmp_path: Path) -> None:
    address = admin_server.address
    report = mediagate(address, "admin", "report")
    assert report.returncode == 0, report.stderr
    assert "default" in report.stdout and "blobs on disk" in report.stdout

    plant(admin_server.data_dir / "staging" / "upload-cli-leftover", b"q" * 10, 2 * HOUR)
    listed = mediagate(address, "admin", "orphans")
    assert listed.returncode == 0, listed.stderr
    assert "staging/upload-cli-leftover" in listed.stdout and "dry run" in listed.stdout
    assert (admin_server.data_dir / "staging" / "upload-cli-leftover").exists()
    removed = mediagate(address, "admin", "orphans", "--delete", "--min-age", "60")
    assert removed.returncode == 0 and "removed 1 " in removed.stdout
    assert not (admin_server.data_dir / "staging" / "upload-cli-leftover").exists()

    swept = mediagate(address, "admin", "sweep")
    assert swept.returncode == 0 and "removed 0 expired attachments" in swept.stdout

    good = tmp_path / "good.toml"
    good.write_text(NEW_PROFILE)
    bad = tmp_path / "bad.toml"
    bad.write_text("[profiles.voice]\nretention_seconds = 'forever'\n")
    # --local checks here: no server at all behind this address.
    for address_used, where in ((address, []), ("127.0.0.1:1", ["--local"])):
        ok = mediagate(address_used, "admin", "check-profiles", str(good), *where)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert "valid" in ok.stdout and "claims" in ok.stdout and "added: claims" in ok.stdout
        refused = mediagate(address_used, "admin", "check-profiles", str(bad), *where)
        assert refused.returncode == 2
        assert "profile voice: retention_seconds must be float" in refused.stdout
