"""The HTTP endpoints' SSLContext, reloaded in place when the TLS files change: new connections
get the new certificate, open ones keep theirs. Client certificates are not asked for here:
media URLs carry their own signature and webhooks theirs (the platform presents none)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl

from mediagate.tls.files import TlsFiles

log = logging.getLogger(__name__)


def server_context(files: TlsFiles) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(files.certificate, files.key)
    return context


class ContextReloader:
    """Checks the files every `interval` seconds and loads a changed pair into the context."""

    def __init__(self, files: TlsFiles, context: ssl.SSLContext, interval: float) -> None:
        self._files, self._context, self._interval = files, context, interval
        self._task: asyncio.Task[None] | None = None
        self._loaded = files.generation

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="tls-reload")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            generation = await asyncio.to_thread(self._files.refresh)
            if generation != self._loaded:
                self._loaded = generation
                try:
                    self._context.load_cert_chain(self._files.certificate, self._files.key)
                except (OSError, ssl.SSLError) as exc:  # changed again since it was checked
                    log.error("HTTP TLS certificate not reloaded: %s", exc)
                    self._loaded = -1  # try again at the next look
                else:
                    log.info("HTTP endpoints serve the reloaded TLS certificate")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
