"""Runs the media endpoint: an aiohttp AppRunner and one TCP site, started and stopped by the
composition root. Access logs are off: aiohttp's would print each URL with its signature."""

from __future__ import annotations

import ssl

from aiohttp import web


class HttpServer:
    def __init__(
        self,
        app: web.Application,
        host: str,
        port: int,
        grace_seconds: float,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._ssl_context = ssl_context
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=grace_seconds)
        self._host = host
        self._port = port
        self.port = 0

    async def start(self) -> int:
        """Binds and serves; returns the bound port (the setting may be 0: any free port)."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port, ssl_context=self._ssl_context)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])
        return self.port

    async def stop(self) -> None:
        await self._runner.cleanup()
