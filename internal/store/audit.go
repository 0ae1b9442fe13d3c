package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

const auditCols = `a.seq, a.at, a.actor_id, a.token_id, a.actor_label, a.ip, a.tenant_id, a.action, a.object_type,
	a.object_id, a.summary, a.prev_hash, a.hash`

func scanAudit(row interface{ Scan(...any) error }, e *netra.AuditEntry) error {
	var at int64
	if err := row.Scan(&e.Seq, &at, &e.ActorID, &e.TokenID, &e.ActorLabel, &e.IP, &e.TenantID, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash); err != nil {
		return err
	}
	e.At = fromMS(at)
	return nil
}

// AuditEntries lists audit entries the actor may read, newest first. An
// auditor or admin of a tenant sees the entries of the tenants in scope;
// entries with no tenant (sign-ins, system work) only a super admin sees.
func (s *Store) AuditEntries(ctx context.Context, f netra.AuditFilter) ([]netra.AuditEntry, error) {
	sc, err := scopeOf(ctx, netra.PermAuditRead)
	if err != nil {
		return nil, err
	}
	var a args
	where := []string{"TRUE"}
	if !sc.All {
		where = append(where, "a.tenant_id IN (SELECT t.id FROM tenants t WHERE "+scopeSQL(sc, &a, "t.path", "t.id", "")+")")
	}
	if f.TenantID != 0 {
		where = append(where, "a.tenant_id = "+a.add(f.TenantID))
	}
	if f.ActorID != 0 {
		where = append(where, "a.actor_id = "+a.add(f.ActorID))
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			where = append(where, "a.action >= "+a.add(f.Action), "a.action < "+a.add(f.Action[:len(f.Action)-1]+"/"))
		} else {
			where = append(where, "a.action = "+a.add(f.Action))
		}
	}
	if f.ObjectType != "" {
		where = append(where, "a.object_type = "+a.add(f.ObjectType))
	}
	if f.ObjectID != "" {
		where = append(where, "a.object_id = "+a.add(f.ObjectID))
	}
	if !f.From.IsZero() {
		where = append(where, "a.at >= "+a.add(ms(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "a.at < "+a.add(ms(f.To)))
	}
	if f.BeforeSeq > 0 {
		where = append(where, "a.seq < "+a.add(f.BeforeSeq))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log a WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.seq DESC LIMIT `+strconv.Itoa(limit), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	defer rows.Close()
	var out []netra.AuditEntry
	for rows.Next() {
		var e netra.AuditEntry
		if err := scanAudit(rows, &e); err != nil {
			return nil, fmt.Errorf("store: audit entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit recomputes the whole hash chain in sequence order and returns
// the first problem, or nil when the chain is intact. It also checks the
// chain head, so that removing the newest entries is caught. progress, if
// not nil, is called with the number of entries checked so far.
func (s *Store) VerifyAudit(ctx context.Context, progress func(n int64)) (*netra.ChainProblem, int64, error) {
	var headSeq int64
	var headHash string
	if err := s.r.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, 0, fmt.Errorf("store: audit head: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log a ORDER BY a.seq`)
	if err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var n, want int64 = 0, 1
	prev := ""
	for rows.Next() {
		var e netra.AuditEntry
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
		case e.ComputeHash() != e.Hash:
			return &netra.ChainProblem{Seq: e.Seq, Reason: "altered",
				Detail: fmt.Sprintf("entry %d (%s at %s) was altered: its content does not match its hash", e.Seq, e.Action, e.At.Format("2006-01-02 15:04:05Z"))}, n, nil
		}
		prev = e.Hash
		want++
		n++
		if progress != nil && n%100000 == 0 {
			progress(n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, n, err
	}
	if n != headSeq || prev != headHash {
		return &netra.ChainProblem{Seq: n + 1, Reason: "removed",
			Detail: fmt.Sprintf("the log ends at entry %d but the chain head records entry %d", n, headSeq)}, n, nil
	}
	return nil, n, nil
}
