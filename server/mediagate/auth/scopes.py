"""What a caller may do. Each RPC needs exactly one scope (api/authn.py maps them)."""

from __future__ import annotations

import enum


class Scope(enum.StrEnum):
    # Upload, Validate, UploadVoiceMessage.
    ATTACHMENTS_WRITE = "attachments.write"
    # Get, List, Download, previews, voice messages, signed URLs, profiles; deliveries and
    # imports are read with it too (they describe the tenant's attachments).
    ATTACHMENTS_READ = "attachments.read"
    ATTACHMENTS_DELETE = "attachments.delete"
    # DeliverAttachment, CancelDelivery: what reaches a Genesys Cloud conversation.
    DELIVERIES_WRITE = "deliveries.write"
    # ImportFromUrl: makes the server fetch a URL.
    IMPORTS_WRITE = "imports.write"
    # The operators' AdminService: sweeps, orphan cleanup, storage reports, profile dry runs.
    ADMIN = "admin"


ALL_SCOPES = frozenset(Scope)
