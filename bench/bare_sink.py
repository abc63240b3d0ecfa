"""The ceiling for this stack: a bare grpc.aio server that only hashes upload chunks and answers
unary calls from memory. bench/upload_throughput.py measures mediagate against it in one run."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
from collections.abc import AsyncIterator
from typing import Any

import grpc

from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc

CANNED = apb.Attachment(name="attachments/" + "0" * 32, file_name="x", size_bytes=1)


class Sink(pb_grpc.AttachmentServiceServicer):
    async def Upload(
        self, request_iterator: AsyncIterator[pb.UploadRequest], context: Any
    ) -> apb.Attachment:
        digest = hashlib.sha256()
        size = 0
        async for request in request_iterator:
            if request.chunk:
                digest.update(request.chunk)
                size += len(request.chunk)
        return apb.Attachment(sha256=digest.hexdigest(), size_bytes=size)

    async def GetAttachment(self, request: pb.GetAttachmentRequest, context: Any) -> apb.Attachment:
        return CANNED


async def main(port: int) -> None:
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", 3 * 1024 * 1024)])
    pb_grpc.add_AttachmentServiceServicer_to_server(Sink(), server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print(f"bare sink listening on 127.0.0.1:{bound}", file=sys.stderr, flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    asyncio.run(main(parser.parse_args().port))
