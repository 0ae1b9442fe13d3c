package store

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

// VerifyAudit checks the audit log against itself: VerifyAuditLog without
// published checkpoints.
func (s *Store) VerifyAudit(ctx context.Context, progress func(n int64)) (*netra.ChainProblem, int64, error) {
	return s.VerifyAuditLog(ctx, nil, progress)
}

// VerifyAuditLog streams the whole audit log in sequence order and returns
// the first problem, or nil when everything holds, with the number of
// entries checked:
//
//   - every entry's hash by its version's rule (version 2: keyed, so an
//     entry rewritten by someone without the master key is "altered") and
//     its link to the one before ("removed", "reordered");
//   - the published checkpoints, whose signatures the caller has checked:
//     a checkpoint of more entries than the log holds means the newest were
//     removed ("truncated"), one whose root differs from the root of the
//     first Size entries means they were rewritten since ("rewritten");
//   - the chain head, so that removing the newest entries is caught even
//     without a checkpoint ("removed");
//   - the Merkle tree stored in the database against the entries ("tree").
//
// It holds O(log n) hashes in memory whatever the log's size. progress, if
// not nil, is called every 100,000 entries.
func (s *Store) VerifyAuditLog(ctx context.Context, cps []Checkpoint, progress func(n int64)) (*netra.ChainProblem, int64, error) {
	cps = slices.Clone(cps)
	slices.SortFunc(cps, func(a, b Checkpoint) int { return cmp.Compare(a.Size, b.Size) })
	var headSeq, v1Last int64
	var headHash, v1MAC string
	if err := s.r.QueryRowContext(ctx, `SELECT seq, hash, v1_last, v1_mac FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash, &v1Last, &v1MAC); err != nil {
		return nil, 0, fmt.Errorf("store: audit head: %w", err)
	}
	keys := s.auditKeys()
	if !hmac.Equal([]byte(v1MAC), []byte(v1Boundary(keys, v1Last))) {
		return &netra.ChainProblem{Seq: 1, Reason: "altered",
			Detail: fmt.Sprintf("the record that entries 1 to %d predate keyed chaining was altered (it does not match its key)", v1Last)}, 0, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log a ORDER BY a.seq`)
	if err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var tree signlog.Builder
	var n, want int64 = 0, 1
	prev := ""
	next := 0 // the first checkpoint not yet reached
	for next < len(cps) && cps[next].Size == 0 {
		next++
	}
	var e netra.AuditEntry
	for rows.Next() {
		if err := scanAudit(rows, &e); err != nil {
			return nil, n, fmt.Errorf("store: audit log: %w", err)
		}
		switch {
		case e.Seq != want:
			return &netra.ChainProblem{Seq: want, Reason: "removed",
				Detail: fmt.Sprintf("entry %d is missing (the next entry is %d)", want, e.Seq)}, n, nil
		case e.PrevHash != prev:
			return &netra.ChainProblem{Seq: e.Seq, Reason: "reordered",
				Detail: fmt.Sprintf("entry %d does not chain onto entry %d (its previous hash differs)", e.Seq, e.Seq-1)}, n, nil
		case e.Version < netra.AuditV2 && e.Seq > v1Last:
			return &netra.ChainProblem{Seq: e.Seq, Reason: "altered",
				Detail: fmt.Sprintf("entry %d (%s at %s) was altered: it claims the unkeyed version 1 rule, but keyed chaining began after entry %d", e.Seq, e.Action, e.At.Format("2006-01-02 15:04:05Z"), v1Last)}, n, nil
		case !e.Verify(keys):
			return &netra.ChainProblem{Seq: e.Seq, Reason: "altered",
				Detail: fmt.Sprintf("entry %d (%s at %s) was altered: its content does not match its hash", e.Seq, e.Action, e.At.Format("2006-01-02 15:04:05Z"))}, n, nil
		}
		prev = e.Hash
		tree.Add(auditLeaf(e.Hash))
		want++
		n++
		for ; next < len(cps) && cps[next].Size == n; next++ {
			if c := cps[next]; tree.Root() != c.Hash {
				return &netra.ChainProblem{Seq: n, Reason: "rewritten",
					Detail: fmt.Sprintf("entries 1 to %d do not match checkpoint %s of %s, which records them with root hash %s (they now give %s): the log was rewritten after that checkpoint was published",
						n, c.Source, c.Time.Format(time.DateTime+" UTC"), c.Hash, tree.Root())}, n, nil
			}
		}
		if progress != nil && n%100000 == 0 {
			progress(n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, n, err
	}
	if next < len(cps) {
		c := cps[len(cps)-1] // the largest names the full extent of what is missing
		return &netra.ChainProblem{Seq: n + 1, Reason: "truncated",
			Detail: fmt.Sprintf("the log has %d entries but checkpoint %s of %s records %d: the newest %d entries were removed",
				n, c.Source, c.Time.Format(time.DateTime+" UTC"), c.Size, c.Size-n)}, n, nil
	}
	if n != headSeq || prev != headHash {
		return &netra.ChainProblem{Seq: n + 1, Reason: "removed",
			Detail: fmt.Sprintf("the log ends at entry %d but the chain head records entry %d", n, headSeq)}, n, nil
	}
	l, err := s.signLog(ctx, s.r, AuditLog)
	if err != nil {
		return nil, n, err
	}
	if l.size != n {
		return &netra.ChainProblem{Seq: min(n, l.size) + 1, Reason: "tree",
			Detail: fmt.Sprintf("the Merkle tree in the database holds %d entries, the log %d", l.size, n)}, n, nil
	}
	root, err := signlog.TreeHash(n, hashReader{ctx, s.r, l.id})
	if err != nil || root != tree.Root() {
		return &netra.ChainProblem{Seq: n, Reason: "tree",
			Detail: fmt.Sprintf("the Merkle tree in the database does not match the entries (root %s, the entries give %s; %v)", root, tree.Root(), err)}, n, nil
	}
	return nil, n, nil
}

// v1Boundary authenticates the number of the last version 1 entry.
func v1Boundary(k netra.AuditKeys, last int64) string {
	m := hmac.New(sha256.New, k.Chain)
	fmt.Fprintf(m, "netra-audit-v1-last %d", last)
	return hex.EncodeToString(m.Sum(nil))
}

// upgradeAudit runs after the schema migrations: in the run that applies
// migration 2 it authenticates where the version 1 entries end (never
// later, so that clearing the record cannot get a rewritten log accepted),
// and it adds to the Merkle log the entries it lacks.
func (s *Store) upgradeAudit(ctx context.Context, applied []*goose.MigrationResult) error {
	for _, r := range applied {
		if r.Source.Version != 2 {
			continue
		}
		var last int64
		if err := s.w.QueryRowContext(ctx, `SELECT v1_last FROM audit_head WHERE id = 1`).Scan(&last); err != nil {
			return fmt.Errorf("store: audit upgrade: %w", err)
		}
		if _, err := s.w.ExecContext(ctx, `UPDATE audit_head SET v1_mac = $1 WHERE id = 1`, v1Boundary(s.auditKeys(), last)); err != nil {
			return fmt.Errorf("store: audit upgrade: %w", err)
		}
	}
	return s.syncAuditTree(ctx)
}

// syncAuditTree adds to the audit Merkle log the entries it lacks: those
// written before it existed (version 1 entries, at the first start after
// the upgrade). It stops at a gap in the sequence, which VerifyAudit reports.
func (s *Store) syncAuditTree(ctx context.Context) error {
	const batch = 10000
	for {
		l, err := s.signLog(ctx, s.r, AuditLog)
		if err != nil {
			return err
		}
		rows, err := s.r.QueryContext(ctx, `SELECT seq, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT `+fmt.Sprint(batch), l.size)
		if err != nil {
			return fmt.Errorf("store: audit tree: %w", err)
		}
		var seqs []int64
		var hashes []string
		for rows.Next() {
			var seq int64
			var h string
			if err := rows.Scan(&seq, &h); err != nil {
				rows.Close()
				return fmt.Errorf("store: audit tree: %w", err)
			}
			seqs, hashes = append(seqs, seq), append(hashes, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: audit tree: %w", err)
		}
		if len(seqs) == 0 {
			return nil
		}
		// Not an audited write: it adds no fact, only the tree over
		// entries already written.
		t, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		done, err := func(t *sql.Tx) (bool, error) {
			lock := ""
			if s.dialect == Postgres {
				lock = " FOR UPDATE"
			}
			var size int64
			if err := t.QueryRowContext(ctx, `SELECT size FROM signlogs WHERE id = $1`+lock, l.id).Scan(&size); err != nil {
				return false, err
			}
			if size != l.size {
				return false, nil // another node is at it; look again
			}
			for i, seq := range seqs {
				if seq != l.size+1 {
					return true, nil
				}
				if err := appendLeaf(ctx, t, l, l.size, auditLeaf(hashes[i])); err != nil {
					return false, err
				}
				l.size++
			}
			return len(seqs) < batch, nil
		}(t)
		if err != nil {
			_ = t.Rollback()
			return fmt.Errorf("store: audit tree: %w", err)
		}
		if err := t.Commit(); err != nil {
			return fmt.Errorf("store: audit tree: %w", err)
		}
		if done {
			return nil
		}
	}
}

// RedactAudit removes the personal fields (netra.AuditPersonalFields) of
// every audit entry written before the cutoff, when their retention ends.
// Each field's keyed digest is kept in its place (for a version 1 entry, a
// keyed attestation of its hash), so the chain and the Merkle log verify as
// before; a digest cannot be reversed without the master key. Entries are
// checked before they are redacted: one that does not verify is left alone
// and the redaction stops with an ErrConflict error. Each batch of
// redactions is itself audited ("audit.redact"). The actor must be a super
// admin. It returns the number of entries redacted.
func (s *Store) RedactAudit(ctx context.Context, before time.Time) (int64, error) {
	if a := netra.ActorFrom(ctx); a == nil || !a.IsSuperAdmin() {
		return 0, fmt.Errorf("store: redact audit log: %w", netra.ErrForbidden)
	}
	if ms(before) > ms(s.now()) {
		var v netra.ValidationError
		v.Add("before", netra.Msg("audit.redact.future", "the cutoff must not be in the future"))
		return 0, v.Err()
	}
	var last int64
	if err := s.r.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&last); err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	keys := s.auditKeys()
	const batch = 2000
	var total int64
	for {
		var n int
		err := s.write(ctx, func(x *tx) error {
			rows, err := x.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log a WHERE a.seq <= $1 AND a.at < $2
				AND a.redacted = '' AND (a.actor_label <> '' OR a.ip <> '' OR a.summary <> '') ORDER BY a.seq LIMIT `+fmt.Sprint(batch),
				last, ms(before))
			if err != nil {
				return err
			}
			var es []netra.AuditEntry
			for rows.Next() {
				var e netra.AuditEntry
				if err := scanAudit(rows, &e); err != nil {
					rows.Close()
					return err
				}
				es = append(es, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, e := range es {
				if !e.Verify(keys) {
					return fmt.Errorf("entry %d does not verify, so it is not redacted (run netra audit verify): %w", e.Seq, netra.ErrConflict)
				}
				red := map[string]string{}
				if e.Version == netra.AuditV2 {
					for _, f := range netra.AuditPersonalFields {
						red[f] = e.FieldDigest(keys, f)
					}
				} else {
					red["v1"] = e.V1Attestation(keys)
				}
				b, _ := json.Marshal(red)
				if _, err := x.ExecContext(ctx, `UPDATE audit_log SET actor_label = '', ip = '', summary = '', redacted = $1 WHERE seq = $2`,
					string(b), e.Seq); err != nil {
					return err
				}
			}
			n = len(es)
			if n == 0 {
				return nil
			}
			return x.audit(ctx, 0, "audit.redact", "audit", 0, map[string]any{
				"before": before.UTC().Format(time.RFC3339), "entries": n, "first": es[0].Seq, "last": es[n-1].Seq})
		})
		if err != nil {
			return total, fmt.Errorf("store: redact audit log: %w", err)
		}
		total += int64(n)
		if n < batch {
			return total, nil
		}
	}
}
