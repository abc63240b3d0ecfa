"""Who a call comes from, as the servicers ask it: the Identity the authentication interceptor
(api/authn.py) put in the call's context. Every store access takes the tenant from here, never
from the request, so a caller cannot name another tenant's rows.

With authentication off there is one tenant, "default", and the caller is the peer's address
(what upload admission counts by); with it on, the caller is the authenticated name, so abuse
limits are per identity.
"""

from __future__ import annotations

import contextvars

import grpc

from mediagate.auth.authenticate import Identity, anonymous
from mediagate.usecases.admission import Caller

DEFAULT_TENANT = "default"

_identity: contextvars.ContextVar[Identity | None] = contextvars.ContextVar(
    "mediagate_identity", default=None
)


def set_identity(identity: Identity) -> contextvars.Token[Identity | None]:
    return _identity.set(identity)


def reset_identity(token: contextvars.Token[Identity | None]) -> None:
    _identity.reset(token)


def current_tenant() -> str:
    identity = _identity.get()
    return identity.tenant if identity is not None else DEFAULT_TENANT


def peer_address(context: grpc.aio.ServicerContext[object, object]) -> str:
    """The peer "ipv4:127.0.0.1:51234" without its port."""
    peer = context.peer() or ""
    return peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer


def tenant_of(context: grpc.aio.ServicerContext[object, object]) -> str:
    return current_tenant()


def identity_of(context: grpc.aio.ServicerContext[object, object]) -> Identity:
    identity = _identity.get()
    return identity if identity is not None else anonymous(peer_address(context), DEFAULT_TENANT)


def caller_of(context: grpc.aio.ServicerContext[object, object]) -> Caller:
    identity = identity_of(context)
    return Caller(tenant=identity.tenant, caller=identity.caller, connection=context.peer() or "")
