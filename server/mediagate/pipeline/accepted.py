"""What runs once a file is accepted and stored: hooks, named in one list, called in order.

The hooks themselves live with the use cases that own the work (eager previews belong to
usecases/previews.py); the server assembly registers them here, so the upload flow needs no
knowledge of what they do. A hook starts background work and returns at once: an upload's
answer never waits for it, and a hook's failure is logged, never the caller's.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from mediagate.policy.profiles import Profile
from mediagate.store.records import AttachmentRecord

log = logging.getLogger(__name__)


class OnAccepted(Protocol):
    def __call__(self, record: AttachmentRecord, profile: Profile) -> None: ...


class AcceptedHooks:
    def __init__(self, hooks: Sequence[OnAccepted] = ()) -> None:
        self._hooks = list(hooks)

    def run(self, record: AttachmentRecord, profile: Profile) -> None:
        for hook in self._hooks:
            try:
                hook(record, profile)
            except Exception:
                log.exception("an on-accepted hook failed for %s", record.id)
