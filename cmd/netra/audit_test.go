package main

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to tamper with PostgreSQL
	_ "modernc.org/sqlite"             // the "sqlite" driver, to tamper with the file

	"github.com/netra-id/netra/internal/store/storetest"
)

// rawDB opens a place's database behind the store's back.
func rawDB(t *testing.T, p place) (*sql.DB, string) {
	t.Helper()
	driver, dsn := "pgx", p.db
	if path, ok := strings.CutPrefix(p.db, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, driver
}

func TestAuditVerify(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		// tamper changes the log and returns the entry verify must name.
		tamper func(t *testing.T, db *sql.DB, last int64) int64
	}{
		{"altered", "altered", func(t *testing.T, db *sql.DB, last int64) int64 {
			seq := last / 2
			res, err := db.Exec(`UPDATE audit_log SET summary = summary || ' ' WHERE seq = $1`, seq)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("updated %d entries", n)
			}
			return seq
		}},
		{"newest removed", "removed", func(t *testing.T, db *sql.DB, last int64) int64 {
			if _, err := db.Exec(`DELETE FROM audit_log WHERE seq = $1`, last); err != nil {
				t.Fatal(err)
			}
			return last
		}},
	}
	for _, e := range storetest.Engines(t) {
		for _, tt := range tests {
			t.Run(e.Name+"/"+tt.name, func(t *testing.T) {
				p := placeOn(t, e)
				mustRun(t, p.args("demo")...)
				out, _ := mustRun(t, p.args("audit", "verify")...)
				var n int64
				if _, err := fmt.Sscanf(out, "audit log OK: %d entries, hash chain intact\n", &n); err != nil || n < 10 {
					t.Fatalf("audit verify on the demo printed %q (%v)", out, err)
				}

				db, driver := rawDB(t, p)
				// The log is append-only until the triggers are dropped.
				if _, err := db.Exec(`UPDATE audit_log SET summary = '' WHERE seq = 1`); err == nil {
					t.Fatal("the database let an audit entry be updated")
				}
				drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
				if driver == "pgx" {
					drop = []string{`DROP TRIGGER audit_log_no_update ON audit_log`}
				}
				for _, q := range drop {
					if _, err := db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				seq := tt.tamper(t, db, n)
				db.Close()

				out, _, err := cmdline{}.run(t, p.args("audit", "verify")...)
				if !errors.Is(err, errAuditBroken) {
					t.Errorf("audit verify after tampering: err = %v, want errAuditBroken", err)
				}
				if want := fmt.Sprintf("AUDIT LOG BROKEN at entry %d (%s)", seq, tt.reason); !strings.HasPrefix(out, want) {
					t.Errorf("audit verify printed %q, want it to start with %q", out, want)
				}
			})
		}
	}
}
