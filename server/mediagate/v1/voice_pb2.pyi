import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from mediagate.v1 import attachment_pb2 as _attachment_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TranscriptSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSCRIPT_SOURCE_UNSPECIFIED: _ClassVar[TranscriptSource]
    TRANSCRIPT_SOURCE_CALLER: _ClassVar[TranscriptSource]
    TRANSCRIPT_SOURCE_PLACEHOLDER: _ClassVar[TranscriptSource]
    TRANSCRIPT_SOURCE_ENGINE: _ClassVar[TranscriptSource]
TRANSCRIPT_SOURCE_UNSPECIFIED: TranscriptSource
TRANSCRIPT_SOURCE_CALLER: TranscriptSource
TRANSCRIPT_SOURCE_PLACEHOLDER: TranscriptSource
TRANSCRIPT_SOURCE_ENGINE: TranscriptSource

class VoiceMessage(_message.Message):
    __slots__ = ("attachment", "duration", "container", "codec", "sample_rate_hz", "channels", "bitrate_bps", "waveform", "renditions", "transcript")
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_HZ_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    BITRATE_BPS_FIELD_NUMBER: _ClassVar[int]
    WAVEFORM_FIELD_NUMBER: _ClassVar[int]
    RENDITIONS_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    attachment: _attachment_pb2.Attachment
    duration: _duration_pb2.Duration
    container: str
    codec: str
    sample_rate_hz: int
    channels: int
    bitrate_bps: int
    waveform: _containers.RepeatedScalarFieldContainer[float]
    renditions: _containers.RepeatedCompositeFieldContainer[Rendition]
    transcript: Transcript
    def __init__(self, attachment: _Optional[_Union[_attachment_pb2.Attachment, _Mapping]] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., container: _Optional[str] = ..., codec: _Optional[str] = ..., sample_rate_hz: _Optional[int] = ..., channels: _Optional[int] = ..., bitrate_bps: _Optional[int] = ..., waveform: _Optional[_Iterable[float]] = ..., renditions: _Optional[_Iterable[_Union[Rendition, _Mapping]]] = ..., transcript: _Optional[_Union[Transcript, _Mapping]] = ...) -> None: ...

class Rendition(_message.Message):
    __slots__ = ("name", "mime_type", "codec", "bitrate_bps", "channels", "size_bytes", "sha256", "duration", "gain_db")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    BITRATE_BPS_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    GAIN_DB_FIELD_NUMBER: _ClassVar[int]
    name: str
    mime_type: str
    codec: str
    bitrate_bps: int
    channels: int
    size_bytes: int
    sha256: str
    duration: _duration_pb2.Duration
    gain_db: float
    def __init__(self, name: _Optional[str] = ..., mime_type: _Optional[str] = ..., codec: _Optional[str] = ..., bitrate_bps: _Optional[int] = ..., channels: _Optional[int] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., gain_db: _Optional[float] = ...) -> None: ...

class Transcript(_message.Message):
    __slots__ = ("text", "language", "source", "engine")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    text: str
    language: str
    source: TranscriptSource
    engine: str
    def __init__(self, text: _Optional[str] = ..., language: _Optional[str] = ..., source: _Optional[_Union[TranscriptSource, str]] = ..., engine: _Optional[str] = ...) -> None: ...
