"""Taking a file in: the one flow that Upload, Validate and UploadVoiceMessage share.

    header -> idempotent repeat? -> room -> examine (pipeline/upload.py) -> refused? -> keep
    -> hooks

`keep` is what differs: a plain attachment is committed as it is (a HEIC, HEIF or AVIF photo
with its JPEG display rendition, usecases/display_renditions.py); a voice message is processed
first and committed with its rendition (usecases/voice_messages.py). Whatever happens, the
spool is gone when the flow returns: adopted by the store, or removed.

Admission comes first (usecases/admission.py): an upload holds a slot from the moment its
stream opens until it is answered.

Idempotency: an idempotency key names one request, so uses of one key are serialised (per
tenant, in this process; the catalog's unique key settles it across processes). A repeat of the
same request gets the first answer and stores nothing. The same key with other bytes (a
declared sha256 that differs, or bytes that hash otherwise), or first used for the other kind
(an Upload's key sent with UploadVoiceMessage, or the reverse), is IDEMPOTENCY_KEY_REUSED:
neither answer would be the one the caller asked for.

Exactly once: an upload whose caller goes away (cancelled, deadline passed) before its commit
is not kept. One that committed in the instant its caller went away is kept if it had an
idempotency key (the caller's retry with that key gets it), and removed if not (nobody could
ever learn its name).

Room: what the tenant's quota, the storage cap and the free disk space leave for this upload,
read after the idempotency check (a repeat stores nothing, so it is answered even at a full
quota) and handed to the pipeline, which refuses early against it. The store's commit checks
the quota and the cap again, in its transaction, and decides (store/usage.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.intake.header import Header
from mediagate.intake.parts import Parts
from mediagate.pipeline.accepted import AcceptedHooks
from mediagate.pipeline.finish import FinishStep, finish
from mediagate.pipeline.records import record_for
from mediagate.pipeline.room import Room
from mediagate.pipeline.upload import Examined, UploadPipeline
from mediagate.store.attachments import AttachmentStore
from mediagate.store.reads import StoreReads
from mediagate.store.records import AttachmentRecord
from mediagate.telemetry.tracing import stage
from mediagate.usecases.admission import Caller, UploadAdmission
from mediagate.usecases.display_renditions import DisplayRenditions, wants_display

log = logging.getLogger(__name__)


class Kind(enum.StrEnum):
    ATTACHMENT = "an attachment"
    VOICE_MESSAGE = "a voice message"


# Stores an accepted file; returns the stored record and whether it is new (False: another
# upload with the same idempotency key committed first).
Keep = Callable[[Examined, str], Awaitable[tuple[AttachmentRecord, bool]]]
# Checks the header beyond intake's checks (a voice message's transcript); raises to refuse.
HeaderCheck = Callable[[Header], None]


class Uploads:
    def __init__(
        self,
        pipeline: UploadPipeline,
        store: AttachmentStore,
        reads: StoreReads,
        accepted: AcceptedHooks,
        default_profile: str,
        admission: UploadAdmission,
        finish_steps: Sequence[FinishStep] = (),
        displays: DisplayRenditions | None = None,
    ) -> None:
        self._pipeline = pipeline
        self._displays = displays
        self._finish_steps = tuple(finish_steps)
        self._store = store
        self._reads = reads
        self._accepted = accepted
        self._default_profile = default_profile
        self._admission = admission
        self._key_locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}
        self._undoing: set[asyncio.Future[AttachmentRecord | None]] = set()

    async def upload(self, parts: Parts, who: Caller) -> AttachmentRecord:
        return await self.take_in(parts, who, self._default_profile, Kind.ATTACHMENT, self._commit)

    async def validate(self, parts: Parts, who: Caller) -> Examined:
        """The verdict on a file without keeping it: a refusal is an answer, not an error."""
        async with self._admission.slot(who):
            header, profile = await self._pipeline.start(parts, self._default_profile)
            # Nothing is kept, so no quota applies; the spool still needs disk space.
            space = self._store.space
            room = Room(space, await self._reads.free_bytes(space))
            examined = await self._pipeline.examine(parts, header, profile, room)
            try:
                if examined.accepted:
                    await finish(self._finish_steps, examined, keeping=False)
            except Rejected as refused:  # a judging step's refusal is the verdict
                examined.findings = list(refused.findings)
            finally:
                examined.discard()
            return examined

    async def take_in(
        self,
        parts: Parts,
        who: Caller,
        default_profile: str,
        kind: Kind,
        keep: Keep,
        check_header: HeaderCheck | None = None,
    ) -> AttachmentRecord:
        async with self._admission.slot(who):
            header, profile = await self._pipeline.start(parts, default_profile)
            if check_header is not None:
                check_header(header)
            key = header.idempotency_key
            async with self._serialised(who.tenant, key):
                first = None
                if key:
                    first = await self._reads.find_by_idempotency_key(who.tenant, key)
                if first is not None and header.declared.sha256:
                    # The header says which bytes follow: answer without reading them.
                    return await self._repeat(first, kind, key, header.declared.sha256)
                if first is None:
                    room = await self._room(who.tenant, header.declared.sha256)
                else:  # a retry only to compare bytes: it stores nothing, so no quota applies
                    room = Room(self._store.space, await self._reads.free_bytes(self._store.space))
                examined = await self._pipeline.examine(parts, header, profile, room)
                try:
                    if first is not None:
                        return await self._repeat(first, kind, key, examined.sha256)
                    if not examined.accepted:
                        raise Rejected(examined.findings)
                    await finish(self._finish_steps, examined, keeping=True)
                    stored, new = await keep(examined, who.tenant)
                finally:
                    examined.discard()  # a no-op once the store adopted the file
                if not new:  # another process committed this key while this one examined
                    sent = examined.original_sha256 or examined.sha256
                    return await self._repeat(stored, kind, key, sent)
        self._accepted.run(stored, profile)
        return stored

    async def close(self) -> None:
        """Waits for the removals of commits whose callers went away (a stopping server must not
        leave an unacknowledged file behind)."""
        if self._undoing:
            await asyncio.gather(*self._undoing, return_exceptions=True)

    async def committed(
        self, commit: Callable[[], AttachmentRecord], record: AttachmentRecord
    ) -> AttachmentRecord:
        """Runs a commit (in a thread) that its caller's going away cannot interrupt halfway.

        If the caller goes away meanwhile, the commit is still waited for (it takes
        milliseconds, and the spool it may be adopting must not be removed under it), then
        undone unless the upload has an idempotency key, and the cancellation goes on."""
        task = asyncio.ensure_future(asyncio.to_thread(_traced_commit, commit))
        cancelled = False
        while True:
            try:
                stored = await asyncio.shield(task)
                break
            except asyncio.CancelledError:
                if task.done():
                    raise  # the commit itself was cancelled: nothing was kept
                cancelled = True
            except Exception:
                if cancelled:
                    raise asyncio.CancelledError from None
                raise
        if cancelled:
            if stored.id == record.id:
                self.withdraw(record)
            raise asyncio.CancelledError
        return stored

    def withdraw(self, record: AttachmentRecord) -> None:
        """Removes an upload whose answer never reached its caller (the call was cancelled as
        the answer went out), unless it has an idempotency key: then the caller's retry gets it.
        The edge calls it when a call that stored something ends cancelled."""
        if record.idempotency_key:
            return
        log.info("upload %s was stored but its caller went away; removed", record.id)
        undo = asyncio.ensure_future(
            asyncio.to_thread(self._store.delete, record.tenant, record.id)
        )
        self._undoing.add(undo)
        undo.add_done_callback(self._undoing.discard)

    @contextlib.asynccontextmanager
    async def _serialised(self, tenant: str, key: str) -> AsyncIterator[None]:
        """Holds the (tenant, key) lock; no lock for uploads without a key."""
        if not key:
            yield
            return
        name = (tenant, key)
        lock, users = self._key_locks.get(name, (asyncio.Lock(), 0))
        self._key_locks[name] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._key_locks[name]
            if users <= 1:
                del self._key_locks[name]
            else:
                self._key_locks[name] = (lock, users - 1)

    async def _room(self, tenant: str, sha256: str) -> Room:
        space, limits = self._store.space, self._store.limits
        usage, free, stored = await asyncio.gather(
            self._reads.usage(tenant),
            self._reads.free_bytes(space),
            self._stored(sha256),
        )
        return Room(space, free, limits, usage, stored)

    async def _stored(self, sha256: str) -> bool:
        """Whether the declared bytes are stored already: only the storage cap asks."""
        if not sha256 or not self._store.limits.storage_cap_bytes:
            return False
        return await self._reads.is_stored(sha256)

    async def _kind_of(self, record: AttachmentRecord) -> Kind:
        details = await self._reads.voice_details(record.tenant, record.id)
        return Kind.ATTACHMENT if details is None else Kind.VOICE_MESSAGE

    async def _repeat(
        self, first: AttachmentRecord, kind: Kind, key: str, sha256: str
    ) -> AttachmentRecord:
        first_kind = await self._kind_of(first)
        if first_kind is not kind:
            raise _reused(
                key,
                first,
                f"The idempotency_key was first used for {first_kind.value} ({first.name}), "
                f"not {kind.value}; send this request with a key of its own.",
            )
        # What the first upload sent (its stored bytes may differ: metadata stripped).
        if sha256 != (first.original_sha256 or first.sha256):
            raise _reused(
                key,
                first,
                f"The idempotency_key was first used for other bytes ({first.name}, sha256 "
                f"{first.sha256[:16]}...); send this file with a key of its own.",
            )
        return first

    async def _commit(self, examined: Examined, tenant: str) -> tuple[AttachmentRecord, bool]:
        assert examined.spool is not None  # accepted: the whole file arrived
        if self._displays is not None and wants_display(examined):
            return await self._displays.keep(examined, tenant, self.committed)
        record = record_for(examined, tenant)
        spool = examined.spool.path
        stored = await self.committed(lambda: self._store.commit(spool, record), record)
        return stored, stored.id == record.id


def _reused(key: str, first: AttachmentRecord, message: str) -> MediagateError:
    return MediagateError(
        ErrorReason.IDEMPOTENCY_KEY_REUSED, message, {"idempotency_key": key, "name": first.name}
    )


def _traced_commit(commit: Callable[[], AttachmentRecord]) -> AttachmentRecord:
    """The commit (blob adopted, row inserted, limits checked again) as the "store" span."""
    with stage("store"):
        return commit()
