"""Imports as protobuf messages."""

from __future__ import annotations

from mediagate.api.delivery_convert import timestamp
from mediagate.store.inbox import ImportRecord
from mediagate.store.records import attachment_name
from mediagate.v1 import imports_pb2 as ipb


def import_message(record: ImportRecord) -> ipb.Import:
    return ipb.Import(
        name=record.name,
        source=f"IMPORT_SOURCE_{record.source.value}",
        state=f"IMPORT_STATE_{record.state.value}",
        url=record.url,
        conversation_id=record.conversation_id,
        participant_id=record.participant_id,
        message_id=record.message_id,
        platform_media_id=record.platform_media_id,
        file_name=record.file_name,
        declared_mime_type=record.declared_mime_type,
        attachment=attachment_name(record.attachment_id) if record.attachment_id else "",
        reason=record.reason,
        message=record.message,
        attempts=record.attempts,
        attributes_written=record.attributes_written,
        create_time=timestamp(record.create_time),
        update_time=timestamp(record.update_time),
    )
