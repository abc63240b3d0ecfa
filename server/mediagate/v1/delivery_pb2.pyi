import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from mediagate.v1 import preview_pb2 as _preview_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeliveryMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_METHOD_UNSPECIFIED: _ClassVar[DeliveryMethod]
    DELIVERY_METHOD_UPLOAD: _ClassVar[DeliveryMethod]
    DELIVERY_METHOD_OPEN_MESSAGING: _ClassVar[DeliveryMethod]

class DeliveryState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_STATE_UNSPECIFIED: _ClassVar[DeliveryState]
    DELIVERY_STATE_PENDING: _ClassVar[DeliveryState]
    DELIVERY_STATE_UPLOADING: _ClassVar[DeliveryState]
    DELIVERY_STATE_SUBMITTED: _ClassVar[DeliveryState]
    DELIVERY_STATE_FETCHING: _ClassVar[DeliveryState]
    DELIVERY_STATE_VALIDATED: _ClassVar[DeliveryState]
    DELIVERY_STATE_DELIVERED: _ClassVar[DeliveryState]
    DELIVERY_STATE_FAILED: _ClassVar[DeliveryState]
    DELIVERY_STATE_CANCELLED: _ClassVar[DeliveryState]

class DeliveryFailureReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_FAILURE_REASON_UNSPECIFIED: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_PLATFORM_REJECTED: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_MEDIA_INVALID: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_PERMISSION_DENIED: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_CONVERSATION_NOT_FOUND: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_ATTACHMENT_DELETED: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_RETRIES_EXHAUSTED: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_TIMED_OUT: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_AUTHENTICATION_FAILED: _ClassVar[DeliveryFailureReason]
    DELIVERY_FAILURE_REASON_INTERRUPTED: _ClassVar[DeliveryFailureReason]
DELIVERY_METHOD_UNSPECIFIED: DeliveryMethod
DELIVERY_METHOD_UPLOAD: DeliveryMethod
DELIVERY_METHOD_OPEN_MESSAGING: DeliveryMethod
DELIVERY_STATE_UNSPECIFIED: DeliveryState
DELIVERY_STATE_PENDING: DeliveryState
DELIVERY_STATE_UPLOADING: DeliveryState
DELIVERY_STATE_SUBMITTED: DeliveryState
DELIVERY_STATE_FETCHING: DeliveryState
DELIVERY_STATE_VALIDATED: DeliveryState
DELIVERY_STATE_DELIVERED: DeliveryState
DELIVERY_STATE_FAILED: DeliveryState
DELIVERY_STATE_CANCELLED: DeliveryState
DELIVERY_FAILURE_REASON_UNSPECIFIED: DeliveryFailureReason
DELIVERY_FAILURE_REASON_PLATFORM_REJECTED: DeliveryFailureReason
DELIVERY_FAILURE_REASON_MEDIA_INVALID: DeliveryFailureReason
DELIVERY_FAILURE_REASON_PERMISSION_DENIED: DeliveryFailureReason
DELIVERY_FAILURE_REASON_CONVERSATION_NOT_FOUND: DeliveryFailureReason
DELIVERY_FAILURE_REASON_ATTACHMENT_DELETED: DeliveryFailureReason
DELIVERY_FAILURE_REASON_RETRIES_EXHAUSTED: DeliveryFailureReason
DELIVERY_FAILURE_REASON_TIMED_OUT: DeliveryFailureReason
DELIVERY_FAILURE_REASON_AUTHENTICATION_FAILED: DeliveryFailureReason
DELIVERY_FAILURE_REASON_INTERRUPTED: DeliveryFailureReason

class DeliveryFailure(_message.Message):
    __slots__ = ("reason", "platform_reason", "http_status", "message", "missing_permission")
    REASON_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_REASON_FIELD_NUMBER: _ClassVar[int]
    HTTP_STATUS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MISSING_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    reason: DeliveryFailureReason
    platform_reason: str
    http_status: int
    message: str
    missing_permission: str
    def __init__(self, reason: _Optional[_Union[DeliveryFailureReason, str]] = ..., platform_reason: _Optional[str] = ..., http_status: _Optional[int] = ..., message: _Optional[str] = ..., missing_permission: _Optional[str] = ...) -> None: ...

class DeliveryTransition(_message.Message):
    __slots__ = ("state", "time")
    STATE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    state: DeliveryState
    time: _timestamp_pb2.Timestamp
    def __init__(self, state: _Optional[_Union[DeliveryState, str]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenMessagingSender(_message.Message):
    __slots__ = ("id", "id_type", "nickname")
    ID_FIELD_NUMBER: _ClassVar[int]
    ID_TYPE_FIELD_NUMBER: _ClassVar[int]
    NICKNAME_FIELD_NUMBER: _ClassVar[int]
    id: str
    id_type: str
    nickname: str
    def __init__(self, id: _Optional[str] = ..., id_type: _Optional[str] = ..., nickname: _Optional[str] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("name", "attachment", "conversation_id", "method", "text", "idempotency_key", "state", "failure", "history", "create_time", "update_time", "platform_media_id", "platform_message_ids", "fetch_count", "sender")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_MEDIA_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_MESSAGE_IDS_FIELD_NUMBER: _ClassVar[int]
    FETCH_COUNT_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    name: str
    attachment: str
    conversation_id: str
    method: DeliveryMethod
    text: str
    idempotency_key: str
    state: DeliveryState
    failure: DeliveryFailure
    history: _containers.RepeatedCompositeFieldContainer[DeliveryTransition]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    platform_media_id: str
    platform_message_ids: _containers.RepeatedScalarFieldContainer[str]
    fetch_count: int
    sender: OpenMessagingSender
    def __init__(self, name: _Optional[str] = ..., attachment: _Optional[str] = ..., conversation_id: _Optional[str] = ..., method: _Optional[_Union[DeliveryMethod, str]] = ..., text: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., state: _Optional[_Union[DeliveryState, str]] = ..., failure: _Optional[_Union[DeliveryFailure, _Mapping]] = ..., history: _Optional[_Iterable[_Union[DeliveryTransition, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., platform_media_id: _Optional[str] = ..., platform_message_ids: _Optional[_Iterable[str]] = ..., fetch_count: _Optional[int] = ..., sender: _Optional[_Union[OpenMessagingSender, _Mapping]] = ...) -> None: ...

class SignedUrl(_message.Message):
    __slots__ = ("url", "expire_time", "mime_type", "size_bytes", "sha256")
    URL_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    url: str
    expire_time: _timestamp_pb2.Timestamp
    mime_type: str
    size_bytes: int
    sha256: str
    def __init__(self, url: _Optional[str] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class CreateSignedUrlRequest(_message.Message):
    __slots__ = ("name", "preview", "voice_rendition", "ttl")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_FIELD_NUMBER: _ClassVar[int]
    VOICE_RENDITION_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    name: str
    preview: _preview_pb2.PreviewSpec
    voice_rendition: bool
    ttl: _duration_pb2.Duration
    def __init__(self, name: _Optional[str] = ..., preview: _Optional[_Union[_preview_pb2.PreviewSpec, _Mapping]] = ..., voice_rendition: _Optional[bool] = ..., ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class DeliverAttachmentRequest(_message.Message):
    __slots__ = ("name", "conversation_id", "method", "text", "idempotency_key", "sender")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    name: str
    conversation_id: str
    method: DeliveryMethod
    text: str
    idempotency_key: str
    sender: OpenMessagingSender
    def __init__(self, name: _Optional[str] = ..., conversation_id: _Optional[str] = ..., method: _Optional[_Union[DeliveryMethod, str]] = ..., text: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., sender: _Optional[_Union[OpenMessagingSender, _Mapping]] = ...) -> None: ...

class GetDeliveryRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("attachment", "conversation_id", "page_size", "page_token")
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    attachment: str
    conversation_id: str
    page_size: int
    page_token: str
    def __init__(self, attachment: _Optional[str] = ..., conversation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries", "next_page_token")
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    next_page_token: str
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CancelDeliveryRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class WatchDeliveryRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...
