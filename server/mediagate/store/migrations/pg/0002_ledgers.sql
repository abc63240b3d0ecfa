-- The delivery ledger and the inbox on PostgreSQL: the same rows and indexes as their SQLite
-- files (store/deliveries.py, store/inbox.py), plus a lease on every row a replica is working.
-- lease_owner is the replica's id (a uuid drawn at its start); lease_until is unix seconds on
-- the database's clock (every replica compares against the same clock, whatever its own says).
-- A replica renews its leases while it works; a row whose lease has expired (its replica died)
-- is claimed by another one (store/pg_ledgers.py).
CREATE TABLE deliveries (
    id TEXT COLLATE "C" PRIMARY KEY,
    tenant TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    method TEXT NOT NULL,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    state TEXT NOT NULL,
    create_time DOUBLE PRECISION NOT NULL,
    update_time DOUBLE PRECISION NOT NULL,
    history TEXT NOT NULL,
    sender TEXT,
    failure TEXT,
    progress TEXT NOT NULL,
    fetch_count INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until DOUBLE PRECISION
);
CREATE UNIQUE INDEX delivery_by_key ON deliveries (tenant, idempotency_key);
CREATE INDEX delivery_by_attachment ON deliveries (tenant, attachment_id, id);
CREATE INDEX delivery_by_conversation ON deliveries (tenant, conversation_id, id);
-- What a claim looks through: the unfinished ones (a handful), never the delivered millions.
CREATE INDEX delivery_unfinished ON deliveries (id)
    WHERE state NOT IN ('DELIVERED', 'FAILED', 'CANCELLED');
CREATE INDEX delivery_by_state ON deliveries (state);

CREATE TABLE imports (
    id TEXT COLLATE "C" PRIMARY KEY,
    tenant TEXT NOT NULL,
    source TEXT NOT NULL,
    state TEXT NOT NULL,
    url TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    platform_media_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    declared_mime_type TEXT NOT NULL,
    declared_size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    attributes_written INTEGER NOT NULL,
    create_time DOUBLE PRECISION NOT NULL,
    update_time DOUBLE PRECISION NOT NULL,
    due_time DOUBLE PRECISION NOT NULL,
    fetch_url TEXT NOT NULL,
    lease_owner TEXT,
    lease_until DOUBLE PRECISION
);
-- One item per announced media id (duplicates, redeliveries, reconnects, restarts, and now
-- every replica that hears the same announcement).
CREATE UNIQUE INDEX import_by_media ON imports (tenant, platform_media_id)
    WHERE platform_media_id <> '';
CREATE INDEX import_by_conversation ON imports (tenant, conversation_id, id);
CREATE INDEX import_queue ON imports (state, due_time, id);
