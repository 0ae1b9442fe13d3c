package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// This file holds the reads behind the audit log page and its exports: a
// search with the filters an auditor uses (person, unit, kind of action),
// the people to pick from, and the names of what a page of entries talks
// about, resolved in one query.

// AuditQuery selects audit entries for the audit page: the filter of
// AuditEntries plus a unit and a kind of action. Zero values are ignored.
type AuditQuery struct {
	netra.AuditFilter
	// UnitID keeps the entries about the unit, its sub-units and the
	// employees who work in them now.
	UnitID int64
	// Kind is "read" (every read of protected data), or an action prefix
	// ending in "." ("employee.") without the reads.
	Kind string
}

// AuditSearch lists the audit entries the actor may read that match q,
// newest first, at most q.Limit (100 when zero, 500 at most). Scoping is
// that of AuditEntries.
func (s *Store) AuditSearch(ctx context.Context, q AuditQuery) ([]netra.AuditEntry, error) {
	sc, err := scopeOf(ctx, netra.PermAuditRead)
	if err != nil {
		return nil, err
	}
	f := q.AuditFilter
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
	prefix := func(p string) {
		where = append(where, "a.action >= "+a.add(p), "a.action < "+a.add(p[:len(p)-1]+"/"))
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			prefix(f.Action)
		} else {
			where = append(where, "a.action = "+a.add(f.Action))
		}
	}
	switch {
	case q.Kind == "":
	case q.Kind == "read":
		where = append(where, "a.action LIKE '%.read'")
	case strings.HasSuffix(q.Kind, "."):
		prefix(q.Kind)
		where = append(where, "a.action NOT LIKE '%.read'")
	default:
		return nil, netra.Invalid("kind", netra.Msg("Jenis tindakan tidak dikenal.", "Unknown kind of action."))
	}
	if f.ObjectType != "" {
		where = append(where, "a.object_type = "+a.add(f.ObjectType))
	}
	if f.ObjectID != "" {
		where = append(where, "a.object_id = "+a.add(f.ObjectID))
	}
	if q.UnitID != 0 {
		var tenantID int64
		var path string
		err := s.r.QueryRowContext(ctx, `SELECT tenant_id, path FROM org_units WHERE id = $1`, q.UnitID).Scan(&tenantID, &path)
		if err != nil {
			return nil, fmt.Errorf("store: audit unit %d: %w", q.UnitID, notFound(err))
		}
		lo, hi := subtree(path)
		t, l, h := a.add(tenantID), a.add(lo), a.add(hi)
		where = append(where, "a.tenant_id = "+t, `((a.object_type = 'unit' AND a.object_id IN
			(SELECT CAST(u.id AS TEXT) FROM org_units u WHERE u.tenant_id = `+t+` AND u.path >= `+l+` AND u.path < `+h+`))
			OR (a.object_type = 'employee' AND a.object_id IN (SELECT CAST(e.id AS TEXT) FROM employees e
			JOIN org_units u ON u.id = e.unit_id WHERE u.tenant_id = `+t+` AND u.path >= `+l+` AND u.path < `+h+`)))`)
	}
	return s.auditPage(ctx, where, &a, f, "search")
}

// notFound turns sql.ErrNoRows into netra.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return netra.ErrNotFound
	}
	return err
}

// AuditPerson is someone the audit log can be filtered by.
type AuditPerson struct {
	ID             int64
	Username, Name string
}

// AuditPeople lists the staff users holding a role in a government within
// the actor's audit.read scope (every staff user for a super admin), by
// name, at most 500.
func (s *Store) AuditPeople(ctx context.Context) ([]AuditPerson, error) {
	sc, err := scopeOf(ctx, netra.PermAuditRead)
	if err != nil {
		return nil, err
	}
	var a args
	cond := "TRUE"
	if !sc.All {
		cond = "us.id IN (SELECT g.user_id FROM role_grants g JOIN tenants t ON t.id = g.tenant_id WHERE " +
			scopeSQL(sc, &a, "t.path", "t.id", "") + ")"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT us.id, us.username, us.name FROM users us WHERE `+cond+
		` AND us.employee_id IS NULL ORDER BY us.name, us.id LIMIT 500`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: audit people: %w", err)
	}
	defer rows.Close()
	var out []AuditPerson
	for rows.Next() {
		var p AuditPerson
		if err := rows.Scan(&p.ID, &p.Username, &p.Name); err != nil {
			return nil, fmt.Errorf("store: audit people: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AuditNames holds the names a page of audit entries refers to by id.
// A missing id (deleted, or outside the actor's scope) has no entry.
type AuditNames struct {
	Users, Employees, Units, Tenants, Imports, Tokens map[int64]string
}

// AuditNamesFor resolves, in one query, the names of the actors, objects,
// units and governments that entries mention: user and token actors, the
// object of each entry, and unit_id, parent_id and tenant_id values in the
// summaries. Employees, units, imports and tokens are named only within
// the actor's audit.read scope.
func (s *Store) AuditNamesFor(ctx context.Context, es []netra.AuditEntry) (*AuditNames, error) {
	sc, err := scopeOf(ctx, netra.PermAuditRead)
	if err != nil {
		return nil, err
	}
	n := &AuditNames{Users: map[int64]string{}, Employees: map[int64]string{}, Units: map[int64]string{},
		Tenants: map[int64]string{}, Imports: map[int64]string{}, Tokens: map[int64]string{}}
	want := map[string]map[int64]bool{"u": {}, "e": {}, "o": {}, "t": {}, "i": {}, "k": {}}
	add := func(kind string, id int64) {
		if id > 0 {
			want[kind][id] = true
		}
	}
	objKind := map[string]string{"user": "u", "employee": "e", "unit": "o", "tenant": "t", "import": "i", "token": "k"}
	for _, e := range es {
		add("u", e.ActorID)
		add("k", e.TokenID)
		add("t", e.TenantID)
		if k, ok := objKind[e.ObjectType]; ok {
			id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
			add(k, id)
		}
		for field, ids := range summaryIDs(e.Summary) {
			for _, id := range ids {
				switch field {
				case "unit_id", "parent_id":
					add("o", id)
				case "tenant_id":
					add("t", id)
				case "employee_id":
					add("e", id)
				}
			}
		}
	}
	var a args
	in := func(kind string) string {
		ps := make([]string, 0, len(want[kind]))
		for id := range want[kind] {
			ps = append(ps, a.add(id))
		}
		return strings.Join(ps, ", ")
	}
	scoped := func(col string) string {
		if sc.All {
			return ""
		}
		return " AND " + scopeSQL(sc, &a, "", col, "")
	}
	var parts []string
	if len(want["u"]) > 0 {
		parts = append(parts, `SELECT 'u', us.id, COALESCE(e.name, us.name) FROM users us
			LEFT JOIN employees e ON e.id = us.employee_id WHERE us.id IN (`+in("u")+`)`)
	}
	if len(want["e"]) > 0 {
		parts = append(parts, `SELECT 'e', e.id, e.name FROM employees e WHERE e.id IN (`+in("e")+`)`+scoped("e.tenant_id"))
	}
	if len(want["o"]) > 0 {
		parts = append(parts, `SELECT 'o', u.id, u.name FROM org_units u WHERE u.id IN (`+in("o")+`)`+scoped("u.tenant_id"))
	}
	if len(want["t"]) > 0 {
		parts = append(parts, `SELECT 't', t.id, t.name FROM tenants t WHERE t.id IN (`+in("t")+`)`)
	}
	if len(want["i"]) > 0 {
		parts = append(parts, `SELECT 'i', i.id, i.filename FROM imports i WHERE i.id IN (`+in("i")+`)`+scoped("i.tenant_id"))
	}
	if len(want["k"]) > 0 {
		parts = append(parts, `SELECT 'k', k.id, k.name FROM api_tokens k WHERE k.id IN (`+in("k")+`)`+scoped("k.tenant_id"))
	}
	if len(parts) == 0 {
		return n, nil
	}
	rows, err := s.r.QueryContext(ctx, strings.Join(parts, " UNION ALL "), a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: audit names: %w", err)
	}
	defer rows.Close()
	dst := map[string]map[int64]string{"u": n.Users, "e": n.Employees, "o": n.Units, "t": n.Tenants, "i": n.Imports, "k": n.Tokens}
	for rows.Next() {
		var kind, name string
		var id int64
		if err := rows.Scan(&kind, &id, &name); err != nil {
			return nil, fmt.Errorf("store: audit names: %w", err)
		}
		dst[kind][id] = name
	}
	return n, rows.Err()
}

// summaryIDs returns the numeric values of a summary's top-level fields,
// plain ({"unit_id": 3}) or changed ({"unit_id": {"from": 3, "to": 4}}).
func summaryIDs(summary string) map[string][]int64 {
	if summary == "" || summary[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(summary), &m) != nil {
		return nil
	}
	out := map[string][]int64{}
	for k, raw := range m {
		var id int64
		if json.Unmarshal(raw, &id) == nil {
			out[k] = append(out[k], id)
			continue
		}
		var ch struct{ From, To *int64 }
		if json.Unmarshal(raw, &ch) == nil {
			if ch.From != nil {
				out[k] = append(out[k], *ch.From)
			}
			if ch.To != nil {
				out[k] = append(out[k], *ch.To)
			}
		}
	}
	return out
}
