package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/netra-id/netra"
)

// errNoActor is returned for a write attempted without an actor in the context.
var errNoActor = errors.New("store: write refused: no actor in context")

// tx is a write transaction together with the actor it runs for. Every
// change made through it is audited before it commits.
type tx struct {
	queryer
	s     *Store
	actor *netra.Actor
	now   int64
}

// write runs fn in a write transaction for the actor in ctx and commits it.
// Without an actor nothing runs.
func (s *Store) write(ctx context.Context, fn func(tx *tx) error) error {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return errNoActor
	}
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	x := &tx{queryer: t, s: s, actor: a, now: s.now().UnixMilli()}
	if err := fn(x); err != nil {
		_ = t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// audit appends an entry to the hash-chained audit log inside the
// transaction, and its hash as the next leaf of the signed audit Merkle log.
// summary is encoded as JSON unless it is already a string. The chain head
// row serialises appenders: SQLite has one writer anyway, and on PostgreSQL
// the row locks order concurrent transactions so that the sequence has no
// gaps and each entry chains onto the one committed before.
func (x *tx) audit(ctx context.Context, tenantID int64, action, objType string, objID int64, summary any) error {
	return appendAudit(ctx, x, tenantID, action, objType, idString(objID), summary)
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func appendAudit(ctx context.Context, x *tx, tenantID int64, action, objType, objID string, summary any) error {
	e, err := x.auditEntry(x.actor, tenantID, action, objType, objID, summary)
	if err != nil {
		return err
	}
	lock := ""
	if x.s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	l := signLog{name: AuditLog}
	if err := x.QueryRowContext(ctx, `SELECT h.seq, h.hash, l.id, l.size FROM audit_head h, signlogs l
		WHERE h.id = 1 AND l.name = 'audit'`+lock).Scan(&seq, &e.PrevHash, &l.id, &l.size); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	e.Seq = seq + 1
	e.Hash = e.KeyedHash(x.s.auditKeys())
	if _, err := x.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, token_id, actor_label, ip, tenant_id,
		action, object_type, object_id, summary, prev_hash, hash, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		e.Seq, x.now, e.ActorID, e.TokenID, e.ActorLabel, e.IP, e.TenantID, e.Action, e.ObjectType, e.ObjectID,
		e.Summary, e.PrevHash, e.Hash, e.Version); err != nil {
		return fmt.Errorf("store: append audit: %w", err)
	}
	if _, err := x.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("store: advance audit head: %w", err)
	}
	return appendLeaf(ctx, x.queryer, l, seq, auditLeaf(e.Hash))
}

// auditEntry is the entry an actor's act makes, before it is chained: the
// one way an entry is built, whether appended alone (appendAudit) or in a
// batch (appendAudits). summary is encoded as JSON unless it is a string.
func (x *tx) auditEntry(a *netra.Actor, tenantID int64, action, objType, objID string, summary any) (netra.AuditEntry, error) {
	var text string
	switch v := summary.(type) {
	case nil:
	case string:
		text = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return netra.AuditEntry{}, fmt.Errorf("store: audit summary: %w", err)
		}
		text = string(b)
	}
	e := netra.AuditEntry{
		At: fromMS(x.now), ActorID: a.UserID, TokenID: a.TokenID, ActorLabel: a.Label, IP: a.IP,
		TenantID: tenantID, Action: action, ObjectType: objType, ObjectID: objID, Summary: text, Version: netra.AuditV2,
	}
	if a.Anonymous {
		// Whatever the caller filled in, nothing that could identify a
		// member of the public reaches the log.
		e.ActorID, e.TokenID, e.ActorLabel, e.IP = 0, 0, netra.AnonymousLabel, ""
	}
	return e, nil
}

// AuditRead records that the actor in ctx read protected data, in a
// transaction of its own.
func (s *Store) AuditRead(ctx context.Context, tenantID int64, objType string, objID int64, summary any) error {
	return s.write(ctx, func(x *tx) error {
		return x.audit(ctx, tenantID, objType+".read", objType, objID, summary)
	})
}

// change is one field's before and after value in an audit summary.
type change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// diff adds field to m when before and after differ.
func diff[T comparable](m map[string]change, field string, before, after T) {
	if before != after {
		m[field] = change{before, after}
	}
}
