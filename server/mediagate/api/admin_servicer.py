"""The AdminService servicer: the operators' edge, thin like AttachmentService's. Who may call
it is the authentication interceptor's business (scope "admin" for every method)."""

from __future__ import annotations

from mediagate.api import admin_convert
from mediagate.api.servicer import Context, edge
from mediagate.usecases.admin import Admin
from mediagate.v1 import admin_pb2 as apb
from mediagate.v1 import admin_service_pb2 as pb
from mediagate.v1 import admin_service_pb2_grpc as pb_grpc


class AdminServicer(pb_grpc.AdminServiceServicer):
    def __init__(self, admin: Admin) -> None:
        self._admin = admin

    @edge
    async def RunRetentionSweep(
        self, request: pb.RunRetentionSweepRequest, context: Context
    ) -> pb.RunRetentionSweepResponse:
        return admin_convert.sweep_response(await self._admin.sweep())

    @edge
    async def CleanOrphans(
        self, request: pb.CleanOrphansRequest, context: Context
    ) -> pb.CleanOrphansResponse:
        min_age = request.min_age.ToNanoseconds() / 1e9 if request.HasField("min_age") else None
        cleanup = await self._admin.clean_orphans(request.dry_run, min_age)
        return admin_convert.orphans_response(cleanup)

    @edge
    async def GetStorageReport(
        self, request: pb.GetStorageReportRequest, context: Context
    ) -> apb.StorageReport:
        return admin_convert.storage_report(await self._admin.storage_report())

    @edge
    async def CheckProfiles(
        self, request: pb.CheckProfilesRequest, context: Context
    ) -> pb.CheckProfilesResponse:
        return admin_convert.profiles_check(self._admin.check_profiles(request.toml))
