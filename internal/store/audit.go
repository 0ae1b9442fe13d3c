package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

const auditCols = `a.seq, a.at, a.actor_id, a.token_id, a.actor_label, a.ip, a.tenant_id, a.action, a.object_type,
	a.object_id, a.summary, a.prev_hash, a.hash, a.version, a.redacted`

func scanAudit(row interface{ Scan(...any) error }, e *netra.AuditEntry) error {
	var at int64
	var redacted string
	if err := row.Scan(&e.Seq, &at, &e.ActorID, &e.TokenID, &e.ActorLabel, &e.IP, &e.TenantID, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Summary, &e.PrevHash, &e.Hash, &e.Version, &redacted); err != nil {
		return err
	}
	e.At = fromMS(at)
	e.Redacted = nil
	if redacted != "" {
		// A redaction record that does not parse verifies as nothing: the
		// entry is reported as altered.
		if err := json.Unmarshal([]byte(redacted), &e.Redacted); err != nil || e.Redacted == nil {
			e.Redacted = map[string]string{"invalid": redacted}
		}
	}
	return nil
}

// auditKeys returns the keys of the keyed chain, derived from the master key.
func (s *Store) auditKeys() netra.AuditKeys {
	return netra.AuditKeys{Field: s.keys.MACKey("audit/field"), Chain: s.keys.MACKey("audit/chain")}
}

// auditLeaf is the leaf of the audit Merkle log for an entry with hash h.
func auditLeaf(h string) signlog.Hash { return signlog.RecordHash([]byte(h)) }

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
	return s.auditPage(ctx, where, &a, f, "entries")
}

// auditPage ends every audit query: the period and keyset conditions of f
// on top of the caller's, newest first, one page of at most 500.
func (s *Store) auditPage(ctx context.Context, where []string, a *args, f netra.AuditFilter, what string) ([]netra.AuditEntry, error) {
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
		return nil, fmt.Errorf("store: audit %s: %w", what, err)
	}
	defer rows.Close()
	var out []netra.AuditEntry
	for rows.Next() {
		var e netra.AuditEntry
		if err := scanAudit(rows, &e); err != nil {
			return nil, fmt.Errorf("store: audit %s: %w", what, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
