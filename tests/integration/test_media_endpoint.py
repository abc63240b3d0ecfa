"""The media endpoint against a real server: signed URLs made over gRPC (CreateSignedUrl) or
offline with the server's own keys (UrlSigner), fetched with real HTTP requests."""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import math
import socket
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import grpc
import pytest
from PIL import Image

from mediagate.client import error_details
from mediagate.signing.urls import UrlSigner
from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import delivery_pb2, preview_pb2
from tests.conftest import TEST_PROFILES
from tests.integration.test_voice import voice_requests
from tests.samples import audio, images, pdfs
from tests.support.calls import upload
from tests.support.server_process import ServerProcess

MIB = 1024 * 1024
OLD_SECRET = bytes(range(32))
NEW_SECRET = bytes(range(100, 132))
KEYS = {"old": OLD_SECRET, "new": NEW_SECRET}
UNICODE_NAME = 'folder\\Фото "отпуск" été.png'

PROFILES = (
    TEST_PROFILES
    + """
[profiles.lenient]
extends = "web-messaging"
description = "Takes a file whose declared type and extension lie"
reject_type_mismatch = false
reject_extension_mismatch = false
"""
)


def keys_setting(keys: Mapping[str, bytes]) -> str:
    return ",".join(f"{kid}:{base64.b64encode(secret).decode()}" for kid, secret in keys.items())


def start_server(root: Path, keys: Mapping[str, bytes], signing: str) -> ServerProcess:
    root.mkdir(parents=True, exist_ok=True)
    profiles = root / "profiles.toml"
    profiles.write_text(PROFILES)
    env = {
        "MEDIAGATE_PROFILES_FILE": str(profiles),
        "MEDIAGATE_MEDIA_PORT": "0",
        "MEDIAGATE_URL_SIGNING_KEYS": keys_setting(keys),
        "MEDIAGATE_URL_SIGNING_KEY_ID": signing,
    }
    return ServerProcess(root / "data", env).start()


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = start_server(tmp_path_factory.mktemp("media"), KEYS, "new")
    try:
        yield process
    finally:
        process.terminate()


# --- helpers -------------------------------------------------------------------------------


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def fetch(url: str, method: str = "GET", headers: Mapping[str, str] | None = None) -> Answer:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers=dict(headers or {}))
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def signed(
    server: ServerProcess,
    attachment: apb.Attachment,
    ttl_seconds: float | None = None,
    **target: object,
) -> delivery_pb2.SignedUrl:
    request = delivery_pb2.CreateSignedUrlRequest(name=attachment.name, **target)  # type: ignore[arg-type]
    if ttl_seconds is not None:
        request.ttl.FromNanoseconds(int(ttl_seconds * 1e9))
    return server.stub().CreateSignedUrl(request, timeout=60)


def offline_url(
    server: ServerProcess,
    path: str,
    key_id: str,
    secret: bytes,
    expires: int,
    delivery_id: str = "",
) -> str:
    query = UrlSigner({key_id: secret}, key_id).sign(path, expires, delivery_id)
    return f"{server.media_url}{path}?{urlencode(query)}"


def path_of(url: str) -> str:
    return urlsplit(url).path


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"


def csv_bytes(size: int) -> bytes:
    row = b"2026-11-22T10:00:00Z,guest message attachment,42.5,ok\n"
    return (row * (size // len(row) + 1))[:size]


def assert_fixed_headers(answer: Answer, sha256: str) -> None:
    assert answer.headers["ETag"] == f'"{sha256}"'
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Accept-Ranges"] == "bytes"


def assert_forbidden(answer: Answer, head: bool = False) -> None:
    """403 with the same tiny body whatever the reason (none at all for HEAD)."""
    assert answer.status == 403
    assert answer.body == (b"" if head else b"forbidden\n")


@pytest.fixture(scope="module")
def png(media: ServerProcess) -> tuple[apb.Attachment, bytes]:
    """A PNG declared as a JPEG under a non-ASCII name with a quote and a backslash."""
    data = images.png_noise(320, 200)
    attachment = upload(media.stub(), data, UNICODE_NAME, "image/jpeg", profile="lenient")
    assert attachment.declared_mime_type == "image/jpeg"
    assert attachment.detected_mime_type == "image/png"
    return attachment, data


# --- GET, HEAD, headers ----------------------------------------------------------------------


def test_get_serves_the_bytes_with_exact_headers(
    media: ServerProcess, png: tuple[apb.Attachment, bytes]
) -> None:
    attachment, data = png
    link = signed(media, attachment)
    assert link.url.startswith(f"{media.media_url}/v1/media/default/{attachment.name[12:]}?")
    assert (link.mime_type, link.size_bytes, link.sha256) == (
        "image/png",
        len(data),
        attachment.sha256,
    )
    answer = fetch(link.url)
    assert answer.status == 200
    assert answer.body == data
    assert answer.headers["Content-Type"] == "image/png"  # detected, not the declared image/jpeg
    assert answer.headers["Content-Length"] == str(len(data))
    assert_fixed_headers(answer, attachment.sha256)
    # The stored name's path part, quotes and backslash are gone; the ASCII fallback drops the
    # accent and puts "_" for each Cyrillic letter; filename* has the UTF-8 name.
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=\"____ ______ ete.png\"; filename*=UTF-8''"
        "%D0%A4%D0%BE%D1%82%D0%BE%20%D0%BE%D1%82%D0%BF%D1%83%D1%81%D0%BA%20%C3%A9t%C3%A9.png"
    )


def test_head_has_the_headers_and_no_body(
    media: ServerProcess, png: tuple[apb.Attachment, bytes]
) -> None:
    attachment, data = png
    answer = fetch(signed(media, attachment).url, "HEAD")
    assert answer.status == 200
    assert answer.body == b""
    assert answer.headers["Content-Type"] == "image/png"
    assert answer.headers["Content-Length"] == str(len(data))
    assert_fixed_headers(answer, attachment.sha256)


def test_if_none_match_is_304(media: ServerProcess, png: tuple[apb.Attachment, bytes]) -> None:
    attachment, _ = png
    url = signed(media, attachment).url
    answer = fetch(url, headers={"If-None-Match": f'"{attachment.sha256}"'})
    assert answer.status == 304
    assert answer.body == b""
    assert answer.headers["ETag"] == f'"{attachment.sha256}"'
    assert fetch(url, headers={"If-None-Match": '"other"'}).status == 200


# --- ranges --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 100),
        ("bytes=1000-1999", 1000, 2000),
        ("bytes=-500", None, 500),
        ("bytes=5000-", 5000, None),
        ("bytes=100-999999999", 100, None),
    ],
    ids=["first", "middle", "suffix", "open-ended", "past-the-end-clipped"],
)
def test_single_range_is_206(
    media: ServerProcess,
    png: tuple[apb.Attachment, bytes],
    header: str,
    start: int | None,
    end: int | None,
) -> None:
    attachment, data = png
    size = len(data)
    first = size - (end or 0) if start is None else start
    last = size if end is None or start is None else end
    answer = fetch(signed(media, attachment).url, headers={"Range": header})
    assert answer.status == 206
    assert answer.body == data[first:last]
    assert answer.headers["Content-Range"] == f"bytes {first}-{last - 1}/{size}"
    assert answer.headers["Content-Length"] == str(last - first)
    assert answer.headers["Content-Type"] == "image/png"
    assert_fixed_headers(answer, attachment.sha256)


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0"])
def test_unsatisfiable_range_is_416(
    media: ServerProcess, png: tuple[apb.Attachment, bytes], header: str
) -> None:
    attachment, data = png
    answer = fetch(signed(media, attachment).url, headers={"Range": header})
    assert answer.status == 416
    assert answer.headers["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "items=0-9", "bytes=9-0", "bytes=x-y"])
def test_several_or_unreadable_ranges_get_the_whole(
    media: ServerProcess, png: tuple[apb.Attachment, bytes], header: str
) -> None:
    attachment, data = png
    answer = fetch(signed(media, attachment).url, headers={"Range": header})
    assert answer.status == 200
    assert answer.body == data
    assert "Content-Range" not in answer.headers


def test_if_range_with_another_etag_gets_the_whole(
    media: ServerProcess, png: tuple[apb.Attachment, bytes]
) -> None:
    attachment, data = png
    url = signed(media, attachment).url
    stale = fetch(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert (stale.status, stale.body) == (200, data)
    fresh = fetch(url, headers={"Range": "bytes=0-9", "If-Range": f'"{attachment.sha256}"'})
    assert (fresh.status, fresh.body) == (206, data[:10])


# --- refusals ------------------------------------------------------------------------------


def test_tampered_urls_are_403(media: ServerProcess, png: tuple[apb.Attachment, bytes]) -> None:
    attachment, _ = png
    url = signed(media, attachment).url
    sig = dict(parse_qsl(urlsplit(url).query))["sig"]
    other = upload(media.stub(), images.png(10, 10), "other.png", "image/png")
    for tampered in (
        with_query(url, sig=("A" if sig[0] != "A" else "B") + sig[1:]),
        with_query(url, exp=str(int(dict(parse_qsl(urlsplit(url).query))["exp"]) + 60)),
        with_query(url, d="some-delivery"),
        with_query(url, kid="old"),
        with_query(url, sig="garbage!"),
        url.replace(attachment.name[12:], other.name[12:]),
        url.replace("/default/", "/another-tenant/"),
        url.split("?")[0],
        url + "&sig=" + sig,
    ):
        assert_forbidden(fetch(tampered))
        assert_forbidden(fetch(tampered, "HEAD"), head=True)
    assert fetch(url).status == 200
    # The refusal is logged by kind, without the signature.
    assert not any(sig in line for line in media.log)
    media.wait_for_log(r"media link refused \(bad_signature\)")


def test_expired_url_is_403(media: ServerProcess, png: tuple[apb.Attachment, bytes]) -> None:
    attachment, _ = png
    path = path_of(signed(media, attachment).url)
    expired = offline_url(media, path, "new", NEW_SECRET, int(time.time()) - 1)
    assert_forbidden(fetch(expired))
    live = offline_url(media, path, "new", NEW_SECRET, int(time.time()) + 600)
    assert fetch(live).status == 200
    media.wait_for_log(r"media link refused \(expired\)")


def test_unknown_key_is_403(media: ServerProcess, png: tuple[apb.Attachment, bytes]) -> None:
    attachment, _ = png
    path = path_of(signed(media, attachment).url)
    url = offline_url(media, path, "ghost", b"g" * 32, int(time.time()) + 600)
    assert_forbidden(fetch(url))
    media.wait_for_log(r"media link refused \(unknown_key\)")


def test_rotated_key(
    media: ServerProcess,
    png: tuple[apb.Attachment, bytes],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A URL signed with the old key works while the old key is in the ring; a server whose
    ring has only the new key refuses it."""
    attachment, data = png
    path = path_of(signed(media, attachment).url)
    expires = int(time.time()) + 600
    assert signed(media, attachment).url.count("kid=new") == 1
    old_url = offline_url(media, path, "old", OLD_SECRET, expires)
    answer = fetch(old_url)
    assert (answer.status, answer.body) == (200, data)
    rotated = start_server(tmp_path_factory.mktemp("rotated"), {"new": NEW_SECRET}, "new")
    try:
        assert_forbidden(fetch(offline_url(rotated, path, "old", OLD_SECRET, expires)))
        # The new key still verifies there (that attachment is not stored there: 404, not 403).
        assert fetch(offline_url(rotated, path, "new", NEW_SECRET, expires)).status == 404
    finally:
        rotated.terminate()


def test_deleted_attachment_is_404(media: ServerProcess) -> None:
    attachment = upload(media.stub(), images.jpeg(64, 48), "gone.jpg", "image/jpeg")
    url = signed(media, attachment).url
    preview_url = signed(media, attachment, preview=preview_pb2.PreviewSpec()).url
    assert fetch(url).status == 200
    media.stub().DeleteAttachment(pb.DeleteAttachmentRequest(name=attachment.name))
    for gone in (url, preview_url):
        answer = fetch(gone)
        assert (answer.status, answer.body) == (404, b"not found\n")
        assert fetch(gone, "HEAD").status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405(
    media: ServerProcess, png: tuple[apb.Attachment, bytes], method: str
) -> None:
    attachment, _ = png
    answer = fetch(signed(media, attachment).url, method)
    assert answer.status == 405
    assert answer.headers["Allow"] == "GET, HEAD"


def test_a_delivery_bound_url_is_served(
    media: ServerProcess, png: tuple[apb.Attachment, bytes]
) -> None:
    attachment, data = png
    path = path_of(signed(media, attachment).url)
    url = offline_url(media, path, "new", NEW_SECRET, int(time.time()) + 600, "delivery-1")
    assert fetch(url).body == data


# --- previews and renditions -----------------------------------------------------------------


def test_preview_url(media: ServerProcess) -> None:
    attachment = upload(media.stub(), pdfs.pdf(pages=2), "report.pdf", "application/pdf")
    spec = preview_pb2.PreviewSpec(max_width=200, max_height=150, page=2)
    link = signed(media, attachment, preview=spec)
    assert "/preview/200x150-webp-q80-p2?" in link.url
    assert link.mime_type == "image/webp"
    answer = fetch(link.url)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "image/webp"
    assert answer.headers["Content-Length"] == str(link.size_bytes) == str(len(answer.body))
    assert hashlib.sha256(answer.body).hexdigest() == link.sha256
    assert_fixed_headers(answer, link.sha256)
    assert 'filename="report-preview.webp"' in answer.headers["Content-Disposition"]
    with Image.open(io.BytesIO(answer.body)) as image:
        assert image.format == "WEBP"
        assert image.width <= 200 and image.height <= 150
    preview = media.stub().GetPreview(pb.GetPreviewRequest(name=attachment.name, spec=spec))
    assert preview.content == answer.body


def test_voice_rendition_url(media: ServerProcess) -> None:
    voice = media.stub().UploadVoiceMessage(
        voice_requests(audio.wav(3.0), "note.wav", "audio/wav"), timeout=60
    )
    rendition = voice.renditions[0]
    link = signed(media, voice.attachment, voice_rendition=True)
    assert link.url.split("?")[0].endswith("/rendition")
    assert (link.mime_type, link.size_bytes, link.sha256) == (
        rendition.mime_type,
        rendition.size_bytes,
        rendition.sha256,
    )
    answer = fetch(link.url)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == rendition.mime_type
    assert hashlib.sha256(answer.body).hexdigest() == rendition.sha256
    assert 'filename="note.m4a"' in answer.headers["Content-Disposition"]


# --- CreateSignedUrl errors and lifetimes ------------------------------------------------------


def reason_of(error: grpc.RpcError) -> str:
    return error_details(error)[0].reason


def test_create_signed_url_errors(media: ServerProcess, png: tuple[apb.Attachment, bytes]) -> None:
    stub = media.stub()
    cases = [
        (
            delivery_pb2.CreateSignedUrlRequest(name="nope"),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_NAME",
        ),
        (
            delivery_pb2.CreateSignedUrlRequest(name="attachments/" + "0" * 32),
            grpc.StatusCode.NOT_FOUND,
            "ATTACHMENT_NOT_FOUND",
        ),
        (
            delivery_pb2.CreateSignedUrlRequest(name=png[0].name, voice_rendition=True),
            grpc.StatusCode.NOT_FOUND,
            "NOT_A_VOICE_MESSAGE",
        ),
        (
            delivery_pb2.CreateSignedUrlRequest(
                name=png[0].name, preview=preview_pb2.PreviewSpec(max_width=99999)
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_PREVIEW_SPEC",
        ),
    ]
    for request, code, reason in cases:
        with pytest.raises(grpc.RpcError) as raised:
            stub.CreateSignedUrl(request, timeout=30)
        assert raised.value.code() == code
        assert reason_of(raised.value) == reason


@pytest.mark.parametrize(
    ("ttl", "lifetime"),
    [(None, 900), (0.0, 900), (1.0, 300), (3600.0, 3600), (30 * 86400.0, 7 * 86400)],
    ids=["default", "zero", "raised-to-min", "as-asked", "lowered-to-max"],
)
def test_ttl_is_clamped(
    media: ServerProcess, png: tuple[apb.Attachment, bytes], ttl: float | None, lifetime: int
) -> None:
    before = time.time()
    link = signed(media, png[0], ttl_seconds=ttl)
    after = time.time()
    expires = link.expire_time.seconds
    assert before + lifetime <= expires <= math.ceil(after + lifetime)
    assert dict(parse_qsl(urlsplit(link.url).query))["exp"] == str(expires)


# --- big files: streaming, memory, disconnects -----------------------------------------------


@pytest.fixture(scope="module")
def big(media: ServerProcess) -> tuple[str, str, int]:
    data = csv_bytes(10 * MIB)
    attachment = upload(media.stub(), data, "export.csv", "text/csv", profile="big")
    return signed(media, attachment).url, attachment.sha256, len(data)


def stream_digest(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=120)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}")
        response = connection.getresponse()
        digest = hashlib.sha256()
        while block := response.read(64 * 1024):
            digest.update(block)
        return response.status, digest.hexdigest()
    finally:
        connection.close()


def test_big_file_streams_in_bounded_memory(
    media: ServerProcess, big: tuple[str, str, int]
) -> None:
    url, sha256, _ = big
    assert stream_digest(url) == (200, sha256)  # warm: first-use allocations are not growth
    baseline = media.peak_rss_bytes()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(stream_digest, [url] * 8))
    assert results == [(200, sha256)] * 8
    growth = media.peak_rss_bytes() - baseline
    assert growth < 40 * MIB, f"peak RSS grew {growth / MIB:.1f} MiB for 8 x 10 MiB fetches"


def test_client_going_away_mid_body_leaves_the_server_healthy(
    media: ServerProcess, big: tuple[str, str, int]
) -> None:
    url, sha256, _ = big
    parts = urlsplit(url)
    host, port = parts.netloc.split(":")
    logged = len(media.log)
    for _ in range(3):
        with socket.create_connection((host, int(port)), timeout=30) as raw:
            raw.sendall(f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            received = 0
            while received < 256 * 1024:
                received += len(raw.recv(64 * 1024))
            # Unread data on close makes the kernel send a reset: the server's next write fails.
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    media.wait_for_log(r"media client went away after \d+ of 10485760 bytes", after=logged)
    assert stream_digest(url) == (200, sha256)
    noise = [line for line in media.log[logged:] if "ERROR" in line or "Traceback" in line]
    assert noise == [], "".join(media.log[logged:])
