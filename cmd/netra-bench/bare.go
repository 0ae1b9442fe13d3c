package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// The bare baselines talk to the database directly, with no Netra code in
// between, so that what they measure is the engine alone; they live here,
// not in the store's API.

// bareColumns are the employee columns the bare load fills, in the order of
// the values bareLoad builds.
var bareColumns = []string{"tenant_id", "nip", "name", "search_name", "front_title", "back_title", "type", "golongan",
	"position_name", "position_type", "unit_id", "email", "phone", "status", "birth_date", "sex", "import_id",
	"created_at", "updated_at"}

// openBare opens the database behind a Netra database URL as a plain
// *sql.DB, with the same durability settings the store uses on SQLite
// (WAL, synchronous=FULL), so the baseline pays the same commit costs.
func openBare(rawURL string) (*sql.DB, error) {
	if p, ok := strings.CutPrefix(rawURL, "sqlite:"); ok {
		q := url.Values{}
		for _, pr := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)", "cache_size(-32000)"} {
			q.Add("_pragma", pr)
		}
		db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(p, "//")+"?"+q.Encode())
		if err == nil {
			db.SetMaxOpenConns(1)
		}
		return db, err
	}
	if rawURL == "postgres:" || rawURL == "postgresql:" {
		rawURL = ""
	}
	return sql.Open("pgx", rawURL)
}

// bareInsert inserts employee rows by the simplest loop the engine allows,
// with no validation, matching, history or audit: one transaction of
// prepared inserts on SQLite, one COPY on PostgreSQL. next returns the
// values of cols for one row, or false at the end.
func bareInsert(ctx context.Context, rawURL string, cols []string, next func() ([]any, bool)) (int64, error) {
	db, err := openBare(rawURL)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if !strings.HasPrefix(rawURL, "sqlite:") {
		conn, err := db.Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		var n int64
		err = conn.Raw(func(dc any) error {
			var err error
			n, err = dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"employees"}, cols, &rowSource{next: next})
			return err
		})
		return n, err
	}
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer t.Rollback()
	ph := make([]string, len(cols))
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	st, err := t.PrepareContext(ctx, "INSERT INTO employees ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(ph, ", ")+")")
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

// barePage reads 50 employees by primary key with no join, filter or
// count: the baseline the list benchmark sets the employee list against.
func barePage(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT id, nip, name, unit_id FROM employees ORDER BY id LIMIT 50`)
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
