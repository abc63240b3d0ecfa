"""What only the S3 blob store does, against a real SeaweedFS: multipart uploads streamed in
bounded memory, the sha256 checked by the object store, ranged reads, presigned URLs. (What
every BlobStore does is in test_blob_contract.py.)"""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from mediagate.store.s3_blobs import MIN_PART_BYTES, S3BlobStore
from mediagate.store.s3_client import DigestMismatch, ObjectStoreError
from tests.support.seaweed import SeaweedS3

MIB = 1024 * 1024


@pytest.fixture
def bucket(seaweed: SeaweedS3) -> str:
    return seaweed.shared_bucket


@pytest.fixture
def prefix() -> str:
    return f"{os.urandom(6).hex()}/"  # each test's own keys in the shared bucket


@pytest.fixture
def client(seaweed: SeaweedS3) -> Any:
    return seaweed.client()


@pytest.fixture
def blobs(client: Any, bucket: str, prefix: str, tmp_path: Path) -> S3BlobStore:
    return S3BlobStore(client, bucket, tmp_path, prefix=prefix, part_bytes=MIN_PART_BYTES)


def pending_uploads(client: Any, bucket: str, prefix: str) -> list[Any]:
    """Multipart uploads begun and neither completed nor aborted."""
    answer = client.list_multipart_uploads(Bucket=bucket, Prefix=prefix)
    uploads: list[Any] = answer.get("Uploads", [])
    return uploads


def staged_file(blobs: S3BlobStore, size: int) -> tuple[Path, str]:
    """A staged file of random bytes, written a MiB at a time (never whole in memory)."""
    path = blobs.staging_dir / f"upload-{os.urandom(4).hex()}"
    digest = hashlib.sha256()
    with path.open("wb") as f:
        for _ in range(size // MIB):
            chunk = os.urandom(MIB)
            digest.update(chunk)
            f.write(chunk)
    return path, digest.hexdigest()


def test_a_large_blob_goes_up_in_parts_with_one_part_in_memory(
    blobs: S3BlobStore, client: Any, bucket: str, prefix: str
) -> None:
    path, sha = staged_file(blobs, 20 * MIB)
    tracemalloc.start()
    try:
        blobs.adopt(path, sha)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Four 5 MiB parts: a part, plus what boto3 holds while sending it; never the 20 MiB.
    assert peak < 12 * MIB, f"peak {peak / MIB:.1f} MiB"
    head = client.head_object(Bucket=bucket, Key=f"{prefix}blobs/{sha[:2]}/{sha}")
    assert head["ETag"].strip('"').endswith("-4")  # a multipart object of four parts
    assert head["Metadata"]["sha256"] == sha
    assert not path.exists()
    digest = hashlib.sha256()
    with blobs.open(sha) as f:
        while chunk := f.read(MIB):
            digest.update(chunk)
    assert digest.hexdigest() == sha
    assert pending_uploads(client, bucket, prefix) == []


def test_the_object_store_refuses_bytes_that_are_not_the_digest(blobs: S3BlobStore) -> None:
    path = blobs.staging_dir / "upload-small"
    path.write_bytes(b"these bytes")
    wrong = hashlib.sha256(b"other bytes").hexdigest()
    with pytest.raises(DigestMismatch, match="BadDigest"):
        blobs.adopt(path, wrong)
    assert not blobs.exists(wrong)
    assert path.exists()  # kept for the caller, whose failure handling removes it


def test_a_multipart_upload_of_the_wrong_digest_is_aborted(
    blobs: S3BlobStore, client: Any, bucket: str, prefix: str
) -> None:
    path, _ = staged_file(blobs, 6 * MIB)
    wrong = "ab" * 32
    with pytest.raises(DigestMismatch):
        blobs.adopt(path, wrong)
    assert not blobs.exists(wrong)
    assert pending_uploads(client, bucket, prefix) == []


def test_reads_are_ranged_gets_of_what_is_read(blobs: S3BlobStore, client: Any) -> None:
    data = os.urandom(12 * MIB)
    path = blobs.staging_dir / "upload-ranged"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    blobs.adopt(path, sha)
    asked: list[str] = []
    sent: list[int] = []

    def before(params: dict[str, Any], **_: Any) -> None:
        asked.append(params["headers"].get("Range", ""))

    def after(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        sent.append(int(parsed.get("ContentLength", 0)))

    client.meta.events.register("before-call.s3.GetObject", before)
    client.meta.events.register("after-call.s3.GetObject", after)
    with blobs.open(sha) as f:
        f.seek(1000)
        assert f.read(1000) == data[1000:2000]
    assert asked == ["bytes=1000-1999"]
    assert sent == [1000]  # the object store sent the range, not the object
    # A long sequential read takes few GETs: each window doubles (up to 16 MiB).
    asked.clear()
    with blobs.open(sha) as f:
        f.seek(5 * MIB)
        got = b"".join(iter(lambda: f.read(256 * 1024), b""))
    assert got == data[5 * MIB :]
    assert len(asked) <= 6, asked


def test_a_presigned_url_serves_the_blob_and_a_tampered_one_is_refused(
    blobs: S3BlobStore,
) -> None:
    path = blobs.staging_dir / "upload-presigned"
    path.write_bytes(b"presigned bytes")
    sha = hashlib.sha256(b"presigned bytes").hexdigest()
    blobs.adopt(path, sha)
    url = blobs.presigned_url(sha, 300, content_type="text/plain", file_name="a.txt")
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.read() == b"presigned bytes"
        assert answer.headers["Content-Type"] == "text/plain"
        assert 'filename="a.txt"' in answer.headers["Content-Disposition"]
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    signature = query["X-Amz-Signature"][0]
    query["X-Amz-Signature"] = [("0" if signature[0] != "0" else "1") + signature[1:]]
    tampered = parts._replace(query=urllib.parse.urlencode(query, doseq=True)).geturl()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(tampered, timeout=10)
    assert refused.value.code == 403


def test_a_missing_bucket_fails_at_start(client: Any, tmp_path: Path) -> None:
    with pytest.raises(ObjectStoreError, match="no-such-bucket"):
        S3BlobStore(client, "no-such-bucket", tmp_path)


def test_local_copies_are_verified_and_dropped_with_the_blob(blobs: S3BlobStore) -> None:
    path = blobs.staging_dir / "upload-copy"
    path.write_bytes(b"copy me")
    sha = hashlib.sha256(b"copy me").hexdigest()
    blobs.adopt(path, sha)
    copy = blobs.local_path(sha)
    assert copy.read_bytes() == b"copy me"
    assert blobs.copies.usage() == (1, 7)
    blobs.delete(sha)
    assert not copy.exists()
    assert blobs.copies.usage() == (0, 0)


def test_prepare_sends_the_bytes_before_adopt(blobs: S3BlobStore) -> None:
    path = blobs.staging_dir / "upload-ahead"
    path.write_bytes(b"sent ahead")
    sha = hashlib.sha256(b"sent ahead").hexdigest()
    blobs.prepare(path, sha)
    assert blobs.exists(sha) and path.exists()
    blobs.adopt(path, sha)
    assert not path.exists()


def test_an_upload_a_dead_replica_left_unfinished_is_listed_and_aborted(
    blobs: S3BlobStore, client: Any, bucket: str, prefix: str
) -> None:
    """A replica killed mid-way through a multipart upload never completes or aborts it: its
    parts stay in the bucket until the orphan cleanup aborts it (when old enough)."""
    import time

    key = f"{prefix}blobs/ab/" + "ab" * 32
    started = client.create_multipart_upload(Bucket=bucket, Key=key)
    client.upload_part(
        Bucket=bucket, Key=key, UploadId=started["UploadId"], PartNumber=1, Body=b"x" * 1024
    )
    (left,) = list(blobs.unfinished_uploads())
    assert left.path == f"{key}?uploadId={started['UploadId']}"
    assert blobs.abort_upload(left.path, written_before=time.time() - 3600) is None  # too young
    assert len(pending_uploads(client, bucket, prefix)) == 1
    assert blobs.abort_upload(left.path, written_before=time.time() + 60) == 0
    assert pending_uploads(client, bucket, prefix) == []
    assert list(blobs.unfinished_uploads()) == []
    assert blobs.abort_upload(left.path, written_before=time.time() + 60) is None  # gone
