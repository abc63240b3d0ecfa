import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from mediagate.v1 import admin_pb2 as _admin_pb2
from mediagate.v1 import attachment_pb2 as _attachment_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RunRetentionSweepRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RunRetentionSweepResponse(_message.Message):
    __slots__ = ("attachments_removed", "logical_bytes_removed", "bytes_freed")
    ATTACHMENTS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    LOGICAL_BYTES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    BYTES_FREED_FIELD_NUMBER: _ClassVar[int]
    attachments_removed: int
    logical_bytes_removed: int
    bytes_freed: int
    def __init__(self, attachments_removed: _Optional[int] = ..., logical_bytes_removed: _Optional[int] = ..., bytes_freed: _Optional[int] = ...) -> None: ...

class CleanOrphansRequest(_message.Message):
    __slots__ = ("dry_run", "min_age")
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    MIN_AGE_FIELD_NUMBER: _ClassVar[int]
    dry_run: bool
    min_age: _duration_pb2.Duration
    def __init__(self, dry_run: _Optional[bool] = ..., min_age: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class CleanOrphansResponse(_message.Message):
    __slots__ = ("dry_run", "orphans", "orphans_truncated", "found_count", "found_bytes", "removed_count", "removed_bytes", "young_count")
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    ORPHANS_FIELD_NUMBER: _ClassVar[int]
    ORPHANS_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    FOUND_COUNT_FIELD_NUMBER: _ClassVar[int]
    FOUND_BYTES_FIELD_NUMBER: _ClassVar[int]
    REMOVED_COUNT_FIELD_NUMBER: _ClassVar[int]
    REMOVED_BYTES_FIELD_NUMBER: _ClassVar[int]
    YOUNG_COUNT_FIELD_NUMBER: _ClassVar[int]
    dry_run: bool
    orphans: _containers.RepeatedCompositeFieldContainer[_admin_pb2.Orphan]
    orphans_truncated: bool
    found_count: int
    found_bytes: int
    removed_count: int
    removed_bytes: int
    young_count: int
    def __init__(self, dry_run: _Optional[bool] = ..., orphans: _Optional[_Iterable[_Union[_admin_pb2.Orphan, _Mapping]]] = ..., orphans_truncated: _Optional[bool] = ..., found_count: _Optional[int] = ..., found_bytes: _Optional[int] = ..., removed_count: _Optional[int] = ..., removed_bytes: _Optional[int] = ..., young_count: _Optional[int] = ...) -> None: ...

class GetStorageReportRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CheckProfilesRequest(_message.Message):
    __slots__ = ("toml",)
    TOML_FIELD_NUMBER: _ClassVar[int]
    toml: str
    def __init__(self, toml: _Optional[str] = ...) -> None: ...

class CheckProfilesResponse(_message.Message):
    __slots__ = ("valid", "errors", "profiles", "added", "changed", "removed")
    VALID_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    ADDED_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    errors: _containers.RepeatedScalarFieldContainer[str]
    profiles: _containers.RepeatedCompositeFieldContainer[_attachment_pb2.Profile]
    added: _containers.RepeatedScalarFieldContainer[str]
    changed: _containers.RepeatedScalarFieldContainer[str]
    removed: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, valid: _Optional[bool] = ..., errors: _Optional[_Iterable[str]] = ..., profiles: _Optional[_Iterable[_Union[_attachment_pb2.Profile, _Mapping]]] = ..., added: _Optional[_Iterable[str]] = ..., changed: _Optional[_Iterable[str]] = ..., removed: _Optional[_Iterable[str]] = ...) -> None: ...
