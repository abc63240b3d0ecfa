import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mediagate.v1 import delivery_pb2 as _delivery_pb2
from mediagate.v1 import imports_pb2 as _imports_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OrphanKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORPHAN_KIND_UNSPECIFIED: _ClassVar[OrphanKind]
    ORPHAN_KIND_BLOB: _ClassVar[OrphanKind]
    ORPHAN_KIND_STAGED_FILE: _ClassVar[OrphanKind]
    ORPHAN_KIND_DERIVED: _ClassVar[OrphanKind]
    ORPHAN_KIND_UNFINISHED_UPLOAD: _ClassVar[OrphanKind]
ORPHAN_KIND_UNSPECIFIED: OrphanKind
ORPHAN_KIND_BLOB: OrphanKind
ORPHAN_KIND_STAGED_FILE: OrphanKind
ORPHAN_KIND_DERIVED: OrphanKind
ORPHAN_KIND_UNFINISHED_UPLOAD: OrphanKind

class Orphan(_message.Message):
    __slots__ = ("kind", "path", "size_bytes", "modify_time", "removed")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    MODIFY_TIME_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    kind: OrphanKind
    path: str
    size_bytes: int
    modify_time: _timestamp_pb2.Timestamp
    removed: bool
    def __init__(self, kind: _Optional[_Union[OrphanKind, str]] = ..., path: _Optional[str] = ..., size_bytes: _Optional[int] = ..., modify_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., removed: _Optional[bool] = ...) -> None: ...

class TenantStorage(_message.Message):
    __slots__ = ("tenant", "attachment_count", "logical_bytes")
    TENANT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    LOGICAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    tenant: str
    attachment_count: int
    logical_bytes: int
    def __init__(self, tenant: _Optional[str] = ..., attachment_count: _Optional[int] = ..., logical_bytes: _Optional[int] = ...) -> None: ...

class DeliveryStateCount(_message.Message):
    __slots__ = ("state", "count")
    STATE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    state: _delivery_pb2.DeliveryState
    count: int
    def __init__(self, state: _Optional[_Union[_delivery_pb2.DeliveryState, str]] = ..., count: _Optional[int] = ...) -> None: ...

class ImportStateCount(_message.Message):
    __slots__ = ("state", "count")
    STATE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    state: _imports_pb2.ImportState
    count: int
    def __init__(self, state: _Optional[_Union[_imports_pb2.ImportState, str]] = ..., count: _Optional[int] = ...) -> None: ...

class StorageReport(_message.Message):
    __slots__ = ("tenants", "quota_bytes", "quota_attachments", "catalog_bytes", "storage_cap_bytes", "blob_count", "blob_bytes", "preview_cache_entries", "preview_cache_bytes", "preview_cache_budget_bytes", "derived_bytes", "staging_files", "staging_bytes", "free_bytes", "min_free_bytes", "deliveries", "imports", "report_time")
    TENANTS_FIELD_NUMBER: _ClassVar[int]
    QUOTA_BYTES_FIELD_NUMBER: _ClassVar[int]
    QUOTA_ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CATALOG_BYTES_FIELD_NUMBER: _ClassVar[int]
    STORAGE_CAP_BYTES_FIELD_NUMBER: _ClassVar[int]
    BLOB_COUNT_FIELD_NUMBER: _ClassVar[int]
    BLOB_BYTES_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_CACHE_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_CACHE_BYTES_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_CACHE_BUDGET_BYTES_FIELD_NUMBER: _ClassVar[int]
    DERIVED_BYTES_FIELD_NUMBER: _ClassVar[int]
    STAGING_FILES_FIELD_NUMBER: _ClassVar[int]
    STAGING_BYTES_FIELD_NUMBER: _ClassVar[int]
    FREE_BYTES_FIELD_NUMBER: _ClassVar[int]
    MIN_FREE_BYTES_FIELD_NUMBER: _ClassVar[int]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    IMPORTS_FIELD_NUMBER: _ClassVar[int]
    REPORT_TIME_FIELD_NUMBER: _ClassVar[int]
    tenants: _containers.RepeatedCompositeFieldContainer[TenantStorage]
    quota_bytes: int
    quota_attachments: int
    catalog_bytes: int
    storage_cap_bytes: int
    blob_count: int
    blob_bytes: int
    preview_cache_entries: int
    preview_cache_bytes: int
    preview_cache_budget_bytes: int
    derived_bytes: int
    staging_files: int
    staging_bytes: int
    free_bytes: int
    min_free_bytes: int
    deliveries: _containers.RepeatedCompositeFieldContainer[DeliveryStateCount]
    imports: _containers.RepeatedCompositeFieldContainer[ImportStateCount]
    report_time: _timestamp_pb2.Timestamp
    def __init__(self, tenants: _Optional[_Iterable[_Union[TenantStorage, _Mapping]]] = ..., quota_bytes: _Optional[int] = ..., quota_attachments: _Optional[int] = ..., catalog_bytes: _Optional[int] = ..., storage_cap_bytes: _Optional[int] = ..., blob_count: _Optional[int] = ..., blob_bytes: _Optional[int] = ..., preview_cache_entries: _Optional[int] = ..., preview_cache_bytes: _Optional[int] = ..., preview_cache_budget_bytes: _Optional[int] = ..., derived_bytes: _Optional[int] = ..., staging_files: _Optional[int] = ..., staging_bytes: _Optional[int] = ..., free_bytes: _Optional[int] = ..., min_free_bytes: _Optional[int] = ..., deliveries: _Optional[_Iterable[_Union[DeliveryStateCount, _Mapping]]] = ..., imports: _Optional[_Iterable[_Union[ImportStateCount, _Mapping]]] = ..., report_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
