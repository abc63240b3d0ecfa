"""How much is stored, and the limits on it: a tenant's quota and the server's storage cap.

- A tenant's quota counts what the tenant sees: each attachment's size (logical bytes) and the
  number of attachments. Two attachments with the same bytes count twice, whoever else stores
  them; a voice message's rendition is an attachment of its own and counts too.
- The storage cap counts what the disk holds: each distinct blob once (physical bytes), across
  every tenant. Previews and other derived blobs are caches and are not counted.

The catalog keeps both up to date in the same transaction as every insert and delete
(store/catalog.py), and re-checks them inside the commit's transaction, so that two uploads
racing for the last bytes cannot both pass. The pipeline checks the same limits earlier (at the
header, and while bytes arrive) against a snapshot, to stop reading as soon as an upload cannot
fit; the commit's check is the one that decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from mediagate.errors import ErrorReason, MediagateError

# RetryInfo on STORAGE_FULL: space comes back when attachments expire or are deleted.
STORAGE_RETRY_SECONDS = 60.0


@dataclass(frozen=True)
class Usage:
    """A tenant's logical usage, and the server's physical usage (every tenant's blobs)."""

    tenant_bytes: int = 0
    tenant_attachments: int = 0
    stored_bytes: int = 0

    def plus(self, other: Usage) -> Usage:
        return Usage(
            self.tenant_bytes + other.tenant_bytes,
            self.tenant_attachments + other.tenant_attachments,
            self.stored_bytes + other.stored_bytes,
        )


@dataclass(frozen=True)
class Limits:
    """0 means no limit."""

    quota_bytes: int = 0  # per tenant, logical
    quota_attachments: int = 0  # per tenant
    storage_cap_bytes: int = 0  # the whole server, physical

    @property
    def any(self) -> bool:
        return bool(self.quota_bytes or self.quota_attachments or self.storage_cap_bytes)


NO_LIMITS = Limits()


def exceeded(limits: Limits, usage: Usage, adding: Usage) -> MediagateError | None:
    """The error for adding `adding` to `usage`, or None when it fits. The tenant's own quota
    is named first: it is what the caller can act on."""
    after = usage.plus(adding)
    count, size, cap = limits.quota_attachments, limits.quota_bytes, limits.storage_cap_bytes
    if count and adding.tenant_attachments and after.tenant_attachments > count:
        return quota_exceeded(count, after.tenant_attachments, "attachments")
    if size and adding.tenant_bytes and after.tenant_bytes > size:
        return quota_exceeded(size, after.tenant_bytes, "bytes")
    if cap and adding.stored_bytes and after.stored_bytes > cap:
        return storage_cap_reached(cap, after.stored_bytes)
    return None


def quota_exceeded(limit: int, actual: int, unit: str) -> MediagateError:
    return MediagateError(
        ErrorReason.QUOTA_EXCEEDED,
        f"This upload would bring the tenant's storage to {actual} {unit}; its quota is "
        f"{limit} {unit}. Delete attachments to make room.",
        {"limit": str(limit), "actual": str(actual), "unit": unit},
    )


def storage_cap_reached(limit: int, actual: int) -> MediagateError:
    return MediagateError(
        ErrorReason.STORAGE_FULL,
        f"The server's storage is full: this upload would bring it to {actual} bytes, over "
        f"its cap of {limit} bytes. Retry later.",
        {"limit": str(limit), "actual": str(actual), "unit": "bytes", "scope": "cap"},
        retry_after_seconds=STORAGE_RETRY_SECONDS,
    )
