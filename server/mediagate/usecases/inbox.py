"""Guests' media announced by Genesys Cloud: queued durably, imported by a few workers, and the
outcome written back to the conversation.

    announcement (conversation event | Open Messaging webhook)
      -> sources/announced.py: the media items in it
      -> store/inbox.py: added QUEUED once per (tenant, media id); the announcer is answered
      -> a worker claims an item -> usecases/imports.py (fetch, examine, keep: the same path as
         ImportFromUrl; audio as a voice message) -> ACCEPTED | REJECTED | FAILED, or QUEUED
         again after a backoff when another attempt may work
      -> the preview made and signed (images, PDF pages, audio waveforms)
      -> the guest's participant attributes written (conversation events only)

Exactly once: an item's id is unique in the inbox, so duplicate events, webhook redeliveries
and re-announcements after reconnects add nothing; a worker's import carries the idempotency
key "genesys-media:{media id}", so an item interrupted after its file was stored (a crash, a
stop) gets that same attachment when it is tried again at the next start. Attribute writes are
PATCHes of the same values, so writing twice is harmless; an item whose write failed is
written again later (the inbox remembers which were not).

Shared (PostgreSQL, store/pg_inbox.py): replicas' workers claim from one queue; an item being
imported is leased to its replica, which renews its leases; a replica that dies leaves its
items to expire, and another replica queues them again and imports them.

Bounded: at most `workers` imports run at once; a burst of announcements waits in the inbox
(on disk), not in memory; each item has at most `max_attempts` attempts.

Participant attributes written (all strings; the prefix is configurable):
    mediagate.attachments  JSON list of the guest's accepted attachments in this conversation
                           ("attachments/{id}"), oldest first (at most the last 20)
    mediagate.verdict      accepted | rejected | failed: the latest item's outcome
    mediagate.reason       the latest item's reason code ("" when accepted)
    mediagate.preview      a signed URL of the latest accepted item's preview ("" when none)
    mediagate.items        JSON list of {media, verdict, reason, attachment} per item, the
                           last 20
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from mediagate.errors import MediagateError, Rejected
from mediagate.intake.parts import HeaderFields
from mediagate.media.preview_spec import PreviewSpec
from mediagate.sources.announced import (
    AnnouncedMedia,
    from_conversation_event,
    from_open_messaging_webhook,
)
from mediagate.sources.url_policy import scrub
from mediagate.store.ids import time_sorted_id
from mediagate.store.inbox import ImportRecord, ImportSource, ImportState, InboxLedger
from mediagate.store.records import attachment_name
from mediagate.telemetry import metrics
from mediagate.usecases.admission import Caller
from mediagate.usecases.imports import Imports, UrlImport, outcome_of, retryable
from mediagate.usecases.media_links import MediaLinks, Target

log = logging.getLogger(__name__)

KEY_PREFIX = "genesys-media:"
MAX_LISTED = 20


class Platform(Protocol):
    """What the inbox asks of Genesys Cloud (genesys/client.py's GenesysClient)."""

    async def write_participant_attributes(
        self, conversation_id: str, participant_id: str, attributes: dict[str, str]
    ) -> None: ...

    async def message_conversation(self, conversation_id: str) -> dict[str, object]: ...


@dataclass(frozen=True)
class InboxOptions:
    # The tenant announced media belongs to (one Genesys Cloud organisation per server).
    tenant: str = "default"
    workers: int = 4
    max_attempts: int = 5
    retry_first_seconds: float = 2.0
    retry_max_seconds: float = 120.0
    attribute_prefix: str = "mediagate."
    preview_link_seconds: float = 24 * 3600.0
    preview: PreviewSpec = field(default_factory=PreviewSpec)
    # Catching up after a reconnect: conversations seen within this window, at most this many.
    catch_up_seconds: float = 3600.0
    catch_up_conversations: int = 200


class Inbox:
    def __init__(
        self,
        store: InboxLedger,
        imports: Imports,
        links: MediaLinks,
        platform: Platform | None,
        options: InboxOptions,
    ) -> None:
        self._store = store
        self._imports = imports
        self._links = links
        self._platform = platform
        self._options = options
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._writing: set[asyncio.Task[None]] = set()
        # Conversations seen in events, most recent last (what a catch-up reads again).
        self._recent: OrderedDict[str, float] = OrderedDict()
        self._catching_up: asyncio.Task[None] | None = None
        # Notified each time an item ends or its attributes are written (tests and the bench
        # wait on it instead of sleeping).
        self.changed = asyncio.Condition()

    # --- announcements ----------------------------------------------------------------------

    async def on_conversation_event(self, body: object) -> int:
        """Queues the guests' media in a conversation message event; returns how many items
        were new."""
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            self._seen(body["id"], time.time())
        return await self.announce(from_conversation_event(body), ImportSource.CONVERSATION_EVENT)

    def catch_up(self) -> None:
        """After a (re)connection: reads the recently seen conversations from the platform and
        queues any guest media that events missed while no socket was open (in the background;
        one catch-up at a time)."""
        if self._platform is None or (self._catching_up and not self._catching_up.done()):
            return
        self._catching_up = asyncio.create_task(self._catch_up(), name="inbox-catch-up")

    async def _catch_up(self) -> None:
        assert self._platform is not None
        o = self._options
        since = time.time() - o.catch_up_seconds
        remembered = await asyncio.to_thread(
            self._store.recent_conversations, o.tenant, since, o.catch_up_conversations
        )
        for conversation_id in remembered:
            self._seen(conversation_id, since, refresh=False)
        recent = [c for c, at in reversed(self._recent.items()) if at >= since]
        found = 0
        for conversation_id in recent[: o.catch_up_conversations]:
            try:
                body = await self._platform.message_conversation(conversation_id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.info("inbox: catch-up of %s skipped (%s)", conversation_id, exc)
                continue
            found += await self.announce(
                from_conversation_event(body), ImportSource.CONVERSATION_EVENT
            )
        if found:
            log.info("inbox: catch-up found %d media item(s) events had missed", found)

    def _seen(self, conversation_id: str, at: float, refresh: bool = True) -> None:
        if conversation_id in self._recent and not refresh:
            return
        self._recent[conversation_id] = max(at, self._recent.get(conversation_id, 0.0))
        self._recent.move_to_end(conversation_id)
        while len(self._recent) > self._options.catch_up_conversations:
            self._recent.popitem(last=False)

    async def on_open_messaging(self, body: object) -> int:
        return await self.announce(
            from_open_messaging_webhook(body), ImportSource.OPEN_MESSAGING_WEBHOOK
        )

    async def announce(self, items: Sequence[AnnouncedMedia], source: ImportSource) -> int:
        """Adds the items to the durable inbox (once each) and wakes the workers. When this
        returns, the items survive a crash."""
        if not items:
            return 0
        now = time.time()
        records = [_record_of(item, source, self._options.tenant, now) for item in items]
        added = await asyncio.to_thread(self._store.add, records)
        if added:
            log.info("inbox: %d new media item(s) from %s", len(added), source.value)
            self._wake.set()
        return len(added)

    # --- workers ----------------------------------------------------------------------------

    async def start(self) -> None:
        requeued = await asyncio.to_thread(self._store.requeue_interrupted, time.time())
        if requeued:
            log.info("inbox: %d interrupted import(s) queued again", requeued)
        for n in range(max(1, self._options.workers)):
            self._tasks.append(asyncio.create_task(self._work(), name=f"inbox-worker-{n}"))
        if self._store.shared:
            self._tasks.append(asyncio.create_task(self._keep_leases(), name="inbox-leases"))
        for record in await asyncio.to_thread(self._store.unwritten):
            self._write_later(record)

    async def close(self) -> None:
        tasks = [*self._tasks, *self._writing]
        if self._catching_up is not None:
            tasks.append(self._catching_up)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        # The items the workers were importing: queued again at once for other replicas.
        await asyncio.to_thread(self._store.release)

    async def _keep_leases(self) -> None:
        """Every third of a lease: renews this replica's leases, queues again the items of
        replicas that died, and wakes the workers (another replica's announcements queue items
        that wake no one here)."""
        while True:
            await asyncio.sleep(self._store.renew_seconds)
            try:
                await asyncio.to_thread(self._store.renew)
                requeued = await asyncio.to_thread(self._store.requeue_interrupted, time.time())
                if requeued:
                    log.info("inbox: %d import(s) of a stopped replica queued again", requeued)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be back at the next period
                log.exception("inbox leases: renewal failed; trying again")
            self._wake.set()

    async def _work(self) -> None:
        while True:
            # Cleared before looking, so an item added after the look still wakes this worker.
            self._wake.clear()
            record = await asyncio.to_thread(self._store.claim, time.time())
            if record is None:
                await self._wait_for_work()
                continue
            # There may be more: let another idle worker look too (a burst spreads out).
            self._wake.set()
            try:
                await self._import(record)
            except asyncio.CancelledError:
                raise  # the item stays IMPORTING; the next start queues it again
            except Exception:  # a bug must not stop the worker; the item is recorded FAILED
                log.exception("inbox: import %s failed unexpectedly", record.id)
                ended = record.ended(ImportState.FAILED, time.time(), reason="INTERNAL")
                await asyncio.to_thread(self._store.save, ended)

    async def _wait_for_work(self) -> None:
        """Until an announcement (or a retry) wakes the workers, or a queued retry is due."""
        due = await asyncio.to_thread(self._store.next_due)
        timeout = None if due is None else max(0.0, due - time.time())
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()

    async def _import(self, record: ImportRecord) -> None:
        asked = UrlImport(
            url=record.fetch_url,
            header=HeaderFields(
                file_name=record.file_name,
                declared_mime_type=record.declared_mime_type,
                sha256=record.sha256,
                conversation_id=record.conversation_id,
                labels={"source": record.source.value.lower().replace("_", "-")},
                idempotency_key=(KEY_PREFIX + record.platform_media_id)[:128],
            ),
            voice_message=record.declared_mime_type.startswith("audio/"),
        )
        who = Caller(tenant=record.tenant, caller="genesys-inbox")
        try:
            stored = await self._imports.take_in(asked, who)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._failed(record, exc)
            return
        ended = record.ended(ImportState.ACCEPTED, time.time(), attachment_id=stored.id)
        await self._ended(ended)

    async def _failed(self, record: ImportRecord, exc: Exception) -> None:
        state, reason, message = outcome_of(exc)
        internal = not isinstance(exc, MediagateError | Rejected)
        if internal:
            log.error("inbox: %s failed on an internal error", record.id, exc_info=exc)
        again = retryable(exc) or internal
        if not again or record.attempts >= self._options.max_attempts:
            await self._ended(record.ended(state, time.time(), reason=reason, message=message))
            return
        delay = self._backoff(record.attempts)
        log.info(
            "inbox: %s attempt %d failed (%s); again in %.1fs",
            record.id,
            record.attempts,
            reason,
            delay,
        )
        now = time.time()
        queued = replace(
            record,
            state=ImportState.QUEUED,
            reason=reason,
            message=message,
            due_time=now + delay,
            update_time=now,
        )
        await asyncio.to_thread(self._store.save, queued)
        self._wake.set()

    def _backoff(self, attempts: int) -> float:
        o = self._options
        ceiling = min(o.retry_max_seconds, o.retry_first_seconds * 2 ** (attempts - 1))
        return random.uniform(ceiling / 2, ceiling)

    async def _ended(self, record: ImportRecord) -> None:
        await asyncio.to_thread(self._store.save, record)
        metrics.IMPORTS.labels(record.source.value, record.state.value).inc()
        log.info(
            "inbox: %s (%s) %s %s",
            record.id,
            scrub(record.url),
            record.state.value,
            record.reason or record.attachment_id,
        )
        await self._notify()
        if record.source is ImportSource.CONVERSATION_EVENT:
            await self._write_back(record)

    # --- write-back -------------------------------------------------------------------------

    async def _write_back(self, record: ImportRecord) -> None:
        if self._platform is None or not record.participant_id:
            return
        try:
            attributes = await self._attributes(record)
            await self._platform.write_participant_attributes(
                record.conversation_id, record.participant_id, attributes
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("inbox: attributes for %s not written (%s); will retry", record.id, exc)
            self._write_later(record)
            return
        await asyncio.to_thread(self._store.save, replace(record, attributes_written=True))
        await self._notify()

    def _write_later(self, record: ImportRecord) -> None:
        async def later() -> None:
            await asyncio.sleep(self._backoff(2))
            await self._write_back(record)

        task = asyncio.create_task(later())
        self._writing.add(task)
        task.add_done_callback(self._writing.discard)

    async def _attributes(self, latest: ImportRecord) -> dict[str, str]:
        items = await asyncio.to_thread(
            self._store.of_participant,
            latest.tenant,
            latest.conversation_id,
            latest.participant_id,
        )
        finished = [r for r in items if r.state.final][-MAX_LISTED:]
        accepted = [attachment_name(r.attachment_id) for r in finished if r.attachment_id]
        p = self._options.attribute_prefix
        return {
            p + "attachments": json.dumps(accepted),
            p + "verdict": _verdict(latest.state),
            p + "reason": latest.reason if latest.state is not ImportState.ACCEPTED else "",
            p + "preview": await self._preview_url(latest),
            p + "items": json.dumps(
                [
                    {
                        "media": r.platform_media_id,
                        "verdict": _verdict(r.state),
                        "reason": r.reason if r.state is not ImportState.ACCEPTED else "",
                        "attachment": attachment_name(r.attachment_id) if r.attachment_id else "",
                    }
                    for r in finished
                ]
            ),
        }

    async def _preview_url(self, record: ImportRecord) -> str:
        """The preview's signed URL (rendering it now if it is not cached); "" when the file
        has none (a type without previews) or is not accepted."""
        if record.state is not ImportState.ACCEPTED:
            return ""
        try:
            link = await self._links.sign(
                record.tenant,
                record.attachment_id,
                Target.preview(self._options.preview),
                self._options.preview_link_seconds,
            )
        except MediagateError as exc:
            log.info("inbox: no preview for %s (%s)", record.attachment_id, exc.reason.value)
            return ""
        return link.url

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()


def _verdict(state: ImportState) -> str:
    return {ImportState.ACCEPTED: "accepted", ImportState.REJECTED: "rejected"}.get(state, "failed")


def _record_of(item: AnnouncedMedia, source: ImportSource, tenant: str, now: float) -> ImportRecord:
    return ImportRecord(
        id=time_sorted_id(now),
        tenant=tenant,
        source=source,
        state=ImportState.QUEUED,
        url=scrub(item.url),
        conversation_id=item.conversation_id,
        participant_id=item.participant_id,
        message_id=item.message_id,
        platform_media_id=item.platform_media_id,
        file_name=item.file_name,
        declared_mime_type=item.mime_type,
        declared_size_bytes=item.size_bytes,
        sha256=item.sha256,
        create_time=now,
        update_time=now,
        due_time=now,
        fetch_url=item.url,
    )
