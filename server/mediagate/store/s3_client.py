"""Making the boto3 client the S3 blob store talks through, and translating its failures.

boto3's clients are thread-safe, and the store is called from several threads at once (commits
in the default executor, reads in store/reads.py's pool, downloads in to_thread), so one client
serves them all; its connection pool is sized for that. Every failure leaves here as an OSError
(ObjectStoreError), which is what callers of a BlobStore already handle: a disk that fails and
an object store that fails look the same to them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError


@dataclass(frozen=True)
class S3Location:
    endpoint: str  # "" = AWS's own endpoint for the region
    bucket: str
    region: str = "us-east-1"
    access_key_id: str = ""  # "" = boto3's own chain (environment, instance role, ...)
    secret_access_key: str = ""
    prefix: str = ""  # every key starts with it, so one bucket can hold several deployments


class ObjectStoreError(OSError):
    """The object store failed or refused a request."""


class DigestMismatch(ObjectStoreError):
    """Bytes whose sha256 is not the one they were stored under (BadDigest, or ours)."""


def make_client(location: S3Location, max_connections: int = 64) -> Any:
    config = Config(
        signature_version="s3v4",
        # Path-style works on every S3-compatible server; virtual hosts need DNS for buckets.
        s3={"addressing_style": "path"},
        # We send the sha256 ourselves (x-amz-checksum-sha256); without this botocore would add
        # a CRC32 trailer of its own to every upload.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        max_pool_connections=max_connections,
        retries={"mode": "standard", "max_attempts": 4},
        connect_timeout=5,
        read_timeout=60,
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=location.endpoint or None,
        region_name=location.region,
        aws_access_key_id=location.access_key_id or None,
        aws_secret_access_key=location.secret_access_key or None,
        config=config,
    )


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_missing(exc: ClientError) -> bool:
    return error_code(exc) in {"404", "NoSuchKey", "NotFound"}


@contextlib.contextmanager
def translated(what: str) -> Iterator[None]:
    """Runs S3 calls, turning their failures into ObjectStoreError (DigestMismatch for a
    checksum the server refused)."""
    try:
        yield
    except ClientError as exc:
        code = error_code(exc)
        if code in {"BadDigest", "XAmzContentChecksumMismatch", "InvalidDigest"}:
            raise DigestMismatch(f"{what}: the object store refused the checksum ({code})") from exc
        raise ObjectStoreError(f"{what}: {code or exc}") from exc
    except BotoCoreError as exc:
        raise ObjectStoreError(f"{what}: {exc}") from exc
