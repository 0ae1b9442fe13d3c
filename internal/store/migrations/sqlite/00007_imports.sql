-- The import flow of issue 7: a preview (dry run) before anything is
-- written, warnings kept apart from refusals, the line an employee was
-- taken from (so a repeated NIP names the line that was kept), and pending
-- transfers: a row naming an employee of another government does not move
-- them until the sending government confirms.

-- +goose Up
ALTER TABLE imports ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN warnings BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN dry_run BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN preview TEXT NOT NULL DEFAULT '';
ALTER TABLE import_errors ADD COLUMN warning BIGINT NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN import_line BIGINT NOT NULL DEFAULT 0;

CREATE TABLE employee_transfers (
    id              INTEGER PRIMARY KEY,
    import_id       BIGINT  NOT NULL REFERENCES imports (id),
    line            BIGINT  NOT NULL,
    employee_id     BIGINT  NOT NULL REFERENCES employees (id),
    nip             TEXT    NOT NULL,
    from_tenant_id  BIGINT  NOT NULL REFERENCES tenants (id),
    to_tenant_id    BIGINT  NOT NULL REFERENCES tenants (id),
    to_unit_id      BIGINT  NOT NULL REFERENCES org_units (id),
    row_values      TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    decided_by      TEXT    NOT NULL DEFAULT '',
    decided_at      BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL
);
CREATE INDEX employee_transfers_from ON employee_transfers (from_tenant_id, status, id);
CREATE INDEX employee_transfers_to ON employee_transfers (to_tenant_id, status, id);
CREATE INDEX employee_transfers_import ON employee_transfers (import_id, line);

-- +goose Down
DROP TABLE employee_transfers;
ALTER TABLE employees DROP COLUMN import_line;
ALTER TABLE import_errors DROP COLUMN warning;
ALTER TABLE imports DROP COLUMN preview;
ALTER TABLE imports DROP COLUMN dry_run;
ALTER TABLE imports DROP COLUMN warnings;
ALTER TABLE imports DROP COLUMN pending;
