"""Server reflection that also answers for method names.

grpc-python's reflection finds the file of a service or message by name, but not of a method
("mediagate.v1.AttachmentService.GetAttachment"), which is what ghz and some other tools ask
for (grpc/grpc#34743, bojand/ghz#419). Falling back to the method's service answers them with
the same file.
"""

from __future__ import annotations

from typing import Any

import grpc
from grpc_reflection.v1alpha import reflection_pb2_grpc
from grpc_reflection.v1alpha._async import ReflectionServicer


class MethodAwareReflection(ReflectionServicer):  # type: ignore[misc]
    def _file_containing_symbol(self, request: Any, fully_qualified_name: str) -> Any:
        response = super()._file_containing_symbol(request, fully_qualified_name)
        if response.HasField("error_response") and "." in fully_qualified_name:
            service = fully_qualified_name.rsplit(".", 1)[0]
            try:
                self._pool.FindServiceByName(service)
            except KeyError:
                return response
            return super()._file_containing_symbol(request, service)
        return response


def enable_reflection(service_names: list[str], server: grpc.aio.Server) -> None:
    reflection_pb2_grpc.add_ServerReflectionServicer_to_server(
        MethodAwareReflection(service_names), server
    )
