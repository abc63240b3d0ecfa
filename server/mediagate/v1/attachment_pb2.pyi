import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mediagate.v1 import preview_pb2 as _preview_pb2
from mediagate.v1 import reasons_pb2 as _reasons_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Attachment(_message.Message):
    __slots__ = ("name", "file_name", "declared_mime_type", "detected_mime_type", "size_bytes", "sha256", "profile", "conversation_id", "labels", "create_time", "expire_time", "image", "document", "audio", "text", "archive", "original_sha256", "metadata", "renditions")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    DECLARED_MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    DETECTED_MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_SHA256_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    RENDITIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    file_name: str
    declared_mime_type: str
    detected_mime_type: str
    size_bytes: int
    sha256: str
    profile: str
    conversation_id: str
    labels: _containers.ScalarMap[str, str]
    create_time: _timestamp_pb2.Timestamp
    expire_time: _timestamp_pb2.Timestamp
    image: ImageInfo
    document: DocumentInfo
    audio: AudioInfo
    text: TextInfo
    archive: ArchiveInfo
    original_sha256: str
    metadata: _containers.RepeatedCompositeFieldContainer[MetadataItem]
    renditions: _containers.RepeatedCompositeFieldContainer[RenditionRef]
    def __init__(self, name: _Optional[str] = ..., file_name: _Optional[str] = ..., declared_mime_type: _Optional[str] = ..., detected_mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., profile: _Optional[str] = ..., conversation_id: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., image: _Optional[_Union[ImageInfo, _Mapping]] = ..., document: _Optional[_Union[DocumentInfo, _Mapping]] = ..., audio: _Optional[_Union[AudioInfo, _Mapping]] = ..., text: _Optional[_Union[TextInfo, _Mapping]] = ..., archive: _Optional[_Union[ArchiveInfo, _Mapping]] = ..., original_sha256: _Optional[str] = ..., metadata: _Optional[_Iterable[_Union[MetadataItem, _Mapping]]] = ..., renditions: _Optional[_Iterable[_Union[RenditionRef, _Mapping]]] = ...) -> None: ...

class MetadataItem(_message.Message):
    __slots__ = ("kind", "size_bytes", "removed")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    kind: str
    size_bytes: int
    removed: bool
    def __init__(self, kind: _Optional[str] = ..., size_bytes: _Optional[int] = ..., removed: _Optional[bool] = ...) -> None: ...

class RenditionRef(_message.Message):
    __slots__ = ("attachment", "purpose", "mime_type", "size_bytes")
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    attachment: str
    purpose: str
    mime_type: str
    size_bytes: int
    def __init__(self, attachment: _Optional[str] = ..., purpose: _Optional[str] = ..., mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ...) -> None: ...

class TextInfo(_message.Message):
    __slots__ = ("charset",)
    CHARSET_FIELD_NUMBER: _ClassVar[int]
    charset: str
    def __init__(self, charset: _Optional[str] = ...) -> None: ...

class ArchiveInfo(_message.Message):
    __slots__ = ("entry_count", "uncompressed_bytes")
    ENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNCOMPRESSED_BYTES_FIELD_NUMBER: _ClassVar[int]
    entry_count: int
    uncompressed_bytes: int
    def __init__(self, entry_count: _Optional[int] = ..., uncompressed_bytes: _Optional[int] = ...) -> None: ...

class ImageInfo(_message.Message):
    __slots__ = ("width", "height", "frame_count", "has_alpha", "exif_orientation")
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FRAME_COUNT_FIELD_NUMBER: _ClassVar[int]
    HAS_ALPHA_FIELD_NUMBER: _ClassVar[int]
    EXIF_ORIENTATION_FIELD_NUMBER: _ClassVar[int]
    width: int
    height: int
    frame_count: int
    has_alpha: bool
    exif_orientation: int
    def __init__(self, width: _Optional[int] = ..., height: _Optional[int] = ..., frame_count: _Optional[int] = ..., has_alpha: _Optional[bool] = ..., exif_orientation: _Optional[int] = ...) -> None: ...

class DocumentInfo(_message.Message):
    __slots__ = ("page_count",)
    PAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    page_count: int
    def __init__(self, page_count: _Optional[int] = ...) -> None: ...

class AudioInfo(_message.Message):
    __slots__ = ("duration", "codec", "sample_rate_hz", "channels", "bitrate_bps", "container")
    DURATION_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_HZ_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    BITRATE_BPS_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    duration: _duration_pb2.Duration
    codec: str
    sample_rate_hz: int
    channels: int
    bitrate_bps: int
    container: str
    def __init__(self, duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., codec: _Optional[str] = ..., sample_rate_hz: _Optional[int] = ..., channels: _Optional[int] = ..., bitrate_bps: _Optional[int] = ..., container: _Optional[str] = ...) -> None: ...

class Rejection(_message.Message):
    __slots__ = ("reason", "message", "metadata")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    reason: _reasons_pb2.RejectionReason
    message: str
    metadata: _containers.ScalarMap[str, str]
    def __init__(self, reason: _Optional[_Union[_reasons_pb2.RejectionReason, str]] = ..., message: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Verdict(_message.Message):
    __slots__ = ("accepted", "rejections", "detected_mime_type", "size_bytes", "sha256", "profile", "image", "document", "audio", "text", "archive")
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    DETECTED_MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    accepted: bool
    rejections: _containers.RepeatedCompositeFieldContainer[Rejection]
    detected_mime_type: str
    size_bytes: int
    sha256: str
    profile: str
    image: ImageInfo
    document: DocumentInfo
    audio: AudioInfo
    text: TextInfo
    archive: ArchiveInfo
    def __init__(self, accepted: _Optional[bool] = ..., rejections: _Optional[_Iterable[_Union[Rejection, _Mapping]]] = ..., detected_mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., profile: _Optional[str] = ..., image: _Optional[_Union[ImageInfo, _Mapping]] = ..., document: _Optional[_Union[DocumentInfo, _Mapping]] = ..., audio: _Optional[_Union[AudioInfo, _Mapping]] = ..., text: _Optional[_Union[TextInfo, _Mapping]] = ..., archive: _Optional[_Union[ArchiveInfo, _Mapping]] = ...) -> None: ...

class Profile(_message.Message):
    __slots__ = ("name", "description", "max_size_bytes", "accepted_mime_types", "max_pixels", "max_frames", "max_pages", "min_audio_duration", "max_audio_duration", "retention", "reject_type_mismatch", "reject_extension_mismatch", "eager_previews", "audio_codecs", "strip_metadata")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MAX_SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_MIME_TYPES_FIELD_NUMBER: _ClassVar[int]
    MAX_PIXELS_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAMES_FIELD_NUMBER: _ClassVar[int]
    MAX_PAGES_FIELD_NUMBER: _ClassVar[int]
    MIN_AUDIO_DURATION_FIELD_NUMBER: _ClassVar[int]
    MAX_AUDIO_DURATION_FIELD_NUMBER: _ClassVar[int]
    RETENTION_FIELD_NUMBER: _ClassVar[int]
    REJECT_TYPE_MISMATCH_FIELD_NUMBER: _ClassVar[int]
    REJECT_EXTENSION_MISMATCH_FIELD_NUMBER: _ClassVar[int]
    EAGER_PREVIEWS_FIELD_NUMBER: _ClassVar[int]
    AUDIO_CODECS_FIELD_NUMBER: _ClassVar[int]
    STRIP_METADATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    max_size_bytes: int
    accepted_mime_types: _containers.RepeatedScalarFieldContainer[str]
    max_pixels: int
    max_frames: int
    max_pages: int
    min_audio_duration: _duration_pb2.Duration
    max_audio_duration: _duration_pb2.Duration
    retention: _duration_pb2.Duration
    reject_type_mismatch: bool
    reject_extension_mismatch: bool
    eager_previews: _containers.RepeatedCompositeFieldContainer[_preview_pb2.PreviewSpec]
    audio_codecs: _containers.RepeatedCompositeFieldContainer[AudioCodecs]
    strip_metadata: bool
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., max_size_bytes: _Optional[int] = ..., accepted_mime_types: _Optional[_Iterable[str]] = ..., max_pixels: _Optional[int] = ..., max_frames: _Optional[int] = ..., max_pages: _Optional[int] = ..., min_audio_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_audio_duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., retention: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., reject_type_mismatch: _Optional[bool] = ..., reject_extension_mismatch: _Optional[bool] = ..., eager_previews: _Optional[_Iterable[_Union[_preview_pb2.PreviewSpec, _Mapping]]] = ..., audio_codecs: _Optional[_Iterable[_Union[AudioCodecs, _Mapping]]] = ..., strip_metadata: _Optional[bool] = ...) -> None: ...

class AudioCodecs(_message.Message):
    __slots__ = ("mime_type", "codecs")
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    CODECS_FIELD_NUMBER: _ClassVar[int]
    mime_type: str
    codecs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, mime_type: _Optional[str] = ..., codecs: _Optional[_Iterable[str]] = ...) -> None: ...
