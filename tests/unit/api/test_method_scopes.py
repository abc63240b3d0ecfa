"""Every RPC of the contract needs a scope; nothing falls through to "open"."""

from __future__ import annotations

from mediagate.api.authn import scope_of
from mediagate.auth.scopes import Scope
from mediagate.v1 import attachment_service_pb2


def test_every_attachment_service_method_has_a_scope() -> None:
    service = attachment_service_pb2.DESCRIPTOR.services_by_name["AttachmentService"]
    for method in service.methods:
        scope = scope_of(f"/{service.full_name}/{method.name}")
        assert isinstance(scope, Scope), method.name


def test_open_refused_and_admin_methods() -> None:
    assert scope_of("/grpc.health.v1.Health/Check") is None
    assert scope_of("/grpc.health.v1.Health/Watch") is None
    assert scope_of("/mediagate.v1.AdminService/Anything") == Scope.ADMIN
    # Unknown methods and services need a scope no caller can have.
    assert not isinstance(scope_of("/mediagate.v1.AttachmentService/NewThing"), Scope)
    assert not isinstance(scope_of("/other.Service/Method"), Scope)
    assert scope_of("/mediagate.v1.AttachmentService/NewThing") not in (None, "")


def test_every_admin_service_method_needs_admin() -> None:
    from mediagate.v1 import admin_service_pb2

    service = admin_service_pb2.DESCRIPTOR.services_by_name["AdminService"]
    assert len(service.methods) >= 4
    for method in service.methods:
        assert scope_of(f"/{service.full_name}/{method.name}") == Scope.ADMIN, method.name
