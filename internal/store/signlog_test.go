package store_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// keyedStore opens and migrates a store with a master key the test knows,
// as an insider who stole the key file would.
func keyedStore(t *testing.T, url string) (*store.Store, netra.AuditKeys) {
	t.Helper()
	k := keyring.Generate()
	s, err := store.Open(context.Background(), url, store.WithKeyring(k))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, netra.AuditKeys{Field: k.MACKey("audit/field"), Chain: k.MACKey("audit/chain")}
}

// unguard drops the append-only triggers, as someone with the database's
// files or owner role can.
func unguard(t *testing.T, db *sql.DB, engine string) {
	t.Helper()
	if engine == "sqlite" {
		mustExec(t, db, `DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`)
	} else {
		mustExec(t, db, `ALTER TABLE audit_log DISABLE TRIGGER USER`)
	}
}

// rawEntries reads the audit entries from seq on, straight from the table.
func rawEntries(t *testing.T, db *sql.DB, from int64) []netra.AuditEntry {
	t.Helper()
	rows, err := db.Query(`SELECT seq, at, actor_id, token_id, actor_label, ip, tenant_id, action, object_type, object_id,
		summary, prev_hash, hash, version FROM audit_log WHERE seq >= $1 ORDER BY seq`, from)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []netra.AuditEntry
	for rows.Next() {
		var e netra.AuditEntry
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.TokenID, &e.ActorLabel, &e.IP, &e.TenantID, &e.Action,
			&e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash, &e.Version); err != nil {
			t.Fatal(err)
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out
}

// rechain rewrites entry `from` with change and recomputes the hash of it
// and every later entry with hash, moving the head along.
func rechain(t *testing.T, db *sql.DB, from int64, change func(*netra.AuditEntry), hash func(*netra.AuditEntry) string) {
	t.Helper()
	es := rawEntries(t, db, from)
	prev := es[0].PrevHash
	for i := range es {
		e := &es[i]
		if i == 0 {
			change(e)
		}
		e.PrevHash = prev
		e.Hash = hash(e)
		prev = e.Hash
		if _, err := db.Exec(`UPDATE audit_log SET summary = $1, prev_hash = $2, hash = $3, version = $4 WHERE seq = $5`,
			e.Summary, e.PrevHash, e.Hash, e.Version, e.Seq); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE audit_head SET hash = $1 WHERE id = 1`, prev); err != nil {
		t.Fatal(err)
	}
}

func wantProblem(t *testing.T, p *netra.ChainProblem, err error, seq int64, reason string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if p == nil || p.Seq != seq || p.Reason != reason {
		t.Fatalf("got problem %+v, want entry %d %s", p, seq, reason)
	}
}

// TestAuditKeyedChainCatchesRecomputedChain: someone who can write the
// database but lacks the master key rewrites an old entry and recomputes
// every later hash by the public SHA-256 rule — keeping the version, or
// claiming the old unkeyed version 1 for the rewritten entries.
func TestAuditKeyedChainCatchesRecomputedChain(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		for _, downgrade := range []bool{false, true} {
			name := e.Name + "/same-version"
			if downgrade {
				name = e.Name + "/as-version-1"
			}
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				url := e.URL(t)
				s := openURL(t, url)
				w := mustWorld(t, s)
				mustEmployee(t, s, w.setda.ID, "198609262015051001", "Budi Santoso")
				db := rawDB(t, url)
				unguard(t, db, e.Name)
				rechain(t, db, 4, func(a *netra.AuditEntry) { a.Summary = `{"name":"forged"}` }, func(a *netra.AuditEntry) string {
					if downgrade {
						a.Version = netra.AuditV1
					}
					return a.ComputeHash()
				})
				p, _, err := s.VerifyAudit(ctx, nil)
				wantProblem(t, p, err, 4, "altered")
			})
		}
	}
}

// TestAuditCheckpointsCatchTruncationAndRewrite: entries removed from the
// end with the head (and tree) moved back consistently are named as
// truncation against a checkpoint; an entry rewritten by someone with the
// key, chain and tree recomputed, as rewriting.
func TestAuditCheckpointsCatchTruncationAndRewrite(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			s, keys := keyedStore(t, url)
			w := mustWorld(t, s)
			cp1, err := s.MakeCheckpoint(ctx, store.AuditLog)
			if err != nil {
				t.Fatal(err)
			}
			vkeys, err := s.LogVerifierKeys(ctx, store.AuditLog)
			if err != nil || len(vkeys) != 1 {
				t.Fatalf("verifier keys %v %v", vkeys, err)
			}
			if c, id, err := signlog.Open(cp1.Note, vkeys...); err != nil || c != cp1.Checkpoint || id != cp1.KeyID {
				t.Fatalf("open checkpoint: %+v %q %v", c, id, err)
			}
			for _, nip := range []string{"198609262015051001", "198609262015051002", "198609262015051003", "198609262015051004"} {
				mustEmployee(t, s, w.setda.ID, nip, "Budi Santoso")
			}
			cp2, err := s.MakeCheckpoint(ctx, store.AuditLog)
			if err != nil || cp2.Size <= cp1.Size {
				t.Fatalf("second checkpoint %+v %v", cp2, err)
			}
			if again, err := s.MakeCheckpoint(ctx, store.AuditLog); err != nil || again.Size != cp2.Size || string(again.Note) != string(cp2.Note) {
				t.Fatalf("a checkpoint of an unchanged log was signed anew: %v", err)
			}
			proof, err := s.LogConsistencyProof(ctx, store.AuditLog, cp1.Size, cp2.Size)
			if err != nil || signlog.CheckConsistency(proof, cp2.Size, cp2.Hash, cp1.Size, cp1.Hash) != nil {
				t.Fatalf("consistency proof %v", err)
			}
			cps := []store.Checkpoint{*cp1, *cp2}
			if p, n, err := s.VerifyAuditLog(ctx, cps, nil); err != nil || p != nil || n != cp2.Size {
				t.Fatalf("intact log: %+v %d %v", p, n, err)
			}

			db := rawDB(t, url)
			unguard(t, db, e.Name)
			// Truncated consistently: the newest three entries go, the head,
			// the tree and its size move back. The log alone looks intact.
			keep := cp2.Size - 3
			last := rawEntries(t, db, keep)[0]
			mustExec(t, db, `DELETE FROM audit_log WHERE seq > `+itoa(keep))
			if _, err := db.Exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, keep, last.Hash); err != nil {
				t.Fatal(err)
			}
			mustExec(t, db, `UPDATE signlogs SET size = `+itoa(keep)+` WHERE name = 'audit'`)
			if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
				t.Fatalf("consistent truncation without checkpoints: %+v %v", p, err)
			}
			p, _, err := s.VerifyAuditLog(ctx, cps, nil)
			wantProblem(t, p, err, keep+1, "truncated")
			if want := "the log has " + itoa(keep) + " entries but checkpoint"; !strings.Contains(p.Detail, want) ||
				!strings.Contains(p.Detail, "records "+itoa(cp2.Size)) {
				t.Fatalf("truncation detail %q", p.Detail)
			}

			// Rewritten with the key: entry 3 changed, the keyed chain
			// recomputed, the tree rebuilt from the rewritten entries.
			rechain(t, db, 3, func(a *netra.AuditEntry) { a.Summary = `{"name":"forged"}` },
				func(a *netra.AuditEntry) string { return a.KeyedHash(keys) })
			p, _, err = s.VerifyAudit(ctx, nil)
			wantProblem(t, p, err, keep, "tree")
			mustExec(t, db, `DELETE FROM signlog_hashes`, `UPDATE signlogs SET size = 0`)
			if _, err := s.Migrate(ctx); err != nil { // rebuilds the tree
				t.Fatal(err)
			}
			if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
				t.Fatalf("rewritten log with rebuilt tree, no checkpoints: %+v %v", p, err)
			}
			p, _, err = s.VerifyAuditLog(ctx, cps[:1], nil)
			wantProblem(t, p, err, cp1.Size, "rewritten")
		})
	}
}

// TestAuditRedaction: personal fields of old entries are removed and the
// log still verifies; a field left in place still may not change.
func TestAuditRedaction(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			s := openURL(t, url)
			w := mustWorld(t, s)
			a := netra.System("user:budi")
			a.IP = "198.51.100.7"
			if err := s.AuditRead(netra.WithActor(ctx, a), w.city.ID, "employee", 1, map[string]string{"nip": "198609262015051001"}); err != nil {
				t.Fatal(err)
			}
			before, _, _ := s.VerifyAudit(ctx, nil)
			if before != nil {
				t.Fatal(before)
			}
			if _, err := s.RedactAudit(netra.WithActor(ctx, netra.Anonymous()), time.Now()); err == nil {
				t.Fatal("an anonymous actor redacted the audit log")
			}
			_, err := s.RedactAudit(sys(), time.Now().Add(time.Second))
			if err == nil {
				t.Fatal("a cutoff in the future was accepted")
			}
			time.Sleep(2 * time.Millisecond)
			n, err := s.RedactAudit(sys(), time.Now())
			if err != nil || n < 5 {
				t.Fatalf("redacted %d, %v", n, err)
			}
			es, err := s.AuditEntries(sys(), netra.AuditFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			redactions := 0
			for _, e := range es {
				if e.Action == "audit.redact" {
					redactions++
					continue
				}
				if e.IP != "" || e.ActorLabel != "" || e.Summary != "" || e.Redacted == nil {
					t.Fatalf("entry %d not redacted: %+v", e.Seq, e)
				}
			}
			if redactions != 1 {
				t.Fatalf("%d audit.redact entries", redactions)
			}
			if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
				t.Fatalf("redacted log: %+v %v", p, err)
			}
			db := rawDB(t, url)
			// The guard lets only redaction through.
			if _, err := db.Exec(`UPDATE audit_log SET action = 'x', redacted = '{}' WHERE seq = 2`); err == nil {
				t.Fatal("the guard let a redacted entry's action change")
			}
			unguard(t, db, e.Name)
			mustExec(t, db, `UPDATE audit_log SET object_id = '999' WHERE seq = 2`)
			p, _, err := s.VerifyAudit(ctx, nil)
			wantProblem(t, p, err, 2, "altered")
		})
	}
}

// TestAnonymousActorLeavesNoTrace: whatever the caller filled in, an
// anonymous actor is logged as "anonim" with no id and no IP.
func TestAnonymousActorLeavesNoTrace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := netra.Anonymous()
		a.IP, a.UserID, a.TokenID = "203.0.113.9", 7, 8
		if err := s.AuditRead(netra.WithActor(context.Background(), a), 0, "report", 0, nil); err != nil {
			t.Fatal(err)
		}
		es, err := s.AuditEntries(sys(), netra.AuditFilter{Limit: 1})
		if err != nil || len(es) != 1 {
			t.Fatal(es, err)
		}
		if e := es[0]; e.ActorLabel != netra.AnonymousLabel || e.IP != "" || e.ActorID != 0 || e.TokenID != 0 {
			t.Fatalf("anonymous entry %+v", e)
		}
		if p, _, err := s.VerifyAudit(context.Background(), nil); err != nil || p != nil {
			t.Fatalf("%+v %v", p, err)
		}
	})
}

// TestAuditUpgradeKeepsVersion1Entries: a database written before keyed
// chaining verifies after the upgrade, its entries join the Merkle log,
// new entries are keyed, and old ones can be redacted.
func TestAuditUpgradeKeepsVersion1Entries(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			db := rawDB(t, url)
			dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
			if e.Name != "sqlite" {
				dialect, dir = goose.DialectPostgres, "migrations/postgres"
			}
			p, err := goose.NewProvider(dialect, db, os.DirFS(dir))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 1); err != nil {
				t.Fatal(err)
			}
			// Entries as the version 1 program wrote them.
			prev := ""
			for i := int64(1); i <= 5; i++ {
				v1 := netra.AuditEntry{Seq: i, At: time.UnixMilli(1700000000000 + i).UTC(), ActorLabel: "user:lama", IP: "192.0.2.1",
					Action: "unit.create", ObjectType: "unit", ObjectID: itoa(i), Summary: `{"name":"Dinas"}`, PrevHash: prev}
				v1.Hash = v1.ComputeHash()
				prev = v1.Hash
				if _, err := db.Exec(`INSERT INTO audit_log (seq, at, actor_id, token_id, actor_label, ip, tenant_id, action,
					object_type, object_id, summary, prev_hash, hash) VALUES ($1, $2, 0, 0, $3, $4, 0, $5, $6, $7, $8, $9, $10)`,
					v1.Seq, v1.At.UnixMilli(), v1.ActorLabel, v1.IP, v1.Action, v1.ObjectType, v1.ObjectID, v1.Summary, v1.PrevHash, v1.Hash); err != nil {
					t.Fatal(err)
				}
			}
			mustExec(t, db, `UPDATE audit_head SET seq = 5, hash = '`+prev+`' WHERE id = 1`)

			s := openURL(t, url)
			if n, err := s.LogSize(ctx, store.AuditLog); err != nil || n != 5 {
				t.Fatalf("audit Merkle log after the upgrade: %d, %v", n, err)
			}
			if p, n, err := s.VerifyAudit(ctx, nil); err != nil || p != nil || n != 5 {
				t.Fatalf("upgraded log: %+v %d %v", p, n, err)
			}
			mustTenant(t, s, "00", "Pemerintah Pusat")
			if p, n, err := s.VerifyAudit(ctx, nil); err != nil || p != nil || n != 6 {
				t.Fatalf("upgraded log with a new entry: %+v %d %v", p, n, err)
			}
			es := rawEntries(t, db, 6)
			if es[0].Version != netra.AuditV2 {
				t.Fatalf("new entry has version %d", es[0].Version)
			}
			time.Sleep(2 * time.Millisecond)
			if n, err := s.RedactAudit(sys(), time.Now()); err != nil || n != 6 {
				t.Fatalf("redacted %d, %v", n, err)
			}
			if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
				t.Fatalf("redacted upgraded log: %+v %v", p, err)
			}
			// Claiming a later boundary for the version 1 entries is caught.
			mustExec(t, db, `UPDATE audit_head SET v1_last = 6 WHERE id = 1`)
			p2, _, err := s.VerifyAudit(ctx, nil)
			wantProblem(t, p2, err, 1, "altered")
		})
	}
}
