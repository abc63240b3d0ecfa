"""Who a call comes from. One default tenant until authentication arrives; every store access
already takes the tenant, so authentication will change only this module. The caller and its
connection come from the peer address until then (what upload admission counts by)."""

from __future__ import annotations

import grpc

from mediagate.usecases.admission import Caller

DEFAULT_TENANT = "default"


def tenant_of(context: grpc.aio.ServicerContext[object, object]) -> str:
    return DEFAULT_TENANT


def caller_of(context: grpc.aio.ServicerContext[object, object]) -> Caller:
    """The peer "ipv4:127.0.0.1:51234" is the connection; its address without the port is the
    caller."""
    peer = context.peer() or ""
    address = peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer
    return Caller(tenant=tenant_of(context), caller=address, connection=peer)
