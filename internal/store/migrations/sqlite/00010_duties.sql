-- Duties (SQLite): what every employee of a target must do — pledges to
-- sign, circulars to acknowledge, socialisation sessions to attend — with
-- one status per targeted employee and coverage kept per unit. Keep in step
-- with ../postgres/00010_duties.sql; docs/duties.md explains the model.

-- +goose Up
-- employment_types and position_types: comma-separated, '' for all;
-- reminders: days before due_at, largest first ("7,3,1").
CREATE TABLE duties (
    id                INTEGER PRIMARY KEY,
    tenant_id         BIGINT  NOT NULL REFERENCES tenants (id),
    kind              TEXT    NOT NULL,
    ref_id            BIGINT  NOT NULL DEFAULT 0,
    title             TEXT    NOT NULL,
    link              TEXT    NOT NULL DEFAULT '',
    opens_at          BIGINT  NOT NULL DEFAULT 0,
    due_at            BIGINT  NOT NULL,
    status            TEXT    NOT NULL,
    employment_types  TEXT    NOT NULL DEFAULT '',
    position_types    TEXT    NOT NULL DEFAULT '',
    reminders         TEXT    NOT NULL DEFAULT '',
    launched_at       BIGINT  NOT NULL DEFAULT 0,
    closed_at         BIGINT  NOT NULL DEFAULT 0,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX duties_ref ON duties (kind, ref_id);
CREATE INDEX duties_tenant ON duties (tenant_id, id);
-- Every change of an employee asks whether any duty is open: one probe.
CREATE INDEX duties_status ON duties (status, id);

-- The target's units (unit_id > 0; subtree: the units below too) and whole
-- governments (unit_id = 0; subtree: the governments below too).
CREATE TABLE duty_targets (
    duty_id    BIGINT  NOT NULL REFERENCES duties (id),
    tenant_id  BIGINT  NOT NULL REFERENCES tenants (id),
    unit_id    BIGINT  NOT NULL DEFAULT 0,
    subtree    INTEGER NOT NULL,
    PRIMARY KEY (duty_id, tenant_id, unit_id)
) WITHOUT ROWID;

-- One row per employee the duty reached, where they are counted now
-- (tenant, unit, employment and position type). counted = 0 marks one who
-- left the target (moved out, left service): the row and what they did stay
-- on record, outside the counts. No foreign keys to employees and units:
-- the rows come from them, and a launch writes millions.
CREATE TABLE duty_assignees (
    duty_id      BIGINT  NOT NULL REFERENCES duties (id),
    employee_id  BIGINT  NOT NULL,
    tenant_id    BIGINT  NOT NULL,
    unit_id      BIGINT  NOT NULL,
    emp_type     TEXT    NOT NULL,
    pos_type     TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    counted      INTEGER NOT NULL DEFAULT 1,
    reason       TEXT    NOT NULL DEFAULT '',
    done_at      BIGINT  NOT NULL DEFAULT 0,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (duty_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX duty_assignees_unit ON duty_assignees (duty_id, unit_id, status, employee_id);
CREATE INDEX duty_assignees_employee ON duty_assignees (employee_id, duty_id);

-- Subtree totals: for every unit (unit_id) and every government (unit_id =
-- 0) with targets at or below it, how many are targeted, done and excused;
-- dim '' is the total, 'type:pns' and 'pos:pelaksana' the breakdowns. A
-- coverage page reads these rows by key and never counts employees.
CREATE TABLE duty_coverage (
    duty_id    BIGINT  NOT NULL REFERENCES duties (id),
    tenant_id  BIGINT  NOT NULL,
    unit_id    BIGINT  NOT NULL,
    dim        TEXT    NOT NULL,
    targeted   BIGINT  NOT NULL DEFAULT 0,
    done       BIGINT  NOT NULL DEFAULT 0,
    excused    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (duty_id, tenant_id, unit_id, dim)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE duty_coverage;
DROP TABLE duty_assignees;
DROP TABLE duty_targets;
DROP TABLE duties;
