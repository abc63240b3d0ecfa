from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PreviewFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PREVIEW_FORMAT_UNSPECIFIED: _ClassVar[PreviewFormat]
    PREVIEW_FORMAT_WEBP: _ClassVar[PreviewFormat]
    PREVIEW_FORMAT_JPEG: _ClassVar[PreviewFormat]
    PREVIEW_FORMAT_PNG: _ClassVar[PreviewFormat]
PREVIEW_FORMAT_UNSPECIFIED: PreviewFormat
PREVIEW_FORMAT_WEBP: PreviewFormat
PREVIEW_FORMAT_JPEG: PreviewFormat
PREVIEW_FORMAT_PNG: PreviewFormat

class PreviewSpec(_message.Message):
    __slots__ = ("max_width", "max_height", "format", "quality", "page")
    MAX_WIDTH_FIELD_NUMBER: _ClassVar[int]
    MAX_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    max_width: int
    max_height: int
    format: PreviewFormat
    quality: int
    page: int
    def __init__(self, max_width: _Optional[int] = ..., max_height: _Optional[int] = ..., format: _Optional[_Union[PreviewFormat, str]] = ..., quality: _Optional[int] = ..., page: _Optional[int] = ...) -> None: ...

class Preview(_message.Message):
    __slots__ = ("content", "mime_type", "width", "height", "size_bytes", "spec", "source")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SPEC_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    mime_type: str
    width: int
    height: int
    size_bytes: int
    spec: PreviewSpec
    source: PreviewSource
    def __init__(self, content: _Optional[bytes] = ..., mime_type: _Optional[str] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., size_bytes: _Optional[int] = ..., spec: _Optional[_Union[PreviewSpec, _Mapping]] = ..., source: _Optional[_Union[PreviewSource, _Mapping]] = ...) -> None: ...

class PreviewSource(_message.Message):
    __slots__ = ("width", "height", "page", "page_count", "frame", "frame_count")
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    FRAME_FIELD_NUMBER: _ClassVar[int]
    FRAME_COUNT_FIELD_NUMBER: _ClassVar[int]
    width: int
    height: int
    page: int
    page_count: int
    frame: int
    frame_count: int
    def __init__(self, width: _Optional[int] = ..., height: _Optional[int] = ..., page: _Optional[int] = ..., page_count: _Optional[int] = ..., frame: _Optional[int] = ..., frame_count: _Optional[int] = ...) -> None: ...
