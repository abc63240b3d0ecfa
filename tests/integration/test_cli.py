"""The `mediagate` command as a person uses it, against the live server."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

from tests.samples import images, pdfs, texts
from tests.support.cli import mediagate as run_cli
from tests.support.server_process import ServerProcess


def mediagate(server: ServerProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(server.address, *args)


def test_upload_get_list_download_delete(server: ServerProcess, tmp_path: Path) -> None:
    photo = tmp_path / "holiday photo.jpg"
    photo.write_bytes(images.jpeg(120, 90))
    uploaded = mediagate(
        server, "upload", str(photo), "--conversation", "cli-conv", "--label", "channel=web"
    )
    assert uploaded.returncode == 0, uploaded.stderr
    assert "accepted" in uploaded.stdout and "image/jpeg" in uploaded.stdout
    name = next(w for w in uploaded.stdout.split() if w.startswith("attachments/"))

    shown = mediagate(server, "get", name)
    assert shown.returncode == 0 and "holiday photo.jpg" in shown.stdout
    listed = mediagate(server, "list", "--conversation", "cli-conv")
    assert name in listed.stdout
    thumb = tmp_path / "thumb.png"
    made = mediagate(server, "preview", name, "-o", str(thumb), "--width", "60", "--format", "png")
    assert made.returncode == 0 and "60x45 image/png" in made.stdout
    assert thumb.read_bytes().startswith(b"\x89PNG")
    copy = tmp_path / "copy.jpg"
    assert mediagate(server, "download", name, "-o", str(copy)).returncode == 0
    assert copy.read_bytes() == photo.read_bytes()
    assert mediagate(server, "delete", name).returncode == 0
    missing = mediagate(server, "get", name)
    assert missing.returncode == 1
    assert "NOT_FOUND" in missing.stdout and "ATTACHMENT_NOT_FOUND" in missing.stdout


def test_validate_and_refusals_read_at_a_glance(server: ServerProcess, tmp_path: Path) -> None:
    pdf = tmp_path / "invoice.png"
    pdf.write_bytes(pdfs.pdf(javascript=True))
    verdict = mediagate(server, "validate", str(pdf), "--mime", "image/png")
    assert verdict.returncode == 2
    assert "rejected" in verdict.stdout
    for reason in ("ACTIVE_CONTENT", "TYPE_MISMATCH", "EXTENSION_MISMATCH"):
        assert reason in verdict.stdout
    refused = mediagate(server, "upload", str(pdf))
    assert refused.returncode == 1
    assert "INVALID_ARGUMENT" in refused.stdout and "ACTIVE_CONTENT" in refused.stdout
    good = tmp_path / "notes.txt"
    good.write_bytes(texts.text())
    ok = mediagate(server, "validate", str(good))
    assert ok.returncode == 0 and "accepted as text/plain" in ok.stdout


def test_without_mime_the_extension_is_declared_so_lies_show(
    server: ServerProcess, tmp_path: Path
) -> None:
    png_named_jpg = tmp_path / "photo.jpg"
    png_named_jpg.write_bytes(images.png())
    verdict = mediagate(server, "validate", str(png_named_jpg))
    assert verdict.returncode == 2
    for reason in ("TYPE_MISMATCH", "EXTENSION_MISMATCH"):
        assert reason in verdict.stdout
    assert "Declared as image/jpeg" in verdict.stdout
    refused = mediagate(server, "upload", str(png_named_jpg))
    assert refused.returncode == 1
    assert "TYPE_MISMATCH" in refused.stdout and "EXTENSION_MISMATCH" in refused.stdout
    # --mime still wins: declared as what the bytes are, only the name lies.
    honest = mediagate(server, "validate", str(png_named_jpg), "--mime", "image/png")
    assert honest.returncode == 2
    assert "EXTENSION_MISMATCH" in honest.stdout and "TYPE_MISMATCH" not in honest.stdout
    csv = tmp_path / "Mappe1.csv"
    csv.write_bytes(texts.csv_in("cp1252"))
    uploaded = mediagate(server, "upload", str(csv))
    assert uploaded.returncode == 0, uploaded.stdout
    assert "text/csv" in uploaded.stdout


def test_profiles_are_listed(server: ServerProcess) -> None:
    shown = mediagate(server, "profiles")
    assert shown.returncode == 0
    assert "web-messaging" in shown.stdout and "(default)" in shown.stdout
    assert "audio/mpeg" in shown.stdout


def test_sign_url(server: ServerProcess, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(images.jpeg(120, 90))
    uploaded = mediagate(server, "upload", str(photo))
    name = next(w for w in uploaded.stdout.split() if w.startswith("attachments/"))
    signed = mediagate(server, "sign-url", name, "--ttl", "600")
    assert signed.returncode == 0, signed.stderr
    url = signed.stdout.strip()
    assert url.startswith(f"{server.media_url}/v1/media/default/{name[12:]}?exp=")
    with urllib.request.urlopen(url, timeout=30) as answer:
        assert answer.read() == photo.read_bytes()
    preview = mediagate(server, "sign-url", name, "--preview", "64x64").stdout.strip()
    assert "/preview/64x64-webp-q80-p1?" in preview
    with urllib.request.urlopen(preview, timeout=30) as answer:
        assert answer.headers["Content-Type"] == "image/webp"
    refused = mediagate(server, "sign-url", name, "--rendition")
    assert refused.returncode == 1 and "NOT_A_VOICE_MESSAGE" in refused.stdout
