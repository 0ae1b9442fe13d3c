package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/store/storetest"
)

// unguardAudit drops the audit log's append-only triggers.
func unguardAudit(t *testing.T, db *sql.DB, driver string) {
	t.Helper()
	drop := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if driver == "pgx" {
		drop = []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`}
	}
	for _, q := range drop {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func dbExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestAuditVerifyAgainstCheckpoints runs the demo, publishes a checkpoint
// to the data folder, tampers with the database and checks that audit
// verify names what happened: the newest entries removed with the head and
// tree moved back (truncation), or an entry rewritten by someone holding the
// master key who recomputed the chain and rebuilt the tree (rewriting).
func TestAuditVerifyAgainstCheckpoints(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		for _, attack := range []string{"truncated", "rewritten"} {
			t.Run(e.Name+"/"+attack, func(t *testing.T) {
				p := placeOn(t, e)
				mustRun(t, p.args("demo")...)
				out, _ := mustRun(t, p.args("audit", "checkpoint")...)
				var size int64
				if _, err := fmt.Sscanf(out, "published a checkpoint of %d audit entries", &size); err != nil || size < 10 {
					t.Fatalf("audit checkpoint printed %q", out)
				}
				dir := filepath.Join(p.data, "checkpoints", "audit")
				for _, f := range []string{"latest.note", "key.vkey", fmt.Sprint(size, ".note")} {
					if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
						t.Fatalf("not published: %v", err)
					}
				}
				if out, _ := mustRun(t, p.args("audit", "checkpoint")...); !strings.Contains(out, "has not grown") {
					t.Fatalf("second checkpoint of an unchanged log: %q", out)
				}
				out, _ = mustRun(t, p.args("audit", "verify")...)
				if !strings.Contains(out, "audit log OK: ") || !strings.Contains(out, fmt.Sprintf("consistent with 1 published checkpoints (newest: %d entries", size)) {
					t.Fatalf("verify of the intact log printed %q", out)
				}

				db, driver := rawDB(t, p)
				unguardAudit(t, db, driver)
				var want *regexp.Regexp
				switch attack {
				case "truncated":
					keep := size - 2
					var h string
					if err := db.QueryRow(`SELECT hash FROM audit_log WHERE seq = $1`, keep).Scan(&h); err != nil {
						t.Fatal(err)
					}
					dbExec(t, db, `DELETE FROM audit_log WHERE seq > $1`, keep)
					dbExec(t, db, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, keep, h)
					dbExec(t, db, `UPDATE signlogs SET size = $1 WHERE name = 'audit'`, keep)
					want = regexp.MustCompile(fmt.Sprintf(`^AUDIT LOG BROKEN at entry %d \(truncated\): the log has %d entries but checkpoint \S+%d\.note of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC records %d`,
						keep+1, keep, size, size))
				case "rewritten":
					k, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(p.data, "netra.key"))
					if err != nil {
						t.Fatal(err)
					}
					keys := netra.AuditKeys{Field: k.MACKey("audit/field"), Chain: k.MACKey("audit/chain")}
					rows, err := db.Query(`SELECT seq, at, actor_id, token_id, actor_label, ip, tenant_id, action, object_type, object_id,
						summary, prev_hash, hash, version FROM audit_log ORDER BY seq`)
					if err != nil {
						t.Fatal(err)
					}
					var es []netra.AuditEntry
					for rows.Next() {
						var a netra.AuditEntry
						var at int64
						if err := rows.Scan(&a.Seq, &at, &a.ActorID, &a.TokenID, &a.ActorLabel, &a.IP, &a.TenantID, &a.Action,
							&a.ObjectType, &a.ObjectID, &a.Summary, &a.PrevHash, &a.Hash, &a.Version); err != nil {
							t.Fatal(err)
						}
						a.At = time.UnixMilli(at).UTC()
						es = append(es, a)
					}
					rows.Close()
					prev := ""
					for i := range es {
						a := &es[i]
						if a.Seq == 3 {
							a.Summary = `{"name":"forged"}`
						}
						a.PrevHash = prev
						a.Hash = a.KeyedHash(keys)
						prev = a.Hash
						dbExec(t, db, `UPDATE audit_log SET summary = $1, prev_hash = $2, hash = $3 WHERE seq = $4`, a.Summary, a.PrevHash, a.Hash, a.Seq)
					}
					dbExec(t, db, `UPDATE audit_head SET hash = $1 WHERE id = 1`, prev)
					// The tree is rebuilt from the rewritten entries at the next start.
					dbExec(t, db, `DELETE FROM signlog_hashes`)
					dbExec(t, db, `UPDATE signlogs SET size = 0`)
					want = regexp.MustCompile(fmt.Sprintf(`^AUDIT LOG BROKEN at entry %d \(rewritten\): entries 1 to %d do not match checkpoint \S+ of .* the log was rewritten`, size, size))
				}
				db.Close()
				out, _, err := cmdline{}.run(t, p.args("audit", "verify")...)
				if !errors.Is(err, errAuditBroken) {
					t.Errorf("audit verify after tampering: err = %v, want errAuditBroken", err)
				}
				if !want.MatchString(out) {
					t.Errorf("audit verify printed %q, want it to match %s", out, want)
				}
				// The same with the checkpoint named on the command line.
				out, _, err = cmdline{}.run(t, p.args("audit", "verify", "--checkpoint", filepath.Join(dir, fmt.Sprint(size, ".note")))...)
				if !errors.Is(err, errAuditBroken) || !want.MatchString(out) {
					t.Errorf("audit verify --checkpoint printed %q (%v)", out, err)
				}
				if attack == "truncated" {
					// The publisher refuses to publish the shorter log as the latest.
					_, _, err := cmdline{}.run(t, p.args("audit", "checkpoint")...)
					if !errors.Is(err, errShrank) {
						t.Errorf("checkpoint of a truncated log: %v", err)
					}
				}
			})
		}
	}
}

// TestAuditVerifyRefusesForeignCheckpoint: a checkpoint signed by another
// key is reported and verify fails.
func TestAuditVerifyRefusesForeignCheckpoint(t *testing.T) {
	a, b := placeOn(t, storetest.Engines(t)[0]), placeOn(t, storetest.Engines(t)[0])
	for _, p := range []place{a, b} {
		mustRun(t, p.args("demo")...)
		mustRun(t, p.args("audit", "checkpoint")...)
	}
	out, _, err := cmdline{}.run(t, a.args("audit", "verify", "--checkpoint", filepath.Join(b.data, "checkpoints", "audit", "latest.note"),
		"--key", filepath.Join(a.data, "checkpoints", "audit", "key.vkey"))...)
	if !errors.Is(err, errAuditBroken) || !strings.Contains(out, "CHECKPOINT REJECTED") {
		t.Fatalf("foreign checkpoint: %q %v", out, err)
	}
}

// TestAuditRedactCommand: redaction leaves a log that verifies, and is
// itself in the log.
func TestAuditRedactCommand(t *testing.T) {
	p := placeOn(t, storetest.Engines(t)[0])
	mustRun(t, p.args("demo")...)
	_, _, err := cmdline{}.run(t, p.args("audit", "redact", "--before", "yesterday")...)
	if !errors.Is(err, errUsage) {
		t.Fatalf("bad date: %v", err)
	}
	time.Sleep(1100 * time.Millisecond)
	out, _ := mustRun(t, p.args("audit", "redact", "--before", time.Now().UTC().Format(time.RFC3339))...)
	var n int
	if _, err := fmt.Sscanf(out, "redacted the personal fields of %d audit entries", &n); err != nil || n < 10 {
		t.Fatalf("redact printed %q", out)
	}
	if out, _ := mustRun(t, p.args("audit", "verify")...); !strings.HasPrefix(out, "audit log OK") {
		t.Fatalf("verify after redaction: %q", out)
	}
	s := p.open(t)
	// One entry per batch of redacted entries (the demo's log holds several).
	es, err := s.AuditEntries(netra.WithActor(t.Context(), netra.System("test")), netra.AuditFilter{Action: "audit.redact"})
	if err != nil || len(es) == 0 {
		t.Fatalf("audit.redact entries %v %v", es, err)
	}
	logged := 0
	for _, e := range es {
		var sum struct {
			Entries int `json:"entries"`
		}
		if err := json.Unmarshal([]byte(e.Summary), &sum); err != nil {
			t.Fatal(err)
		}
		logged += sum.Entries
	}
	if logged != n {
		t.Errorf("the audit.redact entries count %d redacted, the command said %d", logged, n)
	}
}
