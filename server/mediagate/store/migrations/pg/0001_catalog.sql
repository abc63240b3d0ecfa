-- The catalog on PostgreSQL: the same rows, indexes and usage totals as the SQLite catalog
-- (store/catalog.py, schema version 2), for replicas sharing one database.
-- Ids are 32 lowercase hex characters that sort by creation time; COLLATE "C" makes "newest
-- first" byte order whatever the database's locale.
CREATE TABLE attachments (
    id TEXT COLLATE "C" PRIMARY KEY,
    tenant TEXT NOT NULL,
    file_name TEXT NOT NULL,
    declared_mime_type TEXT NOT NULL,
    detected_mime_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    profile TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    create_time DOUBLE PRECISION NOT NULL,
    expire_time DOUBLE PRECISION NOT NULL,
    labels JSONB NOT NULL,
    media JSONB NOT NULL,
    idempotency_key TEXT,
    -- A record's fields beyond the columns (store/records.py details_json).
    details JSONB NOT NULL DEFAULT '{}',
    -- Until when (unix seconds, the database's clock) a retention sweep on some replica has
    -- claimed this expired row; another replica's sweep skips it until then.
    sweep_claimed_until DOUBLE PRECISION
);
CREATE INDEX by_tenant_conversation ON attachments (tenant, conversation_id, id);
CREATE INDEX by_tenant ON attachments (tenant, id);
CREATE INDEX by_sha256 ON attachments (sha256);
CREATE INDEX by_expiry ON attachments (expire_time);
CREATE UNIQUE INDEX by_idempotency
    ON attachments (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE voice_messages (
    attachment_id TEXT COLLATE "C" PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    tenant TEXT NOT NULL,
    details JSONB NOT NULL
);

-- Usage, kept by triggers in the transaction of every insert and delete, as in SQLite. A
-- tenant's usage is logical (every row's size); the server's is physical (a digest's size
-- counts while any row references it).
CREATE TABLE tenant_usage (
    tenant TEXT PRIMARY KEY,
    bytes BIGINT NOT NULL,
    attachments BIGINT NOT NULL
);
CREATE TABLE storage_usage (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    bytes BIGINT NOT NULL
);
INSERT INTO storage_usage (id, bytes) VALUES (0, 0);

-- Why the triggers lock storage_usage first: under READ COMMITTED two transactions inserting
-- the same new digest would each see no other row with it and count its bytes twice. Every
-- writer takes this one row lock before it looks (the catalog's write transactions take it
-- at their start, so the usage check and the insert see the same totals); then each statement
-- after the lock sees every earlier writer's commit. It serialises catalog writes, as SQLite's
-- single writer does.
CREATE FUNCTION usage_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM storage_usage WHERE id = 0 FOR UPDATE;
    INSERT INTO tenant_usage (tenant, bytes, attachments)
        VALUES (NEW.tenant, NEW.size_bytes, 1)
        ON CONFLICT (tenant) DO UPDATE
        SET bytes = tenant_usage.bytes + EXCLUDED.bytes,
            attachments = tenant_usage.attachments + 1;
    UPDATE storage_usage SET bytes = bytes + NEW.size_bytes
        WHERE id = 0 AND NOT EXISTS (
            SELECT 1 FROM attachments WHERE sha256 = NEW.sha256 AND id <> NEW.id
        );
    RETURN NULL;
END $$;

CREATE FUNCTION usage_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM storage_usage WHERE id = 0 FOR UPDATE;
    UPDATE tenant_usage
        SET bytes = bytes - OLD.size_bytes, attachments = attachments - 1
        WHERE tenant = OLD.tenant;
    UPDATE storage_usage SET bytes = bytes - OLD.size_bytes
        WHERE id = 0 AND NOT EXISTS (SELECT 1 FROM attachments WHERE sha256 = OLD.sha256);
    RETURN NULL;
END $$;

CREATE TRIGGER usage_after_insert AFTER INSERT ON attachments
    FOR EACH ROW EXECUTE FUNCTION usage_after_insert();
CREATE TRIGGER usage_after_delete AFTER DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION usage_after_delete();
