-- Imports follow the unit scope: an import remembers the API token that
-- started it (created_by is the user), and each refused cell the unit its
-- row resolved to (0: the unit could not be resolved), so that a unit
-- admin reads only the refused cells of rows in their subtree.

-- +goose Up
ALTER TABLE imports ADD COLUMN created_token BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_errors ADD COLUMN unit_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX imports_created_by ON imports (created_by, id);

-- +goose Down
DROP INDEX imports_created_by;
ALTER TABLE import_errors DROP COLUMN unit_id;
ALTER TABLE imports DROP COLUMN created_token;
