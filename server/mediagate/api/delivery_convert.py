"""Deliveries as protobuf messages."""

from __future__ import annotations

from google.protobuf import timestamp_pb2

from mediagate.store.deliveries import DeliveryRecord
from mediagate.store.records import attachment_name
from mediagate.v1 import delivery_pb2 as dpb


def timestamp(seconds: float) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromNanoseconds(int(seconds * 1e9))
    return stamp


def delivery_message(record: DeliveryRecord) -> dpb.Delivery:
    progress = record.progress
    message_ids = [
        str(progress[key])
        for key in ("media_message_id", "text_message_id", "message_id")
        if progress.get(key)
    ]
    message = dpb.Delivery(
        name=record.name,
        attachment=attachment_name(record.attachment_id),
        conversation_id=record.conversation_id,
        method=f"DELIVERY_METHOD_{record.method.value}",
        text=record.text,
        idempotency_key=record.idempotency_key,
        state=f"DELIVERY_STATE_{record.state.value}",
        history=[
            dpb.DeliveryTransition(
                state=f"DELIVERY_STATE_{state.value}",
                time=timestamp(at),
            )
            for state, at in record.history
        ],
        create_time=timestamp(record.create_time),
        update_time=timestamp(record.update_time),
        platform_media_id=str(progress.get("media_id", "")),
        platform_message_ids=message_ids,
        fetch_count=record.fetch_count,
    )
    if record.failure is not None:
        failure = record.failure
        message.failure.CopyFrom(
            dpb.DeliveryFailure(
                reason=f"DELIVERY_FAILURE_REASON_{failure.reason.value}",
                platform_reason=failure.platform_reason,
                http_status=failure.http_status,
                message=failure.message,
                missing_permission=failure.missing_permission,
            )
        )
    if record.sender is not None:
        message.sender.CopyFrom(
            dpb.OpenMessagingSender(
                id=record.sender.id, id_type=record.sender.id_type, nickname=record.sender.nickname
            )
        )
    return message
