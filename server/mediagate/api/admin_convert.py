"""AdminService answers out: the use case's plain results as messages."""

from __future__ import annotations

from mediagate.api.convert import profile_message
from mediagate.api.delivery_convert import timestamp
from mediagate.store.attachments import Swept
from mediagate.usecases.admin import Orphan, OrphanCleanup, ProfilesCheck, StorageReport
from mediagate.v1 import admin_pb2 as apb
from mediagate.v1 import admin_service_pb2 as pb


def sweep_response(swept: Swept) -> pb.RunRetentionSweepResponse:
    return pb.RunRetentionSweepResponse(
        attachments_removed=swept.attachments,
        logical_bytes_removed=swept.logical_bytes,
        bytes_freed=swept.freed_bytes,
    )


def orphan_message(orphan: Orphan) -> apb.Orphan:
    return apb.Orphan(
        kind=f"ORPHAN_KIND_{orphan.kind}",
        path=orphan.file.path,
        size_bytes=orphan.file.size_bytes,
        modify_time=timestamp(orphan.file.modify_time),
        removed=orphan.removed,
    )


def orphans_response(cleanup: OrphanCleanup) -> pb.CleanOrphansResponse:
    return pb.CleanOrphansResponse(
        dry_run=cleanup.dry_run,
        orphans=[orphan_message(o) for o in cleanup.orphans],
        orphans_truncated=cleanup.truncated,
        found_count=cleanup.found_count,
        found_bytes=cleanup.found_bytes,
        removed_count=cleanup.removed_count,
        removed_bytes=cleanup.removed_bytes,
        young_count=cleanup.young_count,
    )


def storage_report(report: StorageReport) -> apb.StorageReport:
    files = report.files
    return apb.StorageReport(
        tenants=[
            apb.TenantStorage(
                tenant=tenant,
                attachment_count=usage.tenant_attachments,
                logical_bytes=usage.tenant_bytes,
            )
            for tenant, usage in sorted(report.tenants.items())
        ],
        quota_bytes=report.quota_bytes,
        quota_attachments=report.quota_attachments,
        catalog_bytes=report.catalog_bytes,
        storage_cap_bytes=report.storage_cap_bytes,
        blob_count=files.blob_count,
        blob_bytes=files.blob_bytes,
        preview_cache_entries=files.cache_entries,
        preview_cache_bytes=files.cache_bytes,
        preview_cache_budget_bytes=files.cache_budget_bytes,
        derived_bytes=files.derived_bytes,
        staging_files=files.staging_files,
        staging_bytes=files.staging_bytes,
        free_bytes=report.free_bytes,
        min_free_bytes=report.min_free_bytes,
        deliveries=[
            apb.DeliveryStateCount(
                state=f"DELIVERY_STATE_{state.value}",
                count=count,
            )
            for state, count in report.deliveries.items()
        ],
        imports=[
            apb.ImportStateCount(state=f"IMPORT_STATE_{state.value}", count=count)
            for state, count in report.imports.items()
        ],
        report_time=timestamp(report.report_time),
    )


def profiles_check(check: ProfilesCheck) -> pb.CheckProfilesResponse:
    return pb.CheckProfilesResponse(
        valid=check.valid,
        errors=check.errors,
        profiles=[profile_message(p) for _, p in sorted(check.profiles.items())],
        added=check.added,
        changed=check.changed,
        removed=check.removed,
    )
