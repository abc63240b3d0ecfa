from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class RejectionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REJECTION_REASON_UNSPECIFIED: _ClassVar[RejectionReason]
    REJECTION_REASON_EMPTY: _ClassVar[RejectionReason]
    REJECTION_REASON_TOO_LARGE: _ClassVar[RejectionReason]
    REJECTION_REASON_UNSUPPORTED_TYPE: _ClassVar[RejectionReason]
    REJECTION_REASON_TYPE_MISMATCH: _ClassVar[RejectionReason]
    REJECTION_REASON_EXTENSION_MISMATCH: _ClassVar[RejectionReason]
    REJECTION_REASON_SIZE_MISMATCH: _ClassVar[RejectionReason]
    REJECTION_REASON_CHECKSUM_MISMATCH: _ClassVar[RejectionReason]
    REJECTION_REASON_CORRUPT: _ClassVar[RejectionReason]
    REJECTION_REASON_TRUNCATED: _ClassVar[RejectionReason]
    REJECTION_REASON_TOO_MANY_PIXELS: _ClassVar[RejectionReason]
    REJECTION_REASON_TOO_MANY_FRAMES: _ClassVar[RejectionReason]
    REJECTION_REASON_TOO_MANY_PAGES: _ClassVar[RejectionReason]
    REJECTION_REASON_ENCRYPTED: _ClassVar[RejectionReason]
    REJECTION_REASON_ACTIVE_CONTENT: _ClassVar[RejectionReason]
    REJECTION_REASON_POLYGLOT: _ClassVar[RejectionReason]
    REJECTION_REASON_EXECUTABLE: _ClassVar[RejectionReason]
    REJECTION_REASON_TOO_LONG: _ClassVar[RejectionReason]
    REJECTION_REASON_TOO_SHORT: _ClassVar[RejectionReason]
    REJECTION_REASON_DECOMPRESSION_BOMB: _ClassVar[RejectionReason]

class ErrorReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ERROR_REASON_UNSPECIFIED: _ClassVar[ErrorReason]
    ERROR_REASON_MISSING_HEADER: _ClassVar[ErrorReason]
    ERROR_REASON_DUPLICATE_HEADER: _ClassVar[ErrorReason]
    ERROR_REASON_CHUNK_TOO_LARGE: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_HEADER: _ClassVar[ErrorReason]
    ERROR_REASON_UNKNOWN_PROFILE: _ClassVar[ErrorReason]
    ERROR_REASON_ATTACHMENT_NOT_FOUND: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_NAME: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_PAGE_TOKEN: _ClassVar[ErrorReason]
    ERROR_REASON_INVALID_READ_RANGE: _ClassVar[ErrorReason]
    ERROR_REASON_OVERLOADED: _ClassVar[ErrorReason]
    ERROR_REASON_EMPTY_STREAM: _ClassVar[ErrorReason]
REJECTION_REASON_UNSPECIFIED: RejectionReason
REJECTION_REASON_EMPTY: RejectionReason
REJECTION_REASON_TOO_LARGE: RejectionReason
REJECTION_REASON_UNSUPPORTED_TYPE: RejectionReason
REJECTION_REASON_TYPE_MISMATCH: RejectionReason
REJECTION_REASON_EXTENSION_MISMATCH: RejectionReason
REJECTION_REASON_SIZE_MISMATCH: RejectionReason
REJECTION_REASON_CHECKSUM_MISMATCH: RejectionReason
REJECTION_REASON_CORRUPT: RejectionReason
REJECTION_REASON_TRUNCATED: RejectionReason
REJECTION_REASON_TOO_MANY_PIXELS: RejectionReason
REJECTION_REASON_TOO_MANY_FRAMES: RejectionReason
REJECTION_REASON_TOO_MANY_PAGES: RejectionReason
REJECTION_REASON_ENCRYPTED: RejectionReason
REJECTION_REASON_ACTIVE_CONTENT: RejectionReason
REJECTION_REASON_POLYGLOT: RejectionReason
REJECTION_REASON_EXECUTABLE: RejectionReason
REJECTION_REASON_TOO_LONG: RejectionReason
REJECTION_REASON_TOO_SHORT: RejectionReason
REJECTION_REASON_DECOMPRESSION_BOMB: RejectionReason
ERROR_REASON_UNSPECIFIED: ErrorReason
ERROR_REASON_MISSING_HEADER: ErrorReason
ERROR_REASON_DUPLICATE_HEADER: ErrorReason
ERROR_REASON_CHUNK_TOO_LARGE: ErrorReason
ERROR_REASON_INVALID_HEADER: ErrorReason
ERROR_REASON_UNKNOWN_PROFILE: ErrorReason
ERROR_REASON_ATTACHMENT_NOT_FOUND: ErrorReason
ERROR_REASON_INVALID_NAME: ErrorReason
ERROR_REASON_INVALID_PAGE_TOKEN: ErrorReason
ERROR_REASON_INVALID_READ_RANGE: ErrorReason
ERROR_REASON_OVERLOADED: ErrorReason
ERROR_REASON_EMPTY_STREAM: ErrorReason
