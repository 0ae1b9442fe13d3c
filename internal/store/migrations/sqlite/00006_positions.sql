-- Positions over time and the offices of each government. The employee row
-- is the current definitive position; position_assignments keeps the
-- positions held before (closed by the store when the row moves) and the
-- acting ones (Plt, Plh), so that the head of a unit and the chain of
-- superiors can be answered for any date. office_holders keeps who held the
-- PPK, Sekda and Inspector offices when, with their decree. Dates are
-- 'YYYY-MM-DD' text (NULL: unknown or open), both ends inclusive.
-- Keep in step with ../postgres/00006_positions.sql.

-- +goose Up
CREATE TABLE position_assignments (
    id             INTEGER PRIMARY KEY,
    tenant_id      BIGINT  NOT NULL REFERENCES tenants (id),
    employee_id    BIGINT  NOT NULL REFERENCES employees (id),
    unit_id        BIGINT  NOT NULL REFERENCES org_units (id),
    position_name  TEXT    NOT NULL DEFAULT '',
    position_type  TEXT    NOT NULL DEFAULT '',
    head           INTEGER NOT NULL DEFAULT 0,
    kind           TEXT    NOT NULL,
    start_date     TEXT,
    end_date       TEXT,
    decree_number  TEXT    NOT NULL DEFAULT '',
    decree_date    TEXT,
    source         TEXT    NOT NULL,
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX position_assignments_employee ON position_assignments (employee_id, start_date);
CREATE INDEX position_assignments_unit ON position_assignments (unit_id, start_date);

CREATE TABLE office_holders (
    id             INTEGER PRIMARY KEY,
    tenant_id      BIGINT  NOT NULL REFERENCES tenants (id),
    office         TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    nip            TEXT    NOT NULL DEFAULT '',
    employee_id    BIGINT  REFERENCES employees (id),
    from_date      TEXT    NOT NULL,
    to_date        TEXT,
    decree_number  TEXT    NOT NULL DEFAULT '',
    decree_date    TEXT,
    note           TEXT    NOT NULL DEFAULT '',
    created_by     TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX office_holders_tenant ON office_holders (tenant_id, office, from_date);

-- +goose Down
DROP TABLE office_holders;
DROP TABLE position_assignments;
