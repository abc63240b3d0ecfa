"""Serve the fake Genesys Cloud as its own process until SIGTERM/SIGINT.

    python -m tests.fakes.genesys --port 8765 [--host 127.0.0.1] [--client-id ID --client-secret S]
        [--heartbeat-seconds 30]

Prints `fake genesys listening on http://HOST:PORT integration=<id>` and then
`conversation=<id>` (one conversation is created at start), each line flushed. Faults and
queries go through the HTTP control routes under /_fake/ (see app.py).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from .app import FakeGenesys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.genesys", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--client-id", default="mediagate-test")
    parser.add_argument("--client-secret", default="s3cret")
    parser.add_argument("--media-valid-after", type=float, default=0.2)
    parser.add_argument("--heartbeat-seconds", type=float, default=30.0)
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    fake = FakeGenesys(
        args.client_id,
        args.client_secret,
        host=args.host,
        port=args.port,
        media_valid_after=args.media_valid_after,
        heartbeat_seconds=args.heartbeat_seconds,
    )
    async with fake:
        conv = fake.add_conversation()
        print(f"fake genesys listening on {fake.base_url} integration={fake.integration_id}")
        print(f"conversation={conv.id}", flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
