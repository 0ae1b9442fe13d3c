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
// transaction. summary is encoded as JSON unless it is already a string.
// The chain head row serialises appenders: SQLite has one writer anyway, and
// on PostgreSQL the row lock orders concurrent transactions so that the
// sequence has no gaps and each entry chains onto the one committed before.
func (x *tx) audit(ctx context.Context, tenantID int64, action, objType string, objID int64, summary any) error {
	return appendAudit(ctx, x.queryer, x.s.dialect, x.actor, x.now, tenantID, action, objType, idString(objID), summary)
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func appendAudit(ctx context.Context, t queryer, d Dialect, a *netra.Actor, now int64, tenantID int64, action, objType, objID string, summary any) error {
	var text string
	switch v := summary.(type) {
	case nil:
	case string:
		text = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("store: audit summary: %w", err)
		}
		text = string(b)
	}
	lock := ""
	if d == Postgres {
		lock = " FOR UPDATE"
	}
	e := netra.AuditEntry{
		At: fromMS(now), ActorID: a.UserID, TokenID: a.TokenID, ActorLabel: a.Label, IP: a.IP,
		TenantID: tenantID, Action: action, ObjectType: objType, ObjectID: objID, Summary: text,
	}
	var seq int64
	if err := t.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&seq, &e.PrevHash); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	e.Seq = seq + 1
	e.Hash = e.ComputeHash()
	if _, err := t.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor_id, token_id, actor_label, ip, tenant_id,
		action, object_type, object_id, summary, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		e.Seq, now, e.ActorID, e.TokenID, e.ActorLabel, e.IP, e.TenantID, e.Action, e.ObjectType, e.ObjectID,
		e.Summary, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("store: append audit: %w", err)
	}
	if _, err := t.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("store: advance audit head: %w", err)
	}
	return nil
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
