package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// rawDB opens the database behind a store URL directly, as someone with
// access to the database files or server would.
func rawDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if p, ok := strings.CutPrefix(url, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+p
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestAuditChainCatchesTampering(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			s := openURL(t, url)
			w := mustWorld(t, s)
			mustEmployee(t, s, w.setda.ID, "198609262015051001", "Budi Santoso")
			p, n, err := s.VerifyAudit(ctx, nil)
			if err != nil || p != nil || n < 10 {
				t.Fatalf("intact chain: problem %v, %d entries, %v", p, n, err)
			}
			db := rawDB(t, url)
			// The table refuses edits unless its guard is removed first.
			if _, err := db.Exec(`UPDATE audit_log SET summary = 'x' WHERE seq = 3`); err == nil {
				t.Fatal("audit_log accepted an update")
			}
			if e.Name == "sqlite" {
				mustExec(t, db, `DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`)
			} else {
				mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER USER`)
			}
			check := func(wantSeq int64, wantReason string) {
				t.Helper()
				p, _, err := s.VerifyAudit(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				if p == nil || p.Seq != wantSeq || p.Reason != wantReason {
					t.Fatalf("got problem %+v, want entry %d %s", p, wantSeq, wantReason)
				}
			}
			// Altered: the summary of entry 4 is rewritten.
			mustExec(t, db, `UPDATE audit_log SET summary = '{"name":"forged"}' WHERE seq = 4`)
			check(4, "altered")
			// Restore entry 4 by recomputing it would need the hash of the
			// chain; instead test the other cases on fresh copies of the rows.
			mustExec(t, db, `UPDATE audit_log SET summary = (SELECT summary FROM audit_log WHERE seq = 5) WHERE seq = 4`)
			// Removed: entry 2 is deleted.
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 2`)
			check(2, "removed")
		})
	}
}

func TestAuditChainCatchesReorderAndTruncation(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			s := openURL(t, url)
			mustWorld(t, s)
			db := rawDB(t, url)
			if e.Name == "sqlite" {
				mustExec(t, db, `DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`)
			} else {
				mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER USER`)
			}
			// Reordered: entries 3 and 4 swap their sequence numbers.
			mustExec(t, db, `UPDATE audit_log SET seq = -3 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 4`,
				`UPDATE audit_log SET seq = 4 WHERE seq = -3`)
			p, _, err := s.VerifyAudit(ctx, nil)
			if err != nil || p == nil || p.Seq != 3 || p.Reason != "reordered" {
				t.Fatalf("reorder: %+v %v", p, err)
			}
			mustExec(t, db, `UPDATE audit_log SET seq = -3 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 4`,
				`UPDATE audit_log SET seq = 4 WHERE seq = -3`)
			if p, _, _ := s.VerifyAudit(ctx, nil); p != nil {
				t.Fatalf("restored chain reports %+v", p)
			}
			// Truncated: the newest entry is removed; the head still names it.
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)`)
			p, n, err := s.VerifyAudit(ctx, nil)
			if err != nil || p == nil || p.Reason != "removed" || p.Seq != n+1 {
				t.Fatalf("truncation: %+v (%d) %v", p, n, err)
			}
		})
	}
}

func TestAuditEntriesScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		ctx := as(s, t, netra.RoleAuditor, w.city, nil)
		entries, err := s.AuditEntries(ctx, netra.AuditFilter{})
		if err != nil || len(entries) == 0 {
			t.Fatalf("auditor entries %v %v", entries, err)
		}
		for _, e := range entries {
			if e.TenantID != w.city.ID {
				t.Fatalf("auditor of %s sees entry of tenant %d", w.city.Code, e.TenantID)
			}
		}
		if _, err := s.AuditEntries(as(s, t, netra.RoleVerifier, w.city, nil), netra.AuditFilter{}); err == nil {
			t.Fatal("verifier reads the audit log")
		}
		got, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "unit.", Limit: 2})
		if err != nil || len(got) != 2 || !strings.HasPrefix(got[0].Action, "unit.") || got[0].Seq < got[1].Seq {
			t.Fatalf("filtered entries %+v %v", got, err)
		}
	})
}

// openURL opens and migrates the store at url, closed when the test ends.
func openURL(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func mustExec(t *testing.T, db *sql.DB, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestUserEventsReachTheirGovernmentsAuditors checks that sign-ins and
// account changes of a city's staff are logged under that city: its auditor
// and the province's see them, another city's auditor does not.
func TestUserEventsReachTheirGovernmentsAuditors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		// A role on the province and a narrower one on the city: the city is home.
		u := &netra.User{Username: "operator", Name: "Operator BKPSDM", PasswordHash: "x",
			Grants: []netra.Grant{{Role: netra.RoleLeader, TenantID: w.prov.ID}}}
		if err := s.CreateUser(sys(), u); err != nil {
			t.Fatal(err)
		}
		if err := s.Grant(sys(), u.ID, netra.RoleTenantAdmin, w.city.ID, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.AuditUser(sys(), "auth.login", u.ID, map[string]string{"method": "password"}); err != nil {
			t.Fatal(err)
		}
		name := "Operator Kota"
		if err := s.UpdateUser(sys(), u.ID, store.UserUpdate{Name: &name}, "user.update"); err != nil {
			t.Fatal(err)
		}
		seen := func(ctx context.Context) map[string]bool {
			t.Helper()
			got, err := s.AuditEntries(ctx, netra.AuditFilter{ObjectType: "user", ObjectID: itoa(u.ID)})
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]bool{}
			for _, e := range got {
				m[e.Action] = true
			}
			return m
		}
		for _, tn := range []*netra.Tenant{w.city, w.prov} {
			if m := seen(as(s, t, netra.RoleAuditor, tn, nil)); !m["auth.login"] || !m["user.update"] {
				t.Errorf("auditor of %s sees %v", tn.Code, m)
			}
		}
		if m := seen(as(s, t, netra.RoleAuditor, w.other, nil)); len(m) != 0 {
			t.Errorf("auditor of %s sees %v", w.other.Code, m)
		}
	})
}
