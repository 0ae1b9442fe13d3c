-- The employee list filters by status (the page shows active employees
-- unless told otherwise; nine statuses since 00005). Across a province or
-- the nation a rare status (CLTN, pre-retirement) matched nothing for
-- hundreds of thousands of rows read in name order; with the status in
-- front, the list walks only that status's employees, in the list's order.

-- +goose Up
CREATE INDEX employees_status ON employees (status, search_name, id);

-- +goose Down
DROP INDEX employees_status;
