"""Conversation message events from the Genesys Cloud notifications websocket.

    create a channel (POST /api/v2/notifications/channels) -> subscribe its topics (PUT
    .../subscriptions) -> read its websocket (connectUri) -> hand each message event on
    -> the socket ends -> connect again (same channel; a new one when it has expired)

The platform's frames are {"topicName", "version", "eventBody", "metadata"}. Heartbeats come on
`channel.metadata` (about every 30 s); a socket silent for longer than `silence_seconds` is
treated as dead and replaced. `v2.system.socket_closing` says the platform is about to close
the socket: the socket is read to its end (events sent before the close still count), then a
new connection is made at once, without backoff. Any other failure (a refused
connection, a 5xx, a dropped socket) is retried with exponential backoff and jitter, for ever:
the event worker is meant to run as long as the server does.

Events are not replayed by the platform: an event sent while no socket was open is not seen.
mediagate closes that gap in three ways: it reconnects at once; each time a socket is open it
calls `on_connected`, and the inbox then reads the conversations it saw recently from the API
(their messages' media) to find what arrived meanwhile (usecases/inbox.py, catch_up); and each
later event of a conversation carries the guest's recent messages again. The inbox imports
each item once, however often it is seen.

Trust: the websocket URI comes from the platform's API over the authenticated SDK connection;
frames are parsed as untrusted JSON (at most MAX_FRAME_BYTES each) and only their media URLs
matter, which the fetcher checks like any other (sources/url_policy.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

from mediagate.genesys.client import Channel, GenesysClient
from mediagate.genesys.errors import PlatformError

log = logging.getLogger(__name__)

HEARTBEAT_TOPIC = "channel.metadata"
CLOSING_TOPIC = "v2.system.socket_closing"
MAX_FRAME_BYTES = 1024 * 1024
# After socket_closing, how long the old socket is read before a new one is opened regardless.
CLOSING_GRACE_SECONDS = 10.0

# Takes a frame's topic and its eventBody.
OnEvent = Callable[[str, object], Awaitable[None]]
# Called each time a socket is open and subscribed (the first time too).
OnConnected = Callable[[], None]


@dataclass(frozen=True)
class EventOptions:
    topics: tuple[str, ...]
    # The platform sends a heartbeat about every 30 s; two missed ones mean the socket is dead.
    silence_seconds: float = 75.0
    backoff_first_seconds: float = 1.0
    backoff_max_seconds: float = 30.0


@dataclass
class EventStats:
    connections: int = 0
    channels: int = 0
    events: int = 0
    heartbeats: int = 0
    malformed: int = 0


class _Reconnect(Exception):
    """The socket ended in a way that calls for a new connection (prompt: no backoff)."""


class ConversationEvents:
    def __init__(
        self,
        client: GenesysClient,
        options: EventOptions,
        on_event: OnEvent,
        on_connected: OnConnected | None = None,
    ) -> None:
        if not options.topics:
            raise ValueError("no topics to subscribe to")
        self._client = client
        self._options = options
        self._on_event = on_event
        self._on_connected = on_connected
        self.stats = EventStats()
        # Set while a socket is open and subscribed.
        self.connected = asyncio.Event()
        self._closing = False

    async def run(self) -> None:
        """Reads events until cancelled."""
        channel: Channel | None = None
        failures = 0
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    if channel is None:
                        channel = await self._client.create_channel()
                        self.stats.channels += 1
                    await self._client.subscribe(channel.id, list(self._options.topics))
                    await self._read(session, channel)
                    failures = 0  # a clean end (the platform closed the socket)
                except _Reconnect:
                    failures = 0
                    continue
                except PlatformError as exc:
                    if exc.status == 404:  # the channel expired: make a new one
                        log.info("notifications channel expired; creating a new one")
                        channel = None
                        continue
                    failures += 1
                    log.warning("notifications: %s", exc)
                except aiohttp.WSServerHandshakeError as exc:
                    if exc.status == 404:
                        log.info("notifications channel gone; creating a new one")
                        channel = None
                        continue
                    failures += 1
                    log.warning("notifications websocket refused: %s", exc.status)
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    failures += 1
                    log.warning("notifications websocket failed: %s", type(exc).__name__)
                finally:
                    self.connected.clear()
                if failures:
                    await asyncio.sleep(self._backoff(failures))

    def _backoff(self, failures: int) -> float:
        o = self._options
        ceiling = min(o.backoff_max_seconds, o.backoff_first_seconds * 2 ** (failures - 1))
        return random.uniform(ceiling / 2, ceiling)

    async def _read(self, session: aiohttp.ClientSession, channel: Channel) -> None:
        async with session.ws_connect(
            channel.connect_uri,
            max_msg_size=MAX_FRAME_BYTES,
            autoping=True,
            timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
        ) as socket:
            self.stats.connections += 1
            self.connected.set()
            log.info("notifications: reading channel %s", channel.id)
            if self._on_connected is not None:
                self._on_connected()
            self._closing = False
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self._options.silence_seconds
            while True:
                try:
                    async with asyncio.timeout_at(deadline):
                        frame = await socket.receive()
                except TimeoutError:
                    if not self._closing:
                        log.warning(
                            "notifications: nothing for %gs (not even a heartbeat); reconnecting",
                            self._options.silence_seconds,
                        )
                    raise _Reconnect from None
                if not self._closing:
                    deadline = loop.time() + self._options.silence_seconds
                if frame.type is aiohttp.WSMsgType.TEXT:
                    await self._frame(frame.data)
                    if self._closing and deadline > loop.time() + CLOSING_GRACE_SECONDS:
                        deadline = loop.time() + CLOSING_GRACE_SECONDS
                elif frame.type in (
                    aiohttp.WSMsgType.CLOSE,
                    aiohttp.WSMsgType.CLOSING,
                    aiohttp.WSMsgType.CLOSED,
                ):
                    log.info("notifications: socket closed by the platform")
                    return
                elif frame.type is aiohttp.WSMsgType.ERROR:
                    raise aiohttp.ClientError(str(socket.exception()))
                else:  # binary frames are not part of the protocol
                    self.stats.malformed += 1

    async def _frame(self, text: str) -> None:
        try:
            frame = json.loads(text)
            topic = frame["topicName"]
        except (ValueError, KeyError, TypeError, RecursionError):
            self.stats.malformed += 1
            log.warning("notifications: a frame that is not an event (%d bytes)", len(text))
            return
        if topic == HEARTBEAT_TOPIC:
            self.stats.heartbeats += 1
            return
        if topic == CLOSING_TOPIC:
            # Frames sent before the close still arrive on this socket: it is read to its end
            # (for at most CLOSING_GRACE_SECONDS), then a new one is opened at once.
            log.info("notifications: the platform is closing the socket; reconnecting after it")
            self._closing = True
            return
        self.stats.events += 1
        try:
            await self._on_event(str(topic), frame.get("eventBody"))
        except asyncio.CancelledError:
            raise
        except Exception:
            # The inbox could not take the event (a full disk, say): the socket goes on; the
            # conversation's next event carries the media again.
            log.exception("notifications: an event could not be queued")
