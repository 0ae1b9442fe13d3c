-- +goose Up
-- Keyed audit chain (version 2) with redactable personal fields, and the
-- signed Merkle logs (the audit log now; pledge logs later). Entries written
-- before this migration keep version 1 and verify by the plain SHA-256 rule.
ALTER TABLE audit_log ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- JSON: each redacted personal field's keyed digest; '' when none.
ALTER TABLE audit_log ADD COLUMN redacted TEXT NOT NULL DEFAULT '';
-- The last entry written by the old rule; the program authenticates it with
-- the master key (v1_mac) in the run that applies this migration, so that
-- later entries cannot be passed off as version 1 ones.
ALTER TABLE audit_head ADD COLUMN v1_last BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN v1_mac TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET v1_last = seq;

-- The log stays append-only; the one update allowed is a redaction, which
-- blanks personal fields and records their digests, touching nothing else.
DROP TRIGGER audit_log_no_update;
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor_id = OLD.actor_id AND NEW.token_id = OLD.token_id
    AND NEW.tenant_id = OLD.tenant_id AND NEW.action = OLD.action AND NEW.object_type = OLD.object_type
    AND NEW.object_id = OLD.object_id AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
    AND NEW.version = OLD.version AND OLD.redacted = '' AND NEW.redacted <> ''
    AND (NEW.actor_label = OLD.actor_label OR NEW.actor_label = '')
    AND (NEW.ip = OLD.ip OR NEW.ip = '')
    AND (NEW.summary = OLD.summary OR NEW.summary = ''))
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- A signed log: its name ("audit", "pledge/62.71"), the origin its
-- checkpoints carry, and its size.
CREATE TABLE signlogs (
    id      INTEGER PRIMARY KEY,
    name    TEXT    NOT NULL UNIQUE,
    origin  TEXT    NOT NULL,
    size    BIGINT  NOT NULL DEFAULT 0
);
-- The tree's stored hashes in tlog's order (leaves and completed subtrees).
CREATE TABLE signlog_hashes (
    log_id  BIGINT  NOT NULL,
    idx     BIGINT  NOT NULL,
    hash    BLOB    NOT NULL,
    PRIMARY KEY (log_id, idx)
) WITHOUT ROWID;
-- Ed25519 signing keys, the private half sealed with the master key; a
-- rotated key is retired, never deleted, so its signatures stay checkable.
CREATE TABLE signlog_keys (
    id          INTEGER PRIMARY KEY,
    log_id      BIGINT  NOT NULL REFERENCES signlogs (id),
    key_id      TEXT    NOT NULL UNIQUE,
    vkey        TEXT    NOT NULL,
    skey        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    retired_at  BIGINT  NOT NULL DEFAULT 0
);
-- Checkpoints made (a copy: the ones that count are published outside).
CREATE TABLE signlog_checkpoints (
    log_id  BIGINT  NOT NULL REFERENCES signlogs (id),
    size    BIGINT  NOT NULL,
    at      BIGINT  NOT NULL,
    key_id  TEXT    NOT NULL,
    note    TEXT    NOT NULL,
    PRIMARY KEY (log_id, size)
);
INSERT INTO signlogs (name, origin, size) VALUES ('audit', 'netra/audit', 0);

-- +goose Down
DROP TABLE signlog_checkpoints;
DROP TABLE signlog_keys;
DROP TABLE signlog_hashes;
DROP TABLE signlogs;
DROP TRIGGER audit_log_no_update;
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
ALTER TABLE audit_head DROP COLUMN v1_mac;
ALTER TABLE audit_head DROP COLUMN v1_last;
ALTER TABLE audit_log DROP COLUMN redacted;
ALTER TABLE audit_log DROP COLUMN version;
