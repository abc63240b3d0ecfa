"""Taking a file in: the one flow that Upload, Validate and UploadVoiceMessage share.

    header -> idempotent repeat? -> room -> examine (pipeline/upload.py) -> refused? -> keep
    -> hooks

`keep` is what differs: a plain attachment is committed as it is; a voice message is processed
first and committed with its rendition (usecases/voice_messages.py). Whatever happens, the
spool is gone when the flow returns: adopted by the store, or removed.

Room: what the tenant's quota, the storage cap and the free disk space leave for this upload,
read after the idempotency check (a repeat stores nothing, so it is answered even at a full
quota) and handed to the pipeline, which refuses early against it. The store's commit checks
the quota and the cap again, in its transaction, and decides (store/usage.py).

Idempotency: an idempotency key names one request. A repeat of the same kind of request gets
the first answer and stores nothing; a key first used for the other kind (an Upload's key sent
with UploadVoiceMessage, or the reverse) is IDEMPOTENCY_KEY_REUSED, since neither answer would
be the one the caller asked for.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable

from mediagate.errors import ErrorReason, MediagateError, Rejected
from mediagate.intake.header import Header
from mediagate.intake.parts import Parts
from mediagate.pipeline.accepted import AcceptedHooks
from mediagate.pipeline.records import record_for
from mediagate.pipeline.room import Room
from mediagate.pipeline.upload import Examined, UploadPipeline
from mediagate.store.attachments import AttachmentStore
from mediagate.store.reads import StoreReads
from mediagate.store.records import AttachmentRecord


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
    ) -> None:
        self._pipeline = pipeline
        self._store = store
        self._reads = reads
        self._accepted = accepted
        self._default_profile = default_profile

    async def upload(self, parts: Parts, tenant: str) -> AttachmentRecord:
        return await self.take_in(
            parts, tenant, self._default_profile, Kind.ATTACHMENT, self._commit
        )

    async def validate(self, parts: Parts) -> Examined:
        """The verdict on a file without keeping it: a refusal is an answer, not an error."""
        header, profile = await self._pipeline.start(parts, self._default_profile)
        # Nothing is kept, so no quota applies; the spool still needs disk space.
        space = self._store.space
        room = Room(space, await self._reads.free_bytes(space))
        examined = await self._pipeline.examine(parts, header, profile, room)
        examined.discard()
        return examined

    async def take_in(
        self,
        parts: Parts,
        tenant: str,
        default_profile: str,
        kind: Kind,
        keep: Keep,
        check_header: HeaderCheck | None = None,
    ) -> AttachmentRecord:
        header, profile = await self._pipeline.start(parts, default_profile)
        if check_header is not None:
            check_header(header)
        key = header.idempotency_key
        if key:
            first = await self._reads.find_by_idempotency_key(tenant, key)
            if first is not None:
                return await self._repeat(first, tenant, kind, key)
        room = await self._room(tenant, header.declared.sha256)
        examined = await self._pipeline.examine(parts, header, profile, room)
        try:
            if not examined.accepted:
                raise Rejected(examined.findings)
            stored, new = await keep(examined, tenant)
        finally:
            examined.discard()  # a no-op once the store adopted the file
        if not new:  # another upload with this key committed while this one was examined
            return await self._repeat(stored, tenant, kind, key)
        self._accepted.run(stored, profile)
        return stored

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

    async def kind_of(self, record: AttachmentRecord) -> Kind:
        details = await self._reads.voice_details(record.tenant, record.id)
        return Kind.ATTACHMENT if details is None else Kind.VOICE_MESSAGE

    async def _repeat(
        self, first: AttachmentRecord, tenant: str, kind: Kind, key: str
    ) -> AttachmentRecord:
        first_kind = await self.kind_of(first)
        if first_kind is not kind:
            raise MediagateError(
                ErrorReason.IDEMPOTENCY_KEY_REUSED,
                f"The idempotency_key was first used for {first_kind.value} ({first.name}), "
                f"not {kind.value}; send this request with a key of its own.",
                {"idempotency_key": key, "name": first.name},
            )
        return first

    async def _commit(self, examined: Examined, tenant: str) -> tuple[AttachmentRecord, bool]:
        assert examined.spool is not None  # accepted: the whole file arrived
        record = record_for(examined, tenant)
        stored = await asyncio.to_thread(self._store.commit, examined.spool.path, record)
        return stored, stored.id == record.id
