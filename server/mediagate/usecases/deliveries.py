"""Delivering attachments into Genesys Cloud conversations, exactly once, durably.

A delivery is a row in the ledger (store/deliveries.py) and, while it is not final, one task in
this process that walks it through its method's steps. Every step's outcome is written before
the next step starts, so a server killed at any point resumes from the last confirmed step:

UPLOAD (progress keys)
  communication_id   the conversation's message communication (looked up once)
  md5                base64 MD5 of the bytes the platform is promised
  media_id           the platform's media upload; put_done once its bytes are PUT
  intent             "media" / "text": a send that was started and not confirmed
  media_message_id, text_message_id   confirmed sends
OPEN_MESSAGING
  intent             "inbound": the inbound message was posted and not confirmed
  message_id         the platform's message; conversation_id is filled from its answer

Exactly once. A send is recorded as an intent before it is made. A server that restarts with an
intent, or a call that failed in a way that may hide a success (a timeout, a 5xx), looks for
the message in the conversation (the media id, the text, or the integration's message id
= the delivery id) before sending; only if it is not there is it sent. An upload whose PUT was
not confirmed is abandoned and a new one created: an unused upload is never a message.

Replicas sharing a ledger (PostgreSQL) split the work with leases (store/pg_deliveries.py): a
delivery runs on the replica holding its lease, which renews its leases while it runs them; a
replica that dies leaves its deliveries to expire, and a survivor claims them and resumes each
from its last confirmed step, as a restarted server does. Every write of a run is fenced by the
lease: a replica that lost it (stalled past it, or the delivery was cancelled elsewhere) stops.

Watchers are woken on every saved change (WatchDelivery). The media endpoint reports the
platform's fetches of a delivery's signed URLs (on_fetch): that is how FETCHING and VALIDATED
are observed on OPEN_MESSAGING, never assumed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from mediagate.errors import ErrorReason, MediagateError
from mediagate.genesys.client import (
    GenesysClient,
    HeldMessage,
    InboundAttachment,
    MediaUpload,
)
from mediagate.genesys.errors import PlatformError
from mediagate.genesys.names import platform_file_name
from mediagate.genesys.retry import RetriesExhausted, poll_delays
from mediagate.media.preview_spec import PreviewFormat, normalise
from mediagate.preview.result import PREVIEWABLE_TYPES
from mediagate.store.deliveries import (
    NAME_PREFIX,
    DeliveryLedger,
    DeliveryMethod,
    DeliveryRecord,
    DeliveryState,
    Failure,
    FailureReason,
    Sender,
    new_delivery_id,
)
from mediagate.store.records import AttachmentRecord
from mediagate.telemetry import metrics
from mediagate.telemetry.tracing import stage
from mediagate.usecases.attachments import Attachments
from mediagate.usecases.display_renditions import DISPLAY
from mediagate.usecases.media_links import ORIGINAL, MediaFetch, MediaLinks, Target, TargetKind
from mediagate.usecases.voice_messages import VoiceMessages

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 4096
# The thumbnail an Open Messaging image or PDF carries: a JPEG, which every agent desktop shows.
THUMBNAIL = normalise(300, 300, PreviewFormat.JPEG, 80, 1)
MAX_KEY_BYTES = 128
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
State = DeliveryState


@dataclass(frozen=True)
class DeliveryOptions:
    default_method: DeliveryMethod = DeliveryMethod.UPLOAD
    # Waiting on the platform (media valid, URL fetched, message sent) ends here: TIMED_OUT.
    timeout_seconds: float = 600.0
    poll_first_seconds: float = 1.0
    poll_max_seconds: float = 5.0


@dataclass(frozen=True)
class DeliveryRequest:
    attachment_id: str
    conversation_id: str
    method: DeliveryMethod | None
    text: str
    idempotency_key: str
    sender: Sender | None


ATTACHMENT_DELETED = Failure(
    FailureReason.ATTACHMENT_DELETED, "The attachment was deleted before the platform had it."
)


class LeaseLost(Exception):
    """Ends a run: another replica holds the delivery now (or it ended there)."""


class DeliveryFailed(Exception):
    """Ends a run: the delivery is FAILED with this failure."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def not_found(delivery_id: str) -> MediagateError:
    name = NAME_PREFIX + delivery_id
    return MediagateError(ErrorReason.DELIVERY_NOT_FOUND, f"No delivery {name}.", {"name": name})


def _invalid(field: str, message: str) -> MediagateError:
    return MediagateError(ErrorReason.INVALID_DELIVERY_REQUEST, message, {"field": field})


class Deliveries:
    def __init__(
        self,
        ledger: DeliveryLedger,
        attachments: Attachments,
        voice: VoiceMessages,
        links: MediaLinks,
        client: GenesysClient | None,
        options: DeliveryOptions,
        missing_settings: str = "",
    ) -> None:
        self._ledger = ledger
        self._attachments = attachments
        self._voice = voice
        self._links = links
        links.observe(self.on_fetch)
        self._client = client
        self._options = options
        self._missing = missing_settings
        self._runs: dict[str, asyncio.Task[None]] = {}
        self._live: dict[str, DeliveryRecord] = {}
        self._changed: dict[str, asyncio.Event] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._leases: asyncio.Task[None] | None = None

    # --- what callers ask -------------------------------------------------------------------

    async def deliver(self, tenant: str, request: DeliveryRequest) -> DeliveryRecord:
        method = request.method or self._options.default_method
        self._check(request, method)
        if self._client is None:
            raise MediagateError(
                ErrorReason.DELIVERY_NOT_CONFIGURED,
                "This server has no Genesys Cloud settings, so it cannot deliver "
                f"({self._missing} is not set).",
                {"missing": self._missing},
            )
        if method is DeliveryMethod.OPEN_MESSAGING and not self._client.config.integration_id:
            missing = "MEDIAGATE_GENESYS_INTEGRATION_ID"
            raise MediagateError(
                ErrorReason.DELIVERY_NOT_CONFIGURED,
                f"OPEN_MESSAGING needs an Open Messaging integration ({missing} is not set).",
                {"missing": missing},
            )
        now = time.time()
        key = request.idempotency_key
        if key:
            # A repeated key is answered before the attachment is looked at: it names the
            # delivery already made, whatever the attachment has become since.
            first = await asyncio.to_thread(self._ledger.find_by_key, tenant, key)
            if first is not None:
                return self._live.get(first.id, first)
        await self._attachments.get(tenant, request.attachment_id)
        record = DeliveryRecord(
            id=new_delivery_id(now),
            tenant=tenant,
            attachment_id=request.attachment_id,
            conversation_id=request.conversation_id,
            method=method,
            text=request.text,
            idempotency_key=key or "generated-" + secrets.token_hex(12),
            state=State.PENDING,
            create_time=now,
            update_time=now,
            history=((State.PENDING, now),),
            sender=request.sender if method is DeliveryMethod.OPEN_MESSAGING else None,
        )
        stored, created = await asyncio.to_thread(self._ledger.insert, record)
        if created:
            self._start(stored)
        return self._live.get(stored.id, stored)

    @staticmethod
    def _check(request: DeliveryRequest, method: DeliveryMethod) -> None:
        if len(request.text.encode()) > MAX_TEXT_BYTES:
            raise _invalid("text", f"text is over {MAX_TEXT_BYTES} bytes")
        if len(request.idempotency_key.encode()) > MAX_KEY_BYTES:
            raise _invalid("idempotency_key", f"idempotency_key is over {MAX_KEY_BYTES} bytes")
        if method is DeliveryMethod.UPLOAD and not request.conversation_id:
            raise _invalid("conversation_id", "UPLOAD needs the conversation_id to deliver into")
        if method is DeliveryMethod.OPEN_MESSAGING and not (request.sender and request.sender.id):
            raise _invalid("sender", "OPEN_MESSAGING needs the sender (the guest's id)")

    async def get(self, tenant: str, delivery_id: str) -> DeliveryRecord:
        live = self._live.get(delivery_id)
        if live is not None and live.tenant == tenant:
            return live
        record = await asyncio.to_thread(self._ledger.get, tenant, delivery_id)
        if record is None:
            raise not_found(delivery_id)
        return record

    async def list_page(
        self,
        tenant: str,
        attachment_id: str,
        conversation_id: str,
        page_size: int,
        before_id: str,
    ) -> tuple[list[DeliveryRecord], str]:
        if bool(attachment_id) == bool(conversation_id):
            raise _invalid("attachment", "give exactly one of attachment and conversation_id")
        if page_size < 0:
            raise MediagateError(ErrorReason.INVALID_PAGE_SIZE, "page_size is negative")
        size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        rows = await asyncio.to_thread(
            self._ledger.list_page, tenant, attachment_id, conversation_id, before_id, size + 1
        )
        page = [self._live.get(r.id, r) for r in rows[:size]]
        return page, (page[-1].id if len(rows) > size else "")

    async def cancel(self, tenant: str, delivery_id: str) -> DeliveryRecord:
        record = await self.get(tenant, delivery_id)
        async with self._lock(delivery_id):
            current = self._live.get(delivery_id, record)
            if current.state.final:
                raise MediagateError(
                    ErrorReason.DELIVERY_FINISHED,
                    f"{current.name} is already {current.state.value}.",
                    {"state": current.state.value},
                )
            cancelled = current.moved_to(State.CANCELLED, time.time())
            # Another replica may be running it: its next fenced write finds it final.
            await self._write(cancelled, fenced=delivery_id in self._runs)
        run = self._runs.pop(delivery_id, None)
        if run is not None:
            run.cancel()
        return cancelled

    async def watch(self, tenant: str, delivery_id: str) -> AsyncIterator[DeliveryRecord]:
        """The delivery now, then at each change of state, ending after a final state."""
        seen: DeliveryState | None = None
        record = await self.get(tenant, delivery_id)
        while True:
            if not record.state.final:
                # Taken before the re-read, so no change between the two is missed; a final
                # delivery never changes again, so it gets none (nothing to clean up).
                changed = self._changed.setdefault(delivery_id, asyncio.Event())
                record = await self.get(tenant, delivery_id)
            if record.state != seen:
                seen = record.state
                yield record
            if record.state.final:
                return
            await self._changed_or_polled(changed)
            record = await self.get(tenant, delivery_id)

    async def _changed_or_polled(self, changed: asyncio.Event) -> None:
        """Until this process changes the delivery, or, with a shared ledger (another replica
        may be running it, and its writes wake no one here), at most a second."""
        if not self._ledger.shared:
            await changed.wait()
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(min(1.0, self._ledger.renew_seconds)):
                await changed.wait()

    async def on_fetch(self, fetch: MediaFetch) -> None:
        """The media endpoint served a URL signed for a delivery: count it, and move an
        OPEN_MESSAGING delivery to FETCHING, then VALIDATED once every byte of the attachment
        went out with a 200 or 206."""
        async with self._lock(fetch.delivery_id):
            record = self._live.get(fetch.delivery_id) or await asyncio.to_thread(
                self._ledger.get_any, fetch.delivery_id
            )
            if record is None:
                return
            now = time.time()
            record = replace(record, fetch_count=record.fetch_count + 1, update_time=now)
            if record.method is DeliveryMethod.OPEN_MESSAGING and not record.state.final:
                served = fetch.method == "GET" and fetch.status in (200, 206) and fetch.complete
                whole = fetch.kind is not TargetKind.PREVIEW and served
                if record.state is State.PENDING:
                    # The platform's crawler may fetch before the answer to the submission is
                    # saved: what it saw is kept, and follows SUBMITTED at once (_caught_up).
                    early = record.progress.get(EARLY_FETCH)
                    seen = "whole" if whole or early == "whole" else "partial"
                    record = record.with_progress(now, **{EARLY_FETCH: seen})
                if record.state is State.SUBMITTED:
                    record = record.moved_to(State.FETCHING, now)
                if whole and record.state is State.FETCHING:
                    record = record.moved_to(State.VALIDATED, now)
            with contextlib.suppress(LeaseLost):  # its run here has stopped: counted elsewhere
                await self._write(record, fenced=fetch.delivery_id in self._runs)

    # --- lifecycle --------------------------------------------------------------------------

    async def resume(self) -> int:
        """Starts a task for every unfinished delivery this process may run (at server start):
        all of them with the embedded ledger; with a shared one, those no live replica holds,
        and from then on renews its leases and takes over those of replicas that die."""
        resumed = await self._claim()
        if self._ledger.shared and self._leases is None:
            self._leases = asyncio.create_task(self._keep_leases(), name="delivery-leases")
        return resumed

    async def _claim(self) -> int:
        claimed = await asyncio.to_thread(self._ledger.claim_unfinished)
        for record in claimed:
            if record.id in self._runs:
                continue
            if self._client is None:
                failed = record.moved_to(
                    State.FAILED,
                    time.time(),
                    failure=Failure(
                        FailureReason.INTERRUPTED,
                        "The server restarted without Genesys Cloud settings.",
                    ),
                )
                await self._write(failed)
                continue
            if self._ledger.shared:
                log.info("delivery %s claimed: resumed from %s", record.id, record.state.value)
            self._start(record)
        return len(claimed)

    async def _keep_leases(self) -> None:
        """Every third of a lease: renews this replica's leases (a run whose delivery is no
        longer its own stops), then claims deliveries whose replica died."""
        while True:
            await asyncio.sleep(self._ledger.renew_seconds)
            try:
                held = await asyncio.to_thread(self._ledger.renew)
                for delivery_id in [d for d in self._runs if d not in held]:
                    self._lost(delivery_id)
                await self._claim()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be back at the next period
                log.exception("delivery leases: renewal failed; trying again")

    def _lost(self, delivery_id: str) -> None:
        log.warning("delivery %s: its lease is another replica's now; stopped here", delivery_id)
        run = self._runs.pop(delivery_id, None)
        if run is not None:
            run.cancel()
        self._live.pop(delivery_id, None)

    async def close(self) -> None:
        """Stops every run where it stands and lets go of their leases: each resumes at the
        next start, or at once on another replica sharing the ledger."""
        if self._leases is not None:
            self._leases.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._leases
        runs = list(self._runs.values())
        for run in runs:
            run.cancel()
        for run in runs:
            with contextlib.suppress(asyncio.CancelledError):
                await run
        await asyncio.to_thread(self._ledger.release)
        if self._client is not None:
            await self._client.close()

    def _start(self, record: DeliveryRecord) -> None:
        self._live[record.id] = record
        self._runs[record.id] = asyncio.create_task(self._run(record.id), name=record.name)

    def _lock(self, delivery_id: str) -> asyncio.Lock:
        return self._locks.setdefault(delivery_id, asyncio.Lock())

    async def _write(self, record: DeliveryRecord, fenced: bool = True) -> None:
        """Saves and wakes watchers. Callers hold the delivery's lock. Fenced (the run's
        writes): LeaseLost when this replica no longer holds the delivery."""
        written = await asyncio.to_thread(self._ledger.save, record, fenced)
        if not written and fenced:
            self._live.pop(record.id, None)
            raise LeaseLost(record.id)
        previous = self._live.get(record.id)
        if previous is None or previous.state != record.state:
            metrics.DELIVERIES.labels(record.method.value, record.state.value).inc()
        if record.state.final:
            self._live.pop(record.id, None)
            self._locks.pop(record.id, None)
        else:
            self._live[record.id] = record
        changed = self._changed.pop(record.id, None)
        if changed is not None:
            changed.set()

    async def _update(
        self, delivery_id: str, change: Callable[[DeliveryRecord], DeliveryRecord]
    ) -> DeliveryRecord:
        """Applies a change to the delivery as it is now; a delivery cancelled meanwhile ends
        the run instead."""
        async with self._lock(delivery_id):
            current = self._live.get(delivery_id)
            if current is None or current.state.final:
                raise asyncio.CancelledError
            updated = change(current)
            await self._write(updated)
            return updated

    # --- the run ----------------------------------------------------------------------------

    async def _run(self, delivery_id: str) -> None:
        record = self._live[delivery_id]
        try:
            with stage("delivery", method=record.method.value, delivery_id=record.id):
                async with asyncio.timeout(self._options.timeout_seconds):
                    if record.method is DeliveryMethod.UPLOAD:
                        await self._run_upload(delivery_id)
                    else:
                        await self._run_open_messaging(delivery_id)
        except LeaseLost:
            log.warning("delivery %s: another replica holds it now; stopped here", delivery_id)
        except DeliveryFailed as failed:
            await self._fail(delivery_id, failed.failure)
        except TimeoutError:
            await self._fail(
                delivery_id,
                Failure(
                    FailureReason.TIMED_OUT,
                    f"Not delivered within {self._options.timeout_seconds:g} s.",
                ),
            )
        except RetriesExhausted as exhausted:
            last = exhausted.last
            await self._fail(
                delivery_id,
                Failure(
                    FailureReason.RETRIES_EXHAUSTED,
                    f"{last.op}: the platform kept failing ({exhausted}).",
                    platform_reason=last.code,
                    http_status=last.status,
                ),
            )
        except PlatformError as error:
            await self._fail(delivery_id, _failure_of(error))
        except MediagateError as error:
            if error.reason is not ErrorReason.ATTACHMENT_NOT_FOUND:
                raise
            await self._fail(delivery_id, ATTACHMENT_DELETED)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivery %s failed on a server fault", delivery_id)
            await self._fail(
                delivery_id,
                Failure(FailureReason.INTERRUPTED, "A server fault stopped it (logged)."),
            )
        finally:
            self._runs.pop(delivery_id, None)

    async def _fail(self, delivery_id: str, failure: Failure) -> None:
        log.info("delivery %s failed: %s %s", delivery_id, failure.reason.value, failure.message)
        with contextlib.suppress(asyncio.CancelledError, LeaseLost):
            await self._update(
                delivery_id, lambda r: r.moved_to(State.FAILED, time.time(), failure=failure)
            )

    async def _progress(self, delivery_id: str, **values: Any) -> DeliveryRecord:
        return await self._update(delivery_id, lambda r: r.with_progress(time.time(), **values))

    async def _move(self, delivery_id: str, state: DeliveryState, **values: Any) -> DeliveryRecord:
        now = time.time()
        return await self._update(
            delivery_id, lambda r: r.with_progress(now, **values).moved_to(state, now)
        )

    async def _what_to_send(self, record: DeliveryRecord) -> tuple[AttachmentRecord, str]:
        """The attachment the platform gets, and the text: a voice message goes as its playback
        rendition with its transcript (unless the caller gave a text); a HEIC, HEIF or AVIF
        photo as its JPEG display rendition, which the platform's message view can show."""
        try:
            attachment = await self._attachments.get(record.tenant, record.attachment_id)
        except MediagateError as error:
            if error.reason is ErrorReason.ATTACHMENT_NOT_FOUND:
                raise DeliveryFailed(ATTACHMENT_DELETED) from None
            raise
        try:
            voice = await self._voice.get(record.tenant, record.attachment_id)
        except MediagateError:
            return await self._displayed(attachment), record.text
        media = voice.renditions[0].record if voice.renditions else attachment
        return media, record.text or voice.transcript.text

    async def _displayed(self, attachment: AttachmentRecord) -> AttachmentRecord:
        """The attachment's display rendition, or the attachment itself when it has none (or
        the rendition was deleted on its own)."""
        for ref in attachment.renditions:
            if ref.purpose != DISPLAY:
                continue
            try:
                return await self._attachments.get(attachment.tenant, ref.attachment_id)
            except MediagateError as error:
                if error.reason is not ErrorReason.ATTACHMENT_NOT_FOUND:
                    raise
        return attachment

    # UPLOAD -----------------------------------------------------------------------------------

    async def _run_upload(self, delivery_id: str) -> None:
        client = self._client
        assert client is not None
        record = self._live[delivery_id]
        conversation = record.conversation_id
        media, text = await self._what_to_send(record)
        communication = record.progress.get("communication_id")
        if not communication:
            communication = await client.communication_of(conversation)
            record = await self._progress(delivery_id, communication_id=communication)
            media, text = await self._what_to_send(record)  # still there after the lookup?

        if record.state in (State.PENDING, State.UPLOADING) and not record.progress.get("put_done"):
            md5 = record.progress.get("md5") or await self._md5(media)
            upload = await client.create_media_upload(
                conversation,
                communication,
                platform_file_name(media.file_name, media.detected_mime_type),
                media.size_bytes,
                base64.b64decode(md5),
            )
            record = await self._move(
                delivery_id, State.UPLOADING, md5=md5, media_id=upload.id, put_done=None
            )
            await self._put(client, record, media, upload)
            record = await self._progress(delivery_id, put_done=True)

        if record.state is State.UPLOADING:
            await self._wait_until_valid(client, delivery_id, conversation, communication)
            record = await self._move(delivery_id, State.VALIDATED)

        media_id = record.progress["media_id"]
        if not record.progress.get("media_message_id"):
            sent = await self._send_once(
                delivery_id,
                "media",
                lambda held: any(media_id in m.media_ids for m in held),
                lambda recheck: client.send_message(
                    conversation, communication, media_id=media_id, recheck=recheck
                ),
            )
            record = await self._progress(delivery_id, media_message_id=sent, intent=None)
        if text and not record.progress.get("text_message_id"):
            sent = await self._send_once(
                delivery_id,
                "text",
                lambda held: any(m.text == text for m in held),
                lambda recheck: client.send_message(
                    conversation, communication, text=text, recheck=recheck
                ),
            )
            record = await self._progress(delivery_id, text_message_id=sent, intent=None)
        await self._move(delivery_id, State.DELIVERED)

    async def _md5(self, media: AttachmentRecord) -> str:
        digest = hashlib.md5(usedforsecurity=False)
        _, chunks = await self._attachments.read(media.tenant, media.id, 0, 0)
        async for chunk in chunks:
            digest.update(chunk)
        return base64.b64encode(digest.digest()).decode()

    async def _put(
        self,
        client: GenesysClient,
        record: DeliveryRecord,
        media: AttachmentRecord,
        upload: MediaUpload,
    ) -> None:
        attachments = self._attachments

        async def chunks() -> AsyncIterator[bytes]:
            _, body = await attachments.read(media.tenant, media.id, 0, 0)
            async for chunk in body:
                yield chunk

        await client.put_upload(upload, media.size_bytes, chunks)

    async def _wait_until_valid(
        self, client: GenesysClient, delivery_id: str, conversation: str, communication: str
    ) -> None:
        media_id = self._live[delivery_id].progress["media_id"]
        for delay in poll_delays(self._options.poll_first_seconds, self._options.poll_max_seconds):
            await asyncio.sleep(delay)
            status = await client.media_status(conversation, communication, media_id)
            if status == "valid":
                return
            if status == "invalid":
                raise DeliveryFailed(
                    Failure(
                        FailureReason.MEDIA_INVALID,
                        "The platform marked the uploaded media invalid.",
                        platform_reason="invalid",
                    )
                )

    async def _send_once(
        self,
        delivery_id: str,
        intent: str,
        already_there: Callable[[list[HeldMessage]], bool],
        send: Callable[[Callable[[], Awaitable[str | None]]], Awaitable[str]],
    ) -> str:
        """Sends a message unless the conversation already holds it (an earlier attempt's)."""
        client = self._client
        assert client is not None
        record = self._live[delivery_id]
        conversation = record.conversation_id

        async def recheck() -> str | None:
            held = await client.held_messages(conversation)
            for message in held:
                if already_there([message]):
                    log.info(
                        "delivery %s: %s message already held; not resent", delivery_id, intent
                    )
                    return message.id
            return None

        if record.progress.get("intent") == intent:
            found = await recheck()
            if found is not None:
                return found
        else:
            await self._progress(delivery_id, intent=intent)
        return await send(recheck)

    # OPEN_MESSAGING --------------------------------------------------------------------------

    async def _run_open_messaging(self, delivery_id: str) -> None:
        client = self._client
        assert client is not None
        record = self._live[delivery_id]
        media, text = await self._what_to_send(record)
        voice_transcript = text if text != record.text else ""
        if record.state is State.PENDING:
            message_id, conversation = await self._submit(
                client, record, media, record.text, voice_transcript
            )
            record = await self._update(
                delivery_id,
                lambda r: _caught_up(
                    replace(r, conversation_id=r.conversation_id or conversation)
                    .with_progress(time.time(), message_id=message_id, intent=None)
                    .moved_to(State.SUBMITTED, time.time())
                ),
            )
        await self._wait_until_sent(client, delivery_id)

    async def _submit(
        self,
        client: GenesysClient,
        record: DeliveryRecord,
        media: AttachmentRecord,
        text: str,
        attachment_text: str,
    ) -> tuple[str, str]:
        sender = record.sender
        assert sender is not None
        conversation = record.conversation_id

        async def recheck() -> tuple[str, str] | None:
            if not conversation:
                return None
            for message in await client.held_messages(conversation):
                if message.channel_message_id == record.id:
                    return message.id, conversation
            return None

        if record.progress.get("intent") == "inbound":
            found = await recheck()
            if found is not None:
                return found
            if not conversation:
                raise DeliveryFailed(
                    Failure(
                        FailureReason.INTERRUPTED,
                        "The server stopped while posting the message; without a "
                        "conversation_id mediagate cannot check whether the platform has it, "
                        "so it does not post it again.",
                    )
                )
        else:
            await self._progress(record.id, intent="inbound")
        original = await self._links.sign(record.tenant, media.id, ORIGINAL, None, record.id)
        thumbnail = None
        if media.detected_mime_type in PREVIEWABLE_TYPES:
            try:
                thumbnail = await self._links.sign(
                    record.tenant, media.id, Target.preview(THUMBNAIL), None, record.id
                )
            except MediagateError as error:  # a file that cannot be previewed goes without
                log.info("delivery %s goes without a thumbnail: %s", record.id, error)
        attachment = InboundAttachment(
            url=original.url,
            mime=original.mime_type,
            filename=platform_file_name(media.file_name, media.detected_mime_type),
            sha256=original.sha256,
            media_type=_media_type(original.mime_type),
            text=attachment_text,
            thumbnail_url=thumbnail.url if thumbnail else "",
            thumbnail_mime=thumbnail.mime_type if thumbnail else "",
            thumbnail_sha256=thumbnail.sha256 if thumbnail else "",
            thumbnail_size=thumbnail.size_bytes if thumbnail else 0,
        )
        return await client.send_inbound_open_message(
            record.id,
            sender.id,
            sender.id_type,
            sender.nickname,
            text,
            attachment,
            recheck,
        )

    async def _wait_until_sent(self, client: GenesysClient, delivery_id: str) -> None:
        """Polls the message until the platform reports it sent or failed; FETCHING and
        VALIDATED arrive meanwhile from the media endpoint (on_fetch)."""
        for delay in poll_delays(self._options.poll_first_seconds, self._options.poll_max_seconds):
            await asyncio.sleep(delay)
            record = self._live[delivery_id]
            await self._what_to_send(record)  # fails ATTACHMENT_DELETED once it is gone
            status = await client.message_status(
                record.conversation_id, record.progress["message_id"]
            )
            if status.status in ("failed", "delivery-failed") or status.reasons:
                code, message = status.reasons[0] if status.reasons else ("", "")
                raise DeliveryFailed(
                    Failure(
                        FailureReason.PLATFORM_REJECTED,
                        f"The platform failed the message: {message or status.status}",
                        platform_reason=code or status.status,
                    )
                )
            if status.status in ("sent", "delivery-success", "read", "published"):
                if self._live[delivery_id].state is State.FETCHING:
                    # The platform sent it after fetching: its own checks of type, length and
                    # sha256 passed, even if the endpoint has not reported the last byte yet.
                    await self._move(delivery_id, State.VALIDATED)
                await self._move(delivery_id, State.DELIVERED)
                return


# Progress key: what the platform fetched while the submission's answer was on its way.
EARLY_FETCH = "early_fetch"


def _caught_up(record: DeliveryRecord) -> DeliveryRecord:
    """A just-SUBMITTED delivery moved on by the fetches that came before it was saved."""
    early = record.progress.get(EARLY_FETCH)
    if early is None:
        return record
    now = time.time()
    record = record.with_progress(now, **{EARLY_FETCH: None}).moved_to(State.FETCHING, now)
    return record.moved_to(State.VALIDATED, now) if early == "whole" else record


def _media_type(mime: str) -> str:
    for prefix, kind in (("image/", "Image"), ("video/", "Video"), ("audio/", "Audio")):
        if mime.startswith(prefix):
            return kind
    return "File"


def _failure_of(error: PlatformError) -> Failure:
    """A platform answer that ends a delivery, as its failure."""
    if error.op == "token":
        reason = FailureReason.AUTHENTICATION_FAILED
    elif error.status in (401, 403):
        reason = (
            FailureReason.PERMISSION_DENIED
            if error.status == 403
            else FailureReason.AUTHENTICATION_FAILED
        )
    elif error.status == 404:
        reason = FailureReason.CONVERSATION_NOT_FOUND
    else:
        reason = FailureReason.PLATFORM_REJECTED
    return Failure(
        reason,
        f"{error.op}: {error.message or 'refused'}",
        platform_reason=error.code,
        http_status=error.status,
        missing_permission=error.missing_permission if error.status == 403 else "",
    )
