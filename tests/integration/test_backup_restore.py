"""Backup and restore of the embedded store as docs/operations.md describes it
(scripts/data_backup.py): a live server's data directory backed up while it serves, restored
into a fresh directory, and a new server there reads the attachments back."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import grpc
import pytest

from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import delivery_pb2
from tests.samples import images
from tests.support.calls import download, upload
from tests.support.server_process import ServerProcess

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "data_backup.py"


def data_backup(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_backup_of_a_live_server_restores_into_a_fresh_directory(tmp_path: Path) -> None:
    photo, other = images.jpeg(160, 120), images.png(40, 30)
    with ServerProcess(tmp_path / "live") as live:
        stub = live.stub()
        kept = upload(stub, photo, "kept.jpg", "image/jpeg")
        second = upload(stub, other, "second.png", "image/png")
        link = stub.CreateSignedUrl(delivery_pb2.CreateSignedUrlRequest(name=kept.name), timeout=30)
        # While the server runs: its SQLite files are open, in WAL mode.
        data_backup("backup", str(tmp_path / "live"), str(tmp_path / "backup"))
        later = upload(stub, images.png(20, 20), "after-backup.png", "image/png")
        stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=second.name), timeout=30)

    restored = data_backup("restore", str(tmp_path / "backup"), str(tmp_path / "restored"))
    assert "integrity_check" in restored.stdout
    assert "have no bytes" not in restored.stdout
    assert not (tmp_path / "restored" / "staging").exists()

    with ServerProcess(tmp_path / "restored") as server:
        stub = server.stub()
        assert download(stub, kept.name) == photo
        # Deleted on the live server after the backup: back, as it was at the backup.
        assert download(stub, second.name) == other
        got = stub.GetAttachment(pb.GetAttachmentRequest(name=kept.name), timeout=30)
        assert (got.sha256, got.size_bytes) == (kept.sha256, len(photo))
        # Uploaded after the backup: not in it.
        with pytest.raises(grpc.RpcError) as missing:
            stub.GetAttachment(pb.GetAttachmentRequest(name=later.name), timeout=30)
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
        # The URL signing key came back with the data: a URL signed before the backup still
        # opens on the restored server.
        parts = urlsplit(link.url)
        with urllib.request.urlopen(
            f"{server.media_url}{parts.path}?{parts.query}", timeout=30
        ) as response:
            assert response.read() == photo


def test_restore_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "catalog.sqlite3").touch()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "catalog.sqlite3").write_text("in use")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "restore", str(tmp_path / "backup"), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "not empty" in done.stderr
    assert (tmp_path / "data" / "catalog.sqlite3").read_text() == "in use"
