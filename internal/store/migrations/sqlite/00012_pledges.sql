-- Neutrality pledges (ikrar netralitas): versioned texts per government,
-- campaigns, signed records (online, paper, ceremony) and their
-- revocations. Each record's hash is a leaf of its government's signed log
-- ("pledge/<tenant code>" in signlogs); docs/pledges.md.

-- +goose Up
-- A log has at most one current (unretired) key, so that two nodes making
-- a log's first key at once cannot both succeed. Any duplicate left by such
-- a race before this migration is retired, newest kept.
UPDATE signlog_keys SET retired_at = created_at WHERE retired_at = 0
    AND id < (SELECT MAX(k.id) FROM signlog_keys k WHERE k.log_id = signlog_keys.log_id AND k.retired_at = 0);
CREATE UNIQUE INDEX signlog_keys_current ON signlog_keys (log_id) WHERE retired_at = 0;

-- A government's pledge text over its versions; shipped names the text
-- Netra ships it was made from ('' for the government's own).
CREATE TABLE pledge_templates (
    id          INTEGER PRIMARY KEY,
    tenant_id   BIGINT  NOT NULL REFERENCES tenants (id),
    shipped     TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    created_by  BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX pledge_templates_tenant ON pledge_templates (tenant_id, id);
CREATE UNIQUE INDEX pledge_templates_shipped ON pledge_templates (tenant_id, shipped) WHERE shipped <> '';

-- A published version never changes (trigger below); a new text is a new version.
CREATE TABLE pledge_template_versions (
    template_id   BIGINT  NOT NULL REFERENCES pledge_templates (id),
    version       INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    published_at  BIGINT  NOT NULL,
    published_by  BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (template_id, version)
);

-- election_id names the election of the calendar and duty_id the duty
-- behind the campaign; both are plain ids here (the calendar and the
-- duties are migrations of their own).
CREATE TABLE pledge_campaigns (
    id                INTEGER PRIMARY KEY,
    tenant_id         BIGINT  NOT NULL REFERENCES tenants (id),
    template_id       BIGINT  NOT NULL,
    template_version  INTEGER NOT NULL,
    election_id       BIGINT,
    title             TEXT    NOT NULL,
    opens_at          BIGINT  NOT NULL,
    closes_at         BIGINT  NOT NULL,
    status            TEXT    NOT NULL,
    duty_id           BIGINT,
    reminder_days     TEXT    NOT NULL DEFAULT '',
    created_at        BIGINT  NOT NULL,
    created_by        BIGINT  NOT NULL DEFAULT 0,
    launched_at       BIGINT  NOT NULL DEFAULT 0,
    FOREIGN KEY (template_id, template_version) REFERENCES pledge_template_versions (template_id, version)
);
CREATE INDEX pledge_campaigns_tenant ON pledge_campaigns (tenant_id, opens_at);

CREATE TABLE pledge_ceremonies (
    id           INTEGER PRIMARY KEY,
    tenant_id    BIGINT  NOT NULL REFERENCES tenants (id),
    campaign_id  BIGINT  NOT NULL REFERENCES pledge_campaigns (id),
    held_on      TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    scan_key     TEXT    NOT NULL,
    scan_sha256  TEXT    NOT NULL,
    scan_size    BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    created_by   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX pledge_ceremonies_campaign ON pledge_ceremonies (campaign_id);

-- One signed record per row: record holds its canonical bytes, signature
-- the Ed25519 signature (base64), record_hash its leaf hash (base64) at
-- leaf_index of the government's log, code its verification code. unit_id
-- is the unit at signing time. Only revoked_at ever changes, once.
CREATE TABLE pledge_signatures (
    id           INTEGER PRIMARY KEY,
    tenant_id    BIGINT  NOT NULL REFERENCES tenants (id),
    campaign_id  BIGINT  NOT NULL REFERENCES pledge_campaigns (id),
    employee_id  BIGINT  NOT NULL REFERENCES employees (id),
    unit_id      BIGINT  NOT NULL,
    method       TEXT    NOT NULL,
    code         TEXT    NOT NULL UNIQUE,
    record       TEXT    NOT NULL,
    record_hash  TEXT    NOT NULL,
    signature    TEXT    NOT NULL,
    key_id       TEXT    NOT NULL,
    leaf_index   BIGINT  NOT NULL,
    signed_at    BIGINT  NOT NULL,
    scan_key     TEXT    NOT NULL DEFAULT '',
    scan_sha256  TEXT    NOT NULL DEFAULT '',
    scan_size    BIGINT  NOT NULL DEFAULT 0,
    ceremony_id  BIGINT  REFERENCES pledge_ceremonies (id),
    created_by   BIGINT  NOT NULL DEFAULT 0,
    revoked_at   BIGINT  NOT NULL DEFAULT 0
);
-- One live signature per employee per campaign; a revoked one makes room.
CREATE UNIQUE INDEX pledge_signatures_once ON pledge_signatures (campaign_id, employee_id) WHERE revoked_at = 0;
CREATE INDEX pledge_signatures_employee ON pledge_signatures (employee_id, campaign_id);

CREATE TABLE pledge_revocations (
    id            INTEGER PRIMARY KEY,
    signature_id  BIGINT  NOT NULL UNIQUE REFERENCES pledge_signatures (id),
    tenant_id     BIGINT  NOT NULL REFERENCES tenants (id),
    reason        TEXT    NOT NULL,
    record        TEXT    NOT NULL,
    record_hash   TEXT    NOT NULL,
    signature     TEXT    NOT NULL,
    key_id        TEXT    NOT NULL,
    leaf_index    BIGINT  NOT NULL,
    revoked_at    BIGINT  NOT NULL,
    revoked_by    BIGINT  NOT NULL DEFAULT 0
);

-- +goose StatementBegin
CREATE TRIGGER pledge_template_versions_no_update BEFORE UPDATE ON pledge_template_versions
BEGIN
    SELECT RAISE(ABORT, 'a published pledge text never changes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_template_versions_no_delete BEFORE DELETE ON pledge_template_versions
BEGIN
    SELECT RAISE(ABORT, 'a published pledge text never changes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_signatures_no_update BEFORE UPDATE ON pledge_signatures
WHEN NOT (OLD.revoked_at = 0 AND NEW.revoked_at <> 0 AND NEW.id = OLD.id AND NEW.tenant_id = OLD.tenant_id
    AND NEW.campaign_id = OLD.campaign_id AND NEW.employee_id = OLD.employee_id AND NEW.unit_id = OLD.unit_id
    AND NEW.method = OLD.method AND NEW.code = OLD.code AND NEW.record = OLD.record
    AND NEW.record_hash = OLD.record_hash AND NEW.signature = OLD.signature AND NEW.key_id = OLD.key_id
    AND NEW.leaf_index = OLD.leaf_index AND NEW.signed_at = OLD.signed_at AND NEW.scan_key = OLD.scan_key
    AND NEW.scan_sha256 = OLD.scan_sha256 AND NEW.scan_size = OLD.scan_size
    AND NEW.ceremony_id IS OLD.ceremony_id AND NEW.created_by = OLD.created_by)
BEGIN
    SELECT RAISE(ABORT, 'a pledge signature never changes; it can only be revoked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_signatures_no_delete BEFORE DELETE ON pledge_signatures
BEGIN
    SELECT RAISE(ABORT, 'a pledge signature is never deleted; it can only be revoked');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_revocations_no_update BEFORE UPDATE ON pledge_revocations
BEGIN
    SELECT RAISE(ABORT, 'a pledge revocation never changes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pledge_revocations_no_delete BEFORE DELETE ON pledge_revocations
BEGIN
    SELECT RAISE(ABORT, 'a pledge revocation never changes');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE pledge_revocations;
DROP TABLE pledge_signatures;
DROP TABLE pledge_ceremonies;
DROP TABLE pledge_campaigns;
DROP TABLE pledge_template_versions;
DROP TABLE pledge_templates;
DROP INDEX signlog_keys_current;
