"""Fetch observation: a server in this process, a delivery-bound signed URL, real HTTP fetches,
and the MediaFetch records an observer registered on MediagateServer.media_links receives
(what the delivery use case will see as FETCHING)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import grpc

from mediagate.app import MediagateServer
from mediagate.config import Settings
from mediagate.usecases.media_links import ORIGINAL, MediaFetch, TargetKind
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc
from tests.samples import images
from tests.support.calls import header, requests_for


async def scenario(data_dir: Path) -> None:
    settings = Settings(
        host="127.0.0.1",
        port=0,
        media_port=0,
        data_dir=data_dir,
        probe_workers=1,
        render_workers=1,
        voice_workers=1,
    )
    server = MediagateServer(settings)
    await server.start()
    seen: list[MediaFetch] = []
    failures = 0

    async def record(fetch: MediaFetch) -> None:
        seen.append(fetch)

    async def broken(fetch: MediaFetch) -> None:
        nonlocal failures
        failures += 1
        raise RuntimeError("an observer's bug must not fail the fetch")

    server.media_links.observe(record)
    server.media_links.observe(broken)
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = pb_grpc.AttachmentServiceStub(channel)
            data = images.jpeg(200, 100)
            attachment = await stub.Upload(requests_for(data, header(data, "a.jpg", "image/jpeg")))
            attachment_id = attachment.name.removeprefix("attachments/")
            bound = await server.media_links.sign(
                "default", attachment_id, ORIGINAL, delivery_id="dlv-1"
            )
            plain = await server.media_links.sign("default", attachment_id, ORIGINAL)
            async with aiohttp.ClientSession() as http:
                async with http.get(bound.url) as answer:
                    assert answer.status == 200 and await answer.read() == data
                async with http.head(bound.url) as answer:
                    assert answer.status == 200
                async with http.get(bound.url, headers={"Range": "bytes=0-9"}) as answer:
                    assert answer.status == 206 and await answer.read() == data[:10]
                async with http.get(plain.url) as answer:  # no delivery: not reported
                    assert answer.status == 200
                tampered = bound.url.replace("d=dlv-1", "d=dlv-2")
                async with http.get(tampered) as answer:  # unverified: not reported
                    assert answer.status == 403
                await stub.DeleteAttachment(pb.DeleteAttachmentRequest(name=attachment.name))
                async with http.get(bound.url) as answer:
                    assert answer.status == 404
    finally:
        await server.stop()
    size = len(data)
    assert [
        (f.delivery_id, f.kind, f.method, f.status, f.bytes_sent, f.complete) for f in seen
    ] == [
        ("dlv-1", TargetKind.ORIGINAL, "GET", 200, size, True),
        ("dlv-1", TargetKind.ORIGINAL, "HEAD", 200, 0, False),
        ("dlv-1", TargetKind.ORIGINAL, "GET", 206, 10, False),
        ("dlv-1", TargetKind.ORIGINAL, "GET", 404, 0, False),
    ]
    assert failures == len(seen)
    assert all(f.time > 0 for f in seen)


def test_fetches_of_delivery_urls_are_reported(tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path / "data"))
