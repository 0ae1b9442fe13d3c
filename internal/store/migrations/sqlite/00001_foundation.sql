-- Netra foundation schema (SQLite). Times are unix milliseconds (BIGINT);
-- dates are 'YYYY-MM-DD' text. Keep the tables, columns and numbering in
-- step with ../postgres/00001_foundation.sql.

-- +goose Up
CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    level       TEXT    NOT NULL,
    parent_id   BIGINT  REFERENCES tenants (id),
    path        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE org_units (
    id             INTEGER PRIMARY KEY,
    tenant_id      BIGINT  NOT NULL REFERENCES tenants (id),
    parent_id      BIGINT  REFERENCES org_units (id),
    path           TEXT    NOT NULL DEFAULT '',
    type           TEXT    NOT NULL,
    code           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    region_code    TEXT    NOT NULL DEFAULT '',
    head_position  TEXT    NOT NULL DEFAULT '',
    closed_at      BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    UNIQUE (tenant_id, code)
);
CREATE INDEX org_units_parent ON org_units (parent_id);
CREATE INDEX org_units_path ON org_units (tenant_id, path);

CREATE TABLE employees (
    id             INTEGER PRIMARY KEY,
    tenant_id      BIGINT  NOT NULL REFERENCES tenants (id),
    nip            TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    search_name    TEXT    NOT NULL,
    front_title    TEXT    NOT NULL DEFAULT '',
    back_title     TEXT    NOT NULL DEFAULT '',
    type           TEXT    NOT NULL,
    golongan       TEXT    NOT NULL DEFAULT '',
    position_name  TEXT    NOT NULL DEFAULT '',
    position_type  TEXT    NOT NULL,
    unit_id        BIGINT  NOT NULL REFERENCES org_units (id),
    email          TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL,
    birth_date     TEXT    NOT NULL DEFAULT '',
    sex            TEXT    NOT NULL DEFAULT '',
    import_id      BIGINT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX employees_unit ON employees (unit_id, search_name);
CREATE INDEX employees_tenant_name ON employees (tenant_id, search_name, id);
CREATE INDEX employees_name ON employees (search_name, id);

CREATE TABLE employee_history (
    id           INTEGER PRIMARY KEY,
    employee_id  BIGINT  NOT NULL REFERENCES employees (id),
    at           BIGINT  NOT NULL,
    actor        TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    changes      TEXT    NOT NULL
);
CREATE INDEX employee_history_employee ON employee_history (employee_id, at);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL DEFAULT '',
    employee_id     BIGINT  UNIQUE REFERENCES employees (id),
    password_hash   TEXT    NOT NULL DEFAULT '',
    totp_secret     TEXT    NOT NULL DEFAULT '',
    totp_enabled    INTEGER NOT NULL DEFAULT 0,
    totp_last_step  BIGINT  NOT NULL DEFAULT 0,
    disabled_at     BIGINT,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);

CREATE TABLE role_grants (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id),
    role       TEXT    NOT NULL,
    tenant_id  BIGINT  REFERENCES tenants (id),
    unit_id    BIGINT  REFERENCES org_units (id),
    created_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, COALESCE(tenant_id, 0), COALESCE(unit_id, 0));

CREATE TABLE recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    code_hash  TEXT   NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    token_hash    TEXT    PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    stage         TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    ip            TEXT    NOT NULL DEFAULT '',
    user_agent    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_codes (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT  NOT NULL REFERENCES users (id),
    code_hash        TEXT    NOT NULL,
    link_token_hash  TEXT    NOT NULL UNIQUE,
    created_at       BIGINT  NOT NULL,
    expires_at       BIGINT  NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    used_at          BIGINT
);
CREATE INDEX login_codes_user ON login_codes (user_id, created_at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    role          TEXT    NOT NULL,
    tenant_id     BIGINT  REFERENCES tenants (id),
    unit_id       BIGINT  REFERENCES org_units (id),
    created_by    BIGINT  REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL DEFAULT 0,
    last_used_at  BIGINT  NOT NULL DEFAULT 0,
    revoked_at    BIGINT
);

CREATE TABLE audit_log (
    seq          BIGINT  PRIMARY KEY,
    at           BIGINT  NOT NULL,
    actor_id     BIGINT  NOT NULL DEFAULT 0,
    token_id     BIGINT  NOT NULL DEFAULT 0,
    actor_label  TEXT    NOT NULL,
    ip           TEXT    NOT NULL DEFAULT '',
    tenant_id    BIGINT  NOT NULL DEFAULT 0,
    action       TEXT    NOT NULL,
    object_type  TEXT    NOT NULL DEFAULT '',
    object_id    TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL DEFAULT '',
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT  NOT NULL,
    hash  TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    unique_key    TEXT,
    payload       TEXT    NOT NULL,
    run_at        BIGINT  NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 8,
    locked_by     TEXT,
    locked_until  BIGINT,
    last_error    TEXT    NOT NULL DEFAULT '',
    done_at       BIGINT,
    failed_at     BIGINT,
    created_at    BIGINT  NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, failed_at, run_at);
CREATE UNIQUE INDEX jobs_unique ON jobs (unique_key);

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    tenant_id     BIGINT  NOT NULL REFERENCES tenants (id),
    filename      TEXT    NOT NULL,
    blob_key      TEXT    NOT NULL DEFAULT '',
    size_bytes    BIGINT  NOT NULL DEFAULT 0,
    sha256        TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    read_bytes    BIGINT  NOT NULL DEFAULT 0,
    rows_read     BIGINT  NOT NULL DEFAULT 0,
    inserted      BIGINT  NOT NULL DEFAULT 0,
    updated       BIGINT  NOT NULL DEFAULT 0,
    unchanged     BIGINT  NOT NULL DEFAULT 0,
    rejected      BIGINT  NOT NULL DEFAULT 0,
    error_id      TEXT    NOT NULL DEFAULT '',
    error_en      TEXT    NOT NULL DEFAULT '',
    created_by    BIGINT  NOT NULL DEFAULT 0,
    created_at    BIGINT  NOT NULL,
    started_at    BIGINT  NOT NULL DEFAULT 0,
    finished_at   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX imports_tenant ON imports (tenant_id, id);

CREATE TABLE import_errors (
    import_id  BIGINT  NOT NULL REFERENCES imports (id),
    line       BIGINT  NOT NULL,
    col        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    reason_id  TEXT    NOT NULL,
    reason_en  TEXT    NOT NULL
);
CREATE INDEX import_errors_import ON import_errors (import_id, line);

-- +goose Down
DROP TABLE import_errors;
DROP TABLE imports;
DROP TABLE jobs;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE login_codes;
DROP TABLE sessions;
DROP TABLE recovery_codes;
DROP TABLE role_grants;
DROP TABLE users;
DROP TABLE employee_history;
DROP TABLE employees;
DROP TABLE org_units;
DROP TABLE tenants;
