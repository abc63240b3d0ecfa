"""BlobStore on S3-compatible object storage (AWS S3, SeaweedFS, MinIO, ...), for replicas that
share their blobs. The same contract as FileBlobStore (tests/unit/store/test_blob_contract.py
runs one suite against both).

Keys, under an optional prefix: blobs/ab/<sha256> for blobs, derived/<sha256>/<key> for what
is derived from them (previews, voice results), so a source's derived objects are one listing.

- adopt streams the staged file: up to part_bytes in one PUT, larger files as a multipart
  upload of part_bytes parts, one part in memory at a time. The sha256 is the S3 checksum: a
  single PUT sends the file's digest (x-amz-checksum-sha256) and the store refuses bytes that
  do not match it (BadDigest); a multipart upload sends each part's digest, which the store
  checks per part, while the whole file's digest is computed here as the parts go and the
  upload is aborted, never completed, when it is not the one the file was adopted under. The
  digest is also kept in the object's metadata (x-amz-meta-sha256).
- open returns a file whose reads are ranged GETs (store/s3_ranged.py).
- local_path fetches the blob into a bounded local folder of copies (store/local_copies.py)
  for the worker processes, which need a path.
- Staging stays on local disk: uploads spool there, and only adopt sends bytes away.

The preview cache's budget. On disk the budget is exact: one process owns the files. Several
replicas share a bucket, and keeping exact LRU order across them would cost a write per cache
hit. So each replica keeps the same in-memory index as FileBlobStore (store/cache_index.py),
built at start from a listing of the bucket's cache entries (oldest written first) and kept by
its own puts and hits; when its total passes the budget it deletes the entries it used least
recently. One replica therefore keeps the budget exactly as on disk; with N replicas each
evicts from what it knows, so the bucket holds at most about N budgets of previews between
restarts. Entries never outlive their source either way: they are deleted with it.

Threads: every method may block on the network, so callers run them off the event loop (they
do for FileBlobStore too); boto3's client is thread-safe and shared.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from botocore.exceptions import ClientError

from mediagate.store.blobs import BlobUsage
from mediagate.store.cache_index import CacheIndex
from mediagate.store.file_info import FileInfo
from mediagate.store.local_copies import LocalCopies
from mediagate.store.s3_client import DigestMismatch, is_missing, translated
from mediagate.store.s3_ranged import RangedObject
from mediagate.store.staging import StagingDir

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
MIN_PART_BYTES = 5 * 1024 * 1024  # S3's smallest part but the last
DEFAULT_PART_BYTES = 8 * 1024 * 1024
MAX_PRESIGN_SECONDS = 7 * 86400  # SigV4's limit


class S3BlobStore:
    def __init__(
        self,
        client: Any,
        bucket: str,
        local_dir: Path,
        prefix: str = "",
        cache_bytes: int | None = None,
        cache_prefixes: Iterable[str] = (),
        local_copy_bytes: int = 2 * 1024**3,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> None:
        if part_bytes < MIN_PART_BYTES:
            raise ValueError(f"S3 parts are at least {MIN_PART_BYTES} bytes")
        self._s3 = client
        self._bucket = bucket
        self._prefix = prefix
        self._part_bytes = part_bytes
        self._staging = StagingDir(local_dir / "staging", local_dir)
        self.copies = LocalCopies(local_dir / "s3-copies", local_copy_bytes)
        with translated(f"bucket {bucket}"):
            client.head_bucket(Bucket=bucket)  # fail at start, not at the first upload
        self._cache_prefixes = tuple(cache_prefixes)
        self._cache_lock = threading.Lock()
        self._cache: CacheIndex | None = None
        if cache_bytes is not None and self._cache_prefixes:
            self._cache = CacheIndex(cache_bytes)
            self._index_cache()

    # Keys.

    def _blob_key(self, sha256: str) -> str:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 digest: {sha256!r}")
        return f"{self._prefix}blobs/{sha256[:2]}/{sha256}"

    def _derived_folder(self, source_sha256: str) -> str:
        self._blob_key(source_sha256)  # validates the digest
        return f"{self._prefix}derived/{source_sha256}/"

    def _derived_key(self, source_sha256: str, key: str) -> str:
        if not _KEY.match(key):
            raise ValueError(f"not a derived-blob key: {key!r}")
        return self._derived_folder(source_sha256) + key

    # Blobs.

    @property
    def staging_dir(self) -> Path:
        return self._staging.folder

    def prepare(self, staged: Path, sha256: str) -> None:
        """Uploads the staged file now, keeping it staged: AttachmentStore calls this before it
        takes the lock that serialises commits and deletes, so the lock is held for a HEAD, not
        for an upload. If a delete takes the object meanwhile, adopt uploads it again."""
        key = self._blob_key(sha256)
        if self._head(key) is None:
            self._upload(staged, key, sha256)

    def adopt(self, staged: Path, sha256: str) -> None:
        key = self._blob_key(sha256)
        if self._head(key) is None:
            self._upload(staged, key, sha256)
        staged.unlink(missing_ok=True)

    def _upload(self, staged: Path, key: str, sha256: str) -> None:
        size = staged.stat().st_size
        with staged.open("rb") as file:
            if size <= self._part_bytes:
                with translated(f"storing {sha256[:16]}"):
                    self._s3.put_object(
                        Bucket=self._bucket,
                        Key=key,
                        Body=file,
                        ContentLength=size,
                        ChecksumSHA256=_b64(bytes.fromhex(sha256)),
                        Metadata={"sha256": sha256},
                    )
            else:
                self._upload_parts(file, key, sha256)

    def _upload_parts(self, file: BinaryIO, key: str, sha256: str) -> None:
        with translated(f"storing {sha256[:16]}"):
            upload = self._s3.create_multipart_upload(
                Bucket=self._bucket,
                Key=key,
                ChecksumAlgorithm="SHA256",
                Metadata={"sha256": sha256},
            )
        upload_id = upload["UploadId"]
        try:
            whole = hashlib.sha256()
            parts: list[dict[str, Any]] = []
            while part := file.read(self._part_bytes):
                whole.update(part)
                number = len(parts) + 1
                checksum = _b64(hashlib.sha256(part).digest())
                with translated(f"storing part {number} of {sha256[:16]}"):
                    answer = self._s3.upload_part(
                        Bucket=self._bucket,
                        Key=key,
                        UploadId=upload_id,
                        PartNumber=number,
                        Body=part,
                        ChecksumSHA256=checksum,
                    )
                parts.append(
                    {"PartNumber": number, "ETag": answer["ETag"], "ChecksumSHA256": checksum}
                )
                del part  # one part in memory at a time
            if whole.hexdigest() != sha256:
                raise DigestMismatch(f"the staged file hashes to {whole.hexdigest()}, not {sha256}")
            with translated(f"storing {sha256[:16]}"):
                self._s3.complete_multipart_upload(
                    Bucket=self._bucket,
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )
        except BaseException:
            try:
                self._s3.abort_multipart_upload(Bucket=self._bucket, Key=key, UploadId=upload_id)
            except Exception:  # the failure being raised matters more; the bucket's own
                log.warning("could not abort the upload of %s", sha256[:16], exc_info=True)
            raise

    def open(self, sha256: str) -> BinaryIO:
        key = self._blob_key(sha256)
        head = self._head(key)
        if head is None:
            raise FileNotFoundError(f"no blob {sha256}")
        return cast(BinaryIO, RangedObject(self._s3, self._bucket, key, int(head["ContentLength"])))

    def exists(self, sha256: str) -> bool:
        return self._head(self._blob_key(sha256)) is not None

    def stored_digest(self, sha256: str) -> tuple[int, str] | None:
        """The object's size and the sha256 its metadata names (both upload paths set it, after
        S3 checked the bytes against it), from one HEAD; None when there is no object. For
        copying into the bucket (usecases/migrate_storage.py): what is there is not sent again."""
        head = self._head(self._blob_key(sha256))
        if head is None:
            return None
        return int(head["ContentLength"]), str(head.get("Metadata", {}).get("sha256", ""))

    def delete(self, sha256: str) -> None:
        with translated(f"deleting {sha256[:16]}"):
            self._s3.delete_object(Bucket=self._bucket, Key=self._blob_key(sha256))
        self.copies.drop(sha256)
        self.drop_derived(sha256)

    def all_digests(self) -> Iterator[str]:
        for item in self._list(f"{self._prefix}blobs/"):
            name = item["Key"].rsplit("/", 1)[-1]
            if _SHA256.match(name):
                yield name

    def local_path(self, sha256: str) -> Path:
        key = self._blob_key(sha256)

        def fetch(temp: Path) -> None:
            digest = hashlib.sha256()
            with self.open(sha256) as source, temp.open("wb") as target:
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
                    target.write(chunk)
            if digest.hexdigest() != sha256:
                raise DigestMismatch(f"{key} does not hash to its name")

        return self.copies.path(sha256, fetch)

    def presigned_url(
        self, sha256: str, seconds: float, content_type: str = "", file_name: str = ""
    ) -> str:
        """A GET URL for the blob that the object store itself verifies, valid for `seconds`
        (at most 7 days, SigV4's limit); the type and file name the answer will carry."""
        params: dict[str, Any] = {"Bucket": self._bucket, "Key": self._blob_key(sha256)}
        if content_type:
            params["ResponseContentType"] = content_type
        if file_name:
            params["ResponseContentDisposition"] = f'attachment; filename="{file_name}"'
        expires = max(1, min(MAX_PRESIGN_SECONDS, int(seconds)))
        with translated("presigning"):
            url: str = self._s3.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires
            )
        return url

    # Derived blobs.

    def get_derived(self, source_sha256: str, key: str) -> bytes | None:
        object_key = self._derived_key(source_sha256, key)
        try:
            with translated(f"reading {object_key}"):
                answer = self._s3.get_object(Bucket=self._bucket, Key=object_key)
                data: bytes = answer["Body"].read()
        except OSError as exc:
            if isinstance(exc.__cause__, ClientError) and is_missing(exc.__cause__):
                return None
            raise
        if self._cache is not None and self._is_cache_key(key):
            with self._cache_lock:
                self._cache.touch(_entry(source_sha256, key))
        return data

    def put_derived(self, source_sha256: str, key: str, data: bytes) -> None:
        object_key = self._derived_key(source_sha256, key)
        cache = self._cache if self._is_cache_key(key) else None
        if cache is not None and (not cache.admits(len(data)) or not self.exists(source_sha256)):
            return
        with translated(f"storing {object_key}"):
            self._s3.put_object(
                Bucket=self._bucket,
                Key=object_key,
                Body=data,
                ChecksumSHA256=_b64(hashlib.sha256(data).digest()),
            )
        if cache is None:
            return
        if not self.exists(source_sha256):
            # Deleted while this was written: its delete listed the folder before this put.
            self._delete_keys([object_key])
            return
        with self._cache_lock:
            victims = cache.add(_entry(source_sha256, key), len(data))
        self._delete_keys([self._derived_key(*victim.split("/", 1)) for victim in victims])

    def derived_sources(self) -> Iterator[str]:
        # From the objects themselves, not a delimiter listing: a filer-backed store
        # (SeaweedFS) still lists the "folder" of objects just deleted as a common prefix.
        folder = f"{self._prefix}derived/"
        last = ""
        for item in self._list(folder):  # in key order: a source's objects are adjacent
            source = item["Key"][len(folder) :].split("/", 1)[0]
            if source != last and _SHA256.match(source):
                last = source
                yield source

    def drop_derived(self, source_sha256: str) -> None:
        folder = self._derived_folder(source_sha256)
        keys = [item["Key"] for item in self._list(folder)]
        if self._cache is not None:
            with self._cache_lock:
                for key in keys:
                    self._cache.remove(_entry(source_sha256, key[len(folder) :]))
        self._delete_keys(keys)

    def cache_usage(self) -> tuple[int, int, int]:
        """The cache's entries, the bytes they are charged and its budget (all 0: unbounded)."""
        if self._cache is None:
            return 0, 0, 0
        with self._cache_lock:
            return len(self._cache), self._cache.charged_bytes, self._cache.max_bytes

    # For operators.

    def blob_info(self, sha256: str) -> FileInfo | None:
        key = self._blob_key(sha256)
        head = self._head(key)
        if head is None:
            return None
        return FileInfo(key, int(head["ContentLength"]), head["LastModified"].timestamp())

    def derived_info(self, source_sha256: str) -> FileInfo | None:
        folder = self._derived_folder(source_sha256)
        items = list(self._list(folder))
        if not items:
            return None
        return FileInfo(
            folder,
            sum(int(item["Size"]) for item in items),
            max(item["LastModified"].timestamp() for item in items),
        )

    def staged_files(self) -> Iterator[FileInfo]:
        return self._staging.files()

    def remove_staged(self, name: str, written_before: float) -> int | None:
        return self._staging.remove(name, written_before)

    def unfinished_uploads(self) -> Iterator[FileInfo]:
        paginator = self._s3.get_paginator("list_multipart_uploads")
        with translated("listing unfinished uploads"):
            for page in paginator.paginate(Bucket=self._bucket, Prefix=self._prefix):
                for upload in page.get("Uploads", []):
                    yield FileInfo(
                        f"{upload['Key']}?uploadId={upload['UploadId']}",
                        0,
                        upload["Initiated"].timestamp(),
                    )

    def abort_upload(self, name: str, written_before: float) -> int | None:
        key, _, upload_id = name.partition("?uploadId=")
        for upload in self.unfinished_uploads():
            if upload.path == name:
                if upload.modify_time >= written_before:
                    return None
                with translated(f"aborting the upload of {key}"):
                    self._s3.abort_multipart_upload(
                        Bucket=self._bucket, Key=key, UploadId=upload_id
                    )
                return 0
        return None

    def clear_staging(self) -> int:
        return self._staging.clear()

    def usage(self) -> BlobUsage:
        blob_count = blob_bytes = 0
        for item in self._list(f"{self._prefix}blobs/"):
            blob_count += 1
            blob_bytes += int(item["Size"])
        cache_entries = cache_bytes = derived_bytes = 0
        for item in self._list(f"{self._prefix}derived/"):
            if self._is_cache_key(item["Key"].rsplit("/", 1)[-1]):
                cache_entries += 1
                cache_bytes += int(item["Size"])
            else:
                derived_bytes += int(item["Size"])
        staged = list(self.staged_files())
        return BlobUsage(
            blob_count=blob_count,
            blob_bytes=blob_bytes,
            cache_entries=cache_entries,
            cache_bytes=cache_bytes,
            cache_budget_bytes=self._cache.max_bytes if self._cache is not None else 0,
            derived_bytes=derived_bytes,
            staging_files=len(staged),
            staging_bytes=sum(i.size_bytes for i in staged),
        )

    # Helpers.

    def _is_cache_key(self, key: str) -> bool:
        return bool(self._cache_prefixes) and key.startswith(self._cache_prefixes)

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            with translated(f"looking up {key}"):
                head: dict[str, Any] = self._s3.head_object(Bucket=self._bucket, Key=key)
                return head
        except OSError as exc:
            if isinstance(exc.__cause__, ClientError) and is_missing(exc.__cause__):
                return None
            raise

    def _list(self, prefix: str) -> Iterator[dict[str, Any]]:
        """Every object under prefix, a page (up to 1,000) at a time."""
        paginator = self._s3.get_paginator("list_objects_v2")
        with translated(f"listing {prefix}"):
            for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
                yield from page.get("Contents", [])

    def _delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes 1,000 keys at most
            batch = [{"Key": key} for key in keys[start : start + 1000]]
            with translated("deleting derived objects"):
                answer = self._s3.delete_objects(
                    Bucket=self._bucket, Delete={"Objects": batch, "Quiet": True}
                )
            for error in answer.get("Errors", []):
                log.warning("could not delete %s: %s", error.get("Key"), error.get("Code"))

    def _index_cache(self) -> None:
        """At start: every cache entry in the bucket into the index, the oldest written first,
        evicting down to the budget."""
        assert self._cache is not None
        folder = f"{self._prefix}derived/"
        found: list[tuple[float, str, int]] = []
        for item in self._list(folder):
            source, _, key = item["Key"][len(folder) :].partition("/")
            if _SHA256.match(source) and self._is_cache_key(key):
                found.append((item["LastModified"].timestamp(), _entry(source, key), item["Size"]))
        found.sort()
        victims: list[str] = []
        for _, entry, size in found:
            victims += self._cache.add(entry, int(size))
        self._delete_keys([self._derived_key(*victim.split("/", 1)) for victim in victims])
        log.info(
            "preview cache (s3): %d entries, %d of %d bytes%s",
            len(self._cache),
            self._cache.charged_bytes,
            self._cache.max_bytes,
            f" ({len(victims)} evicted to fit the budget)" if victims else "",
        )


def _entry(source_sha256: str, key: str) -> str:
    return f"{source_sha256}/{key}"


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()
