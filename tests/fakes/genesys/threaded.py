"""FakeGenesys for synchronous code: the same app on its own event loop in a daemon thread.

Every method hops onto the fake's loop and waits for the answer, so the fake's state is only
ever touched by that loop's thread. `LoopThread` is reusable for any other aiohttp helper a
synchronous test needs (e.g. a tiny server for attachment URLs).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, TypeVar

from .app import FakeGenesys
from .state import JSON, AttributeWrite, Call, CrawlerFetch, FakeConversation, MediaItem, Message

T = TypeVar("T")
CALL_TIMEOUT = 30.0


class LoopThread:
    """An asyncio event loop running in a daemon thread until `close()`."""

    def __init__(self, name: str = "fake-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = CALL_TIMEOUT) -> T:
        """Run a coroutine on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a plain function on the loop's thread and wait for its result."""

        async def on_loop() -> T:
            return fn(*args, **kwargs)

        return self.run(on_loop())

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


class FakeGenesysThread:
    """`with FakeGenesysThread() as fake:` -- FakeGenesys's API, callable from any thread."""

    def __init__(
        self,
        client_id: str = "mediagate-test",
        client_secret: str = "s3cret",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token_ttl: float = 86400.0,
        media_valid_after: float = 0.2,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        self._kwargs: dict[str, Any] = {
            "host": host,
            "port": port,
            "token_ttl": token_ttl,
            "media_valid_after": media_valid_after,
            "heartbeat_seconds": heartbeat_seconds,
        }
        self._client = (client_id, client_secret)
        self._loop: LoopThread | None = None
        self._fake: FakeGenesys | None = None

    # --- lifecycle
    def start(self) -> FakeGenesysThread:
        self._loop = LoopThread("fake-genesys")

        async def make() -> FakeGenesys:
            fake = FakeGenesys(*self._client, **self._kwargs)
            await fake.start()
            return fake

        self._fake = self._loop.run(make())
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        if self._fake is not None:
            self._loop.run(self._fake.stop())
        self._loop.close()
        self._loop = None
        self._fake = None

    def __enter__(self) -> FakeGenesysThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def fake(self) -> FakeGenesys:
        """The FakeGenesys itself: touch it only on `loop` (see `call`)."""
        if self._fake is None:
            raise RuntimeError("FakeGenesysThread is not started")
        return self._fake

    @property
    def loop(self) -> LoopThread:
        if self._loop is None:
            raise RuntimeError("FakeGenesysThread is not started")
        return self._loop

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self.loop.call(fn, *args, **kwargs)

    # --- FakeGenesys's API
    @property
    def base_url(self) -> str:
        return self.fake.base_url

    @property
    def integration_id(self) -> str:
        return self.fake.integration_id

    def add_conversation(self, from_id: str | None = None) -> FakeConversation:
        return self.call(self.fake.add_conversation, from_id)

    def fail(
        self,
        op: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        body: JSON | None = None,
        permission: str = "conversation:message:create",
    ) -> None:
        self.call(self.fake.fail, op, status, times, retry_after, body, permission)

    def slow(self, op: str, seconds: float, times: int = 1) -> None:
        self.call(self.fake.slow, op, seconds, times)

    def fail_after_commit(self, op: str, status: int = 500, times: int = 1) -> None:
        self.call(self.fake.fail_after_commit, op, status, times)

    def invalid_media(self, times: int = 1) -> None:
        self.call(self.fake.invalid_media, times)

    def crawler_unreachable(self, times: int = 1) -> None:
        self.call(self.fake.crawler_unreachable, times)

    def crawl_before_reply(self, times: int = 1) -> None:
        self.call(self.fake.crawl_before_reply, times)

    def media_valid_after(self, seconds: float) -> None:
        self.call(self.fake.media_valid_after, seconds)

    def expire_tokens(self) -> None:
        self.call(self.fake.expire_tokens)

    def reset(self) -> None:
        self.call(self.fake.reset)

    def add_fault(self, spec: JSON) -> None:
        self.call(self.fake.add_fault, spec)

    @property
    def calls(self) -> list[Call]:
        return self.call(lambda: self.fake.calls)

    def count(self, op: str, status: int | None = None) -> int:
        return self.call(self.fake.count, op, status)

    def messages(self, conversation_id: str) -> list[Message]:
        return self.call(self.fake.messages, conversation_id)

    def message(self, message_id: str) -> Message | None:
        return self.call(self.fake.message, message_id)

    @property
    def crawler_fetches(self) -> list[CrawlerFetch]:
        return self.call(lambda: self.fake.crawler_fetches)

    def crawled(self, message_id: str, within: float = 15.0) -> Message:
        """Block until the crawler has judged an inbound message; returns the message."""
        return self.loop.run(self.fake.crawled(message_id, within), within + 5)

    # --- the inbound side (inbound.py)
    def heartbeat_every(self, seconds: float) -> None:
        self.call(self.fake.heartbeat_every, seconds)

    def subscribed(self, topic: str) -> bool:
        return self.call(self.fake.subscribed, topic)

    def wait_subscribed(self, topic: str, within: float = 5.0) -> None:
        """Block until a socket is connected and subscribed to `topic`."""
        self.loop.run(self.fake.wait_subscribed(topic, within), within + 5)

    def duplicate_next_event(self) -> None:
        self.call(self.fake.duplicate_next_event)

    def send_socket_closing(self, grace: float = 0.1) -> None:
        self.call(self.fake.send_socket_closing, grace)

    def close_sockets_abruptly(self) -> None:
        self.call(self.fake.close_sockets_abruptly)

    def expire_channels(self) -> None:
        self.call(self.fake.expire_channels)

    def emit_inbound_media(
        self,
        conversation: FakeConversation | str,
        items: list[MediaItem],
        text: str = "",
        topic: str | None = None,
    ) -> str:
        return self.call(self.fake.emit_inbound_media, conversation, items, text, topic)

    def host_media(
        self, data: bytes, mime: str, name: str, behaviour: str = "normal", **options: Any
    ) -> MediaItem:
        return self.call(self.fake.host_media, data, mime, name, behaviour, **options)

    def media_gets(self, media_id: str) -> int:
        return self.call(self.fake.media_gets, media_id)

    def attributes(self, conversation_id: str, participant_id: str) -> dict[str, str]:
        return self.call(self.fake.attributes, conversation_id, participant_id)

    def attribute_writes(self) -> list[AttributeWrite]:
        return self.call(self.fake.attribute_writes)

    def configure_webhook(self, url: str, secret: str, retry_delay: float = 0.2) -> None:
        self.call(self.fake.configure_webhook, url, secret, retry_delay)

    def outbound_message(
        self, conversation: FakeConversation | str, items: list[MediaItem], text: str = ""
    ) -> JSON:
        return self.call(self.fake.outbound_message, conversation, items, text)

    def send_webhook(self, message: JSON, redeliveries: int = 0) -> list[int]:
        """Blocks for every delivery and retry (each POST may take up to 10 s)."""
        return self.loop.run(self.fake.send_webhook(message, redeliveries), None)

    def send_webhook_raw(self, body: bytes, signature: str | None) -> int:
        return self.loop.run(self.fake.send_webhook_raw(body, signature), None)
