"""A real mediagate server process whose blobs live in S3 (MEDIAGATE_BLOB_BACKEND=s3) on a real
SeaweedFS: upload (a multipart one), download whole and by range, a preview kept as a derived
object, CreateSignedUrl answered with the object store's presigned URL, mediagate's own media
link read by range, and a delete that leaves no object behind."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from PIL import Image

from mediagate.signing.urls import UrlSigner
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import delivery_pb2, preview_pb2
from tests.integration.test_media_endpoint import fetch
from tests.support.calls import download, upload
from tests.support.seaweed import SeaweedS3
from tests.support.server_process import ServerProcess

MIB = 1024 * 1024
SECRET = bytes(range(32))
PREFIX = "mg/"


@pytest.fixture(scope="module")
def bucket(seaweed: SeaweedS3) -> str:
    return seaweed.new_bucket()


@pytest.fixture(scope="module")
def server(
    seaweed: SeaweedS3, bucket: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    env = {
        **seaweed.env(bucket),
        "MEDIAGATE_S3_PREFIX": PREFIX,
        "MEDIAGATE_S3_PART_BYTES": str(5 * MIB),
        "MEDIAGATE_S3_PRESIGNED_URLS": "true",
        "MEDIAGATE_URL_SIGNING_KEYS": f"k1:{base64.b64encode(SECRET).decode()}",
        "MEDIAGATE_URL_SIGNING_KEY_ID": "k1",
    }
    with ServerProcess(tmp_path_factory.mktemp("s3-server") / "data", env) as process:
        yield process


def keys(seaweed: SeaweedS3, bucket: str, prefix: str = PREFIX) -> list[str]:
    answer = seaweed.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in answer.get("Contents", []))


def noisy_png(side: int) -> bytes:
    """A PNG of random pixels: incompressible, so side 1450 is ~6 MiB (a multipart upload)."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_server_on_s3_stores_serves_previews_links_and_deletes(
    server: ServerProcess, seaweed: SeaweedS3, bucket: str
) -> None:
    assert "blobs=s3(" in server.wait_for_log("listening on")
    stub = server.stub()
    data = noisy_png(1450)
    assert len(data) > 5 * MIB
    attachment = upload(stub, data, "noise.png", "image/png")
    sha = attachment.sha256
    stored = download(stub, attachment.name)
    assert hashlib.sha256(stored).hexdigest() == sha
    blob_key = f"{PREFIX}blobs/{sha[:2]}/{sha}"
    assert blob_key in keys(seaweed, bucket)  # beside it, perhaps, the eager preview
    head = seaweed.client().head_object(Bucket=bucket, Key=blob_key)
    assert len(stored) > 5 * MIB and head["ETag"].strip('"').endswith("-2")  # two parts
    assert head["Metadata"]["sha256"] == sha

    # Download by range.
    middle = download(stub, attachment.name, read_offset=1_000_000, read_limit=70_000)
    assert middle == stored[1_000_000:1_070_000]

    # A preview: rendered from a local copy, kept as a derived object beside the blob.
    spec = preview_pb2.PreviewSpec(max_width=120, max_height=120)
    preview = stub.GetPreview(pb.GetPreviewRequest(name=attachment.name, spec=spec), timeout=60)
    assert preview.content[:4] == b"RIFF"  # WebP
    derived = f"{PREFIX}derived/{sha}/preview-120x120-webp-q80-p1"
    assert derived in keys(seaweed, bucket)
    again = stub.GetPreview(pb.GetPreviewRequest(name=attachment.name, spec=spec), timeout=60)
    assert again.content == preview.content

    # CreateSignedUrl: the object store's own presigned URL, served by SeaweedFS directly.
    link = stub.CreateSignedUrl(delivery_pb2.CreateSignedUrlRequest(name=attachment.name))
    assert link.url.startswith(seaweed.endpoint) and "X-Amz-Signature=" in link.url
    with urllib.request.urlopen(link.url, timeout=30) as answer:
        assert hashlib.sha256(answer.read()).hexdigest() == sha
        assert answer.headers["Content-Type"] == "image/png"
    # A preview link stays mediagate's own.
    preview_link = stub.CreateSignedUrl(
        delivery_pb2.CreateSignedUrlRequest(name=attachment.name, preview=spec)
    )
    assert preview_link.url.startswith(server.media_url)
    assert fetch(preview_link.url).body == preview.content

    # mediagate's own media link, by range (the endpoint reads the range from S3).
    path = urlsplit(preview_link.url).path.split("/preview/")[0]  # the attachment's own
    query = UrlSigner({"k1": SECRET}, "k1").sign(path, int(time.time()) + 600, "")
    own = f"{server.media_url}{path}?{urlencode(query)}"
    ranged = fetch(own, headers={"Range": "bytes=2000000-2000999"})
    assert (ranged.status, ranged.body) == (206, stored[2_000_000:2_001_000])

    # Delete: the blob and its derived objects are gone from the bucket.
    stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=attachment.name), timeout=30)
    assert keys(seaweed, bucket) == []
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(link.url, timeout=30)
    assert gone.value.code == 404


def test_a_server_refuses_to_start_without_its_bucket(seaweed: SeaweedS3, tmp_path: Path) -> None:
    env: dict[str, Any] = {**seaweed.env("no-such-bucket")}
    with pytest.raises(RuntimeError, match="no-such-bucket"):
        ServerProcess(tmp_path / "data", env).start(timeout=60)
