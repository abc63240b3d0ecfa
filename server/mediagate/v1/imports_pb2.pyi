import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ImportSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_SOURCE_UNSPECIFIED: _ClassVar[ImportSource]
    IMPORT_SOURCE_API: _ClassVar[ImportSource]
    IMPORT_SOURCE_CONVERSATION_EVENT: _ClassVar[ImportSource]
    IMPORT_SOURCE_OPEN_MESSAGING_WEBHOOK: _ClassVar[ImportSource]

class ImportState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMPORT_STATE_UNSPECIFIED: _ClassVar[ImportState]
    IMPORT_STATE_QUEUED: _ClassVar[ImportState]
    IMPORT_STATE_IMPORTING: _ClassVar[ImportState]
    IMPORT_STATE_ACCEPTED: _ClassVar[ImportState]
    IMPORT_STATE_REJECTED: _ClassVar[ImportState]
    IMPORT_STATE_FAILED: _ClassVar[ImportState]
IMPORT_SOURCE_UNSPECIFIED: ImportSource
IMPORT_SOURCE_API: ImportSource
IMPORT_SOURCE_CONVERSATION_EVENT: ImportSource
IMPORT_SOURCE_OPEN_MESSAGING_WEBHOOK: ImportSource
IMPORT_STATE_UNSPECIFIED: ImportState
IMPORT_STATE_QUEUED: ImportState
IMPORT_STATE_IMPORTING: ImportState
IMPORT_STATE_ACCEPTED: ImportState
IMPORT_STATE_REJECTED: ImportState
IMPORT_STATE_FAILED: ImportState

class Import(_message.Message):
    __slots__ = ("name", "source", "state", "url", "conversation_id", "participant_id", "message_id", "platform_media_id", "file_name", "declared_mime_type", "attachment", "reason", "message", "attempts", "attributes_written", "create_time", "update_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTICIPANT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_MEDIA_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    DECLARED_MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    source: ImportSource
    state: ImportState
    url: str
    conversation_id: str
    participant_id: str
    message_id: str
    platform_media_id: str
    file_name: str
    declared_mime_type: str
    attachment: str
    reason: str
    message: str
    attempts: int
    attributes_written: bool
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., source: _Optional[_Union[ImportSource, str]] = ..., state: _Optional[_Union[ImportState, str]] = ..., url: _Optional[str] = ..., conversation_id: _Optional[str] = ..., participant_id: _Optional[str] = ..., message_id: _Optional[str] = ..., platform_media_id: _Optional[str] = ..., file_name: _Optional[str] = ..., declared_mime_type: _Optional[str] = ..., attachment: _Optional[str] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ..., attempts: _Optional[int] = ..., attributes_written: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListImportsRequest(_message.Message):
    __slots__ = ("conversation_id", "page_size", "page_token")
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    page_size: int
    page_token: str
    def __init__(self, conversation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListImportsResponse(_message.Message):
    __slots__ = ("imports", "next_page_token")
    IMPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    imports: _containers.RepeatedCompositeFieldContainer[Import]
    next_page_token: str
    def __init__(self, imports: _Optional[_Iterable[_Union[Import, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
