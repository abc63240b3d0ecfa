"""Which tenant a call acts for. One default tenant until authentication arrives; every store
access already takes the tenant, so authentication will change only this function."""

from __future__ import annotations

import grpc

DEFAULT_TENANT = "default"


def tenant_of(context: grpc.aio.ServicerContext[object, object]) -> str:
    return DEFAULT_TENANT
