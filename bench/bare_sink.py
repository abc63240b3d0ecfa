"""The ceiling for this stack: a bare grpc.aio server that only hashes upload chunks and answers
unary calls from memory. bench/upload_throughput.py measures mediagate against it in one run.

With --spool-dir it also writes each upload to a file there and fsyncs it before answering:
the ceiling for any upload that is durable on that filesystem.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys
from collections.abc import AsyncIterator
from typing import Any

import grpc

from mediagate.v1 import attachment_pb2 as apb
from mediagate.v1 import attachment_service_pb2 as pb
from mediagate.v1 import attachment_service_pb2_grpc as pb_grpc

CANNED = apb.Attachment(name="attachments/" + "0" * 32, file_name="x", size_bytes=1)


class Sink(pb_grpc.AttachmentServiceServicer):
    def __init__(self, spool_dir: str | None) -> None:
        self.spool_dir = spool_dir

    async def Upload(
        self, request_iterator: AsyncIterator[pb.UploadRequest], context: Any
    ) -> apb.Attachment:
        digest = hashlib.sha256()
        size = 0
        fd = -1
        if self.spool_dir:
            path = os.path.join(self.spool_dir, f"sink-{os.urandom(8).hex()}")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            async for request in request_iterator:
                chunk = request.chunk
                if chunk:
                    digest.update(chunk)
                    size += len(chunk)
                    if fd >= 0:
                        os.write(fd, chunk)
            if fd >= 0:
                os.fsync(fd)
        finally:
            if fd >= 0:
                os.close(fd)
                os.unlink(path)
        return apb.Attachment(sha256=digest.hexdigest(), size_bytes=size)

    async def GetAttachment(self, request: pb.GetAttachmentRequest, context: Any) -> apb.Attachment:
        return CANNED


async def main(port: int, spool_dir: str | None) -> None:
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", 3 * 1024 * 1024)])
    pb_grpc.add_AttachmentServiceServicer_to_server(Sink(spool_dir), server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    print(f"bare sink listening on 127.0.0.1:{bound}", file=sys.stderr, flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--spool-dir", default=None)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.spool_dir))
