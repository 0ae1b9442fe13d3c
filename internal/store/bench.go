package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BareEmployeeColumns are the columns BareLoadEmployees fills, in order.
var BareEmployeeColumns = copyColumns

// BareLoadEmployees inserts employee rows by the simplest loop the engine
// allows, with no validation, matching, history or audit: one transaction of
// prepared inserts on SQLite, one COPY on PostgreSQL. It exists only as the
// baseline the import benchmark measures Netra's import against. next
// returns the values of BareEmployeeColumns for one row, or false at the end.
func (s *Store) BareLoadEmployees(ctx context.Context, next func() ([]any, bool)) (int64, error) {
	if s.dialect == Postgres {
		conn, err := s.w.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		var n int64
		err = conn.Raw(func(dc any) error {
			var err error
			n, err = dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"employees"}, BareEmployeeColumns, &rowSource{next: next})
			return err
		})
		return n, err
	}
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer t.Rollback()
	st, err := t.PrepareContext(ctx, insertEmployee)
	if err != nil {
		return 0, err
	}
	var n int64
	for {
		v, ok := next()
		if !ok {
			break
		}
		if _, err := st.ExecContext(ctx, v...); err != nil {
			return n, fmt.Errorf("bare insert row %d: %w", n+1, err)
		}
		n++
	}
	return n, t.Commit()
}

// rowSource adapts next to pgx.CopyFromSource.
type rowSource struct {
	next func() ([]any, bool)
	cur  []any
}

func (r *rowSource) Next() bool {
	var ok bool
	r.cur, ok = r.next()
	return ok
}
func (r *rowSource) Values() ([]any, error) { return r.cur, nil }
func (r *rowSource) Err() error             { return nil }

// BarePage reads 50 employees by primary key with no join, filter or
// count: the baseline the list benchmark sets the employee list against.
func (s *Store) BarePage(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, `SELECT id, nip, name, unit_id FROM employees ORDER BY id LIMIT 50`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, unit int64
		var nip, name string
		if err := rows.Scan(&id, &nip, &name, &unit); err != nil {
			return err
		}
	}
	return rows.Err()
}
