"""The room an upload has: what its tenant's quota, the server's storage cap and the free disk
space above the reserve still allow, as seen when its header arrived.

A snapshot, to refuse early: before any byte when the declared size cannot fit, and the moment
the bytes received would pass what is left (whatever the header declared). Uploads running at
once each see the same snapshot; the commit re-checks the quota and the cap inside its
transaction (store/usage.py), and that check decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mediagate.errors import MediagateError
from mediagate.store.space import DiskSpace
from mediagate.store.usage import NO_LIMITS, Limits, Usage, exceeded


@dataclass(frozen=True)
class Room:
    space: DiskSpace
    free_bytes: int  # on the data directory's filesystem, when the header arrived
    limits: Limits = NO_LIMITS  # NO_LIMITS for what is never stored (Validate)
    usage: Usage = field(default_factory=Usage)
    # The header's sha256 names bytes already stored: if they are what arrives, they add
    # nothing to the storage cap (and if not, the file is refused as CHECKSUM_MISMATCH).
    stored_already: bool = False

    def check(self, incoming: int) -> MediagateError | None:
        """QUOTA_EXCEEDED or STORAGE_FULL if `incoming` more bytes, in one more attachment,
        do not fit. The disk counts them in full (a spool takes its space whatever blob it
        turns out to share), and so does the storage cap unless stored_already."""
        physical = 0 if self.stored_already else incoming
        adding = Usage(tenant_bytes=incoming, tenant_attachments=1, stored_bytes=physical)
        return exceeded(self.limits, self.usage, adding) or self.space.check(
            self.free_bytes, incoming
        )

    def no_space(self) -> MediagateError:
        """STORAGE_FULL for a write that found the disk full."""
        return self.space.full()
