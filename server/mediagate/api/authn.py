"""Authentication and authorisation at the gRPC edge: every call to a mediagate service names
its caller (a bearer token or a client certificate, auth/authenticate.py has the threat model)
and needs the one scope its method requires.

- No or bad credentials: UNAUTHENTICATED (reason UNAUTHENTICATED, metadata why).
- A known caller without the method's scope: PERMISSION_DENIED (reason PERMISSION_DENIED).
- A method this table does not know is refused, so a new RPC is closed until it is given a
  scope here (tests/unit/api/test_method_scopes.py checks every method of the contract has one).
- The health service stays open (load balancers and the image's HEALTHCHECK carry no
  credentials). Reflection, when a setting turns it on, needs any authenticated caller.

The check runs inside the handler the interceptor returns, before the method reads a byte of
its request stream, and the identity it finds is set for the rest of the call (api/tenancy.py).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any

import grpc

from mediagate.api.calls import this_call
from mediagate.api.method_wrapping import Handler, WrapsMethods
from mediagate.api.status import abort
from mediagate.api.tenancy import reset_identity, set_identity
from mediagate.auth.authenticate import Authenticator, Identity
from mediagate.auth.scopes import Scope
from mediagate.errors import ErrorReason, MediagateError

ATTACHMENT_SERVICE = "mediagate.v1.AttachmentService"
ADMIN_SERVICE = "mediagate.v1.AdminService"
HEALTH_SERVICE = "grpc.health.v1.Health"
REFLECTION_PREFIX = "/grpc.reflection."

_R, _W, _D = Scope.ATTACHMENTS_READ, Scope.ATTACHMENTS_WRITE, Scope.ATTACHMENTS_DELETE
ATTACHMENT_SCOPES: Mapping[str, Scope] = {
    "Upload": _W,
    "Validate": _W,
    "UploadVoiceMessage": _W,
    "GetAttachment": _R,
    "ListAttachments": _R,
    "Download": _R,
    "ListProfiles": _R,
    "GetPreview": _R,
    "GetVoiceMessage": _R,
    "CreateSignedUrl": _R,
    "DeleteAttachment": _D,
    "DeliverAttachment": Scope.DELIVERIES_WRITE,
    "CancelDelivery": Scope.DELIVERIES_WRITE,
    "GetDelivery": _R,
    "ListDeliveries": _R,
    "WatchDelivery": _R,
    "ImportFromUrl": Scope.IMPORTS_WRITE,
    "ListImports": _R,
}

# A scope no caller has: what a method missing from the table needs.
_UNMAPPED = "unmapped"


def scope_of(method: str) -> Scope | str | None:
    """The scope "/pkg.Service/Method" needs; None for methods open to anyone."""
    service, _, name = method.lstrip("/").partition("/")
    if service == HEALTH_SERVICE:
        return None
    if service == ADMIN_SERVICE:
        return Scope.ADMIN
    if service == ATTACHMENT_SERVICE:
        return ATTACHMENT_SCOPES.get(name, _UNMAPPED)
    if method.startswith(REFLECTION_PREFIX):
        return ""  # any authenticated caller
    return _UNMAPPED


def certificate_subjects(context: Any) -> list[str]:
    """ "CN=.." and "SAN=.." of the client certificate grpc verified; none without one."""
    properties: Mapping[str, Iterable[bytes]] = context.auth_context() or {}
    if not properties.get("x509_pem_cert"):
        return []
    subjects = [f"CN={v.decode(errors='replace')}" for v in properties.get("x509_common_name", ())]
    subjects += [
        f"SAN={v.decode(errors='replace')}"
        for v in properties.get("x509_subject_alternative_name", ())
    ]
    return subjects


def _authorization(context: Any) -> str | None:
    for key, value in context.invocation_metadata() or ():
        if key == "authorization":
            return value if isinstance(value, str) else value.decode(errors="replace")
    return None


class AuthenticateCalls(WrapsMethods):
    def __init__(self, authenticator: Authenticator) -> None:
        super().__init__()
        self._authenticator = authenticator

    def wraps(self, method: str) -> bool:
        return scope_of(method) is not None

    def wrap(self, handler: Handler, method: str) -> Handler:
        return guarded(handler, lambda context: self.identify(method, context), method)

    def identify(self, method: str, context: Any) -> Identity | None:
        """The call's identity, or a MediagateError; None for open methods."""
        needed = scope_of(method)
        if needed is None:
            return None
        authorization = _authorization(context)
        # The token decides when there is one: the certificate is not even read.
        subjects = certificate_subjects(context) if authorization is None else []
        identity = self._authenticator.identify(authorization, subjects)
        if needed == "" or (isinstance(needed, Scope) and identity.may(needed)):
            return identity
        raise MediagateError(
            ErrorReason.PERMISSION_DENIED,
            f"The caller {identity.caller!r} may not call this method.",
            {"scope": str(needed), "caller": identity.caller},
        )


def _admit(check: Callable[[Any], Identity | None], context: Any) -> Any:
    identity = check(context)
    if identity is None:
        return None
    facts = this_call()
    if facts is not None:
        facts.caller, facts.tenant = identity.caller, identity.tenant
    return set_identity(identity)


def guarded(
    handler: grpc.RpcMethodHandler[Any, Any],
    check: Callable[[Any], Identity | None],
    method: str,
) -> grpc.RpcMethodHandler[Any, Any]:
    """The handler, with `check` run first inside the call; its identity is set for the call."""
    deserialize, serialize = handler.request_deserializer, handler.response_serializer

    async def admit(context: Any) -> Any:
        try:
            return _admit(check, context)
        except MediagateError as exc:
            await abort(context, exc, method)

    if handler.unary_unary is not None:
        unary = handler.unary_unary

        async def unary_unary(request: Any, context: Any) -> Any:
            token = await admit(context)
            try:
                return await unary(request, context)
            finally:
                if token is not None:
                    reset_identity(token)

        return grpc.unary_unary_rpc_method_handler(unary_unary, deserialize, serialize)
    if handler.stream_unary is not None:
        collecting: Any = handler.stream_unary

        async def stream_unary(requests: AsyncIterator[Any], context: Any) -> Any:
            token = await admit(context)
            try:
                return await collecting(requests, context)
            finally:
                if token is not None:
                    reset_identity(token)

        return grpc.stream_unary_rpc_method_handler(stream_unary, deserialize, serialize)
    streaming: Any = handler.unary_stream or handler.stream_stream

    async def streamed(request: Any, context: Any) -> None:
        token = await admit(context)
        try:
            answer = streaming(request, context)
            if inspect.isasyncgen(answer):
                async for response in answer:
                    await context.write(response)
            else:
                await answer
        finally:
            if token is not None:
                reset_identity(token)

    if handler.unary_stream is not None:
        return grpc.unary_stream_rpc_method_handler(streamed, deserialize, serialize)
    return grpc.stream_stream_rpc_method_handler(streamed, deserialize, serialize)
