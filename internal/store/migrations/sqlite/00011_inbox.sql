-- The employee's in-app inbox (SQLite); keep in step with
-- ../postgres/00011_inbox.sql. dedup, when set, is unique per employee
-- ("duty:12:open", "duty:12:remind:2024-11-20"), so that a notice sent
-- twice (a job run again, two workers) is stored once.

-- +goose Up
CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    tenant_id    BIGINT  NOT NULL,
    employee_id  BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    link         TEXT    NOT NULL DEFAULT '',
    dedup        TEXT,
    created_at   BIGINT  NOT NULL,
    read_at      BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX notices_employee ON notices (employee_id, id);
CREATE UNIQUE INDEX notices_dedup ON notices (dedup, employee_id);

-- +goose Down
DROP TABLE notices;
