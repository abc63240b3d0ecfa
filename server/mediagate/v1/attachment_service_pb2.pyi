from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from mediagate.v1 import attachment_pb2 as _attachment_pb2
from mediagate.v1 import delivery_pb2 as _delivery_pb2
from mediagate.v1 import imports_pb2 as _imports_pb2
from mediagate.v1 import preview_pb2 as _preview_pb2
from mediagate.v1 import voice_pb2 as _voice_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UploadVoiceMessageRequest(_message.Message):
    __slots__ = ("header", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: VoiceMessageHeader
    chunk: bytes
    def __init__(self, header: _Optional[_Union[VoiceMessageHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class VoiceMessageHeader(_message.Message):
    __slots__ = ("upload", "transcript", "transcript_language")
    UPLOAD_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    upload: UploadHeader
    transcript: str
    transcript_language: str
    def __init__(self, upload: _Optional[_Union[UploadHeader, _Mapping]] = ..., transcript: _Optional[str] = ..., transcript_language: _Optional[str] = ...) -> None: ...

class GetVoiceMessageRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetPreviewRequest(_message.Message):
    __slots__ = ("name", "spec")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    name: str
    spec: _preview_pb2.PreviewSpec
    def __init__(self, name: _Optional[str] = ..., spec: _Optional[_Union[_preview_pb2.PreviewSpec, _Mapping]] = ...) -> None: ...

class UploadRequest(_message.Message):
    __slots__ = ("header", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: UploadHeader
    chunk: bytes
    def __init__(self, header: _Optional[_Union[UploadHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class ImportFromUrlRequest(_message.Message):
    __slots__ = ("url", "bearer_token", "header", "voice_message")
    URL_FIELD_NUMBER: _ClassVar[int]
    BEARER_TOKEN_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    VOICE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    url: str
    bearer_token: str
    header: UploadHeader
    voice_message: bool
    def __init__(self, url: _Optional[str] = ..., bearer_token: _Optional[str] = ..., header: _Optional[_Union[UploadHeader, _Mapping]] = ..., voice_message: _Optional[bool] = ...) -> None: ...

class UploadHeader(_message.Message):
    __slots__ = ("file_name", "declared_mime_type", "declared_size_bytes", "sha256", "profile", "conversation_id", "labels", "idempotency_key")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    DECLARED_MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    DECLARED_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    file_name: str
    declared_mime_type: str
    declared_size_bytes: int
    sha256: str
    profile: str
    conversation_id: str
    labels: _containers.ScalarMap[str, str]
    idempotency_key: str
    def __init__(self, file_name: _Optional[str] = ..., declared_mime_type: _Optional[str] = ..., declared_size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., profile: _Optional[str] = ..., conversation_id: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class GetAttachmentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListAttachmentsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "conversation_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    conversation_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., conversation_id: _Optional[str] = ...) -> None: ...

class ListAttachmentsResponse(_message.Message):
    __slots__ = ("attachments", "next_page_token")
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[_attachment_pb2.Attachment]
    next_page_token: str
    def __init__(self, attachments: _Optional[_Iterable[_Union[_attachment_pb2.Attachment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteAttachmentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteAttachmentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DownloadRequest(_message.Message):
    __slots__ = ("name", "read_offset", "read_limit")
    NAME_FIELD_NUMBER: _ClassVar[int]
    READ_OFFSET_FIELD_NUMBER: _ClassVar[int]
    READ_LIMIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    read_offset: int
    read_limit: int
    def __init__(self, name: _Optional[str] = ..., read_offset: _Optional[int] = ..., read_limit: _Optional[int] = ...) -> None: ...

class DownloadResponse(_message.Message):
    __slots__ = ("data", "attachment")
    DATA_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    attachment: _attachment_pb2.Attachment
    def __init__(self, data: _Optional[bytes] = ..., attachment: _Optional[_Union[_attachment_pb2.Attachment, _Mapping]] = ...) -> None: ...

class ListProfilesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProfilesResponse(_message.Message):
    __slots__ = ("profiles", "default_profile", "max_chunk_size_bytes", "recommended_chunk_size_bytes")
    PROFILES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PROFILE_FIELD_NUMBER: _ClassVar[int]
    MAX_CHUNK_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_CHUNK_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    profiles: _containers.RepeatedCompositeFieldContainer[_attachment_pb2.Profile]
    default_profile: str
    max_chunk_size_bytes: int
    recommended_chunk_size_bytes: int
    def __init__(self, profiles: _Optional[_Iterable[_Union[_attachment_pb2.Profile, _Mapping]]] = ..., default_profile: _Optional[str] = ..., max_chunk_size_bytes: _Optional[int] = ..., recommended_chunk_size_bytes: _Optional[int] = ...) -> None: ...
