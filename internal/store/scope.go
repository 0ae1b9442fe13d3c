package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// args collects query arguments and hands out their placeholders, so that
// $1…$n are numbered in order of first use.
type args struct{ v []any }

func (a *args) add(v any) string {
	a.v = append(a.v, v)
	return "$" + strconv.Itoa(len(a.v))
}

// scopeOf returns where the actor in ctx may exercise p: ErrUnauthenticated
// without an actor, ErrForbidden when the permission reaches nothing.
func scopeOf(ctx context.Context, p netra.Permission) (netra.Scope, error) {
	a := netra.ActorFrom(ctx)
	if a == nil {
		return netra.Scope{}, netra.ErrUnauthenticated
	}
	s := a.ScopeFor(p)
	if s.Empty() {
		return s, fmt.Errorf("%s: %w", p, netra.ErrForbidden)
	}
	return s, nil
}

// scopeSQL returns an SQL condition that holds for rows within the scope. An
// Exact area (a write permission) matches its own tenant by id only.
// tenantPath and tenantID name the tenant's path and id columns, unitPath
// the unit's path column ("" where the query has no unit: then a grant
// limited to a unit subtree reaches nothing). With tenantPath "" governments
// are matched by id through a subquery, so the query needs no join to
// tenants.
func scopeSQL(s netra.Scope, a *args, tenantPath, tenantID, unitPath string) string {
	if s.All {
		return "TRUE"
	}
	var ors []string
	for _, ar := range s.Areas {
		if ar.UnitPath == "" && ar.Exact {
			// The tenant alone (a write permission): matched by id.
			ors = append(ors, fmt.Sprintf("%s = %s", tenantID, a.add(ar.TenantID)))
			continue
		}
		if ar.UnitPath == "" && ar.TenantPath == "/"+netra.NationalCode+"/" {
			return "TRUE" // the national government's area holds every other
		}
		if ar.UnitPath == "" && tenantPath == "" {
			lo, hi := subtree(ar.TenantPath)
			ors = append(ors, fmt.Sprintf("%s IN (SELECT id FROM tenants WHERE path >= %s AND path < %s)", tenantID, a.add(lo), a.add(hi)))
		} else if ar.UnitPath == "" {
			lo, hi := subtree(ar.TenantPath)
			ors = append(ors, fmt.Sprintf("(%s >= %s AND %s < %s)", tenantPath, a.add(lo), tenantPath, a.add(hi)))
		} else if unitPath != "" {
			lo, hi := subtree(ar.UnitPath)
			ors = append(ors, fmt.Sprintf("(%s = %s AND %s >= %s AND %s < %s)", tenantID, a.add(ar.TenantID), unitPath, a.add(lo), unitPath, a.add(hi)))
		}
	}
	if len(ors) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

// auditList records that the actor in ctx read a list of protected data
// (employees, users): one entry per request, with the filter and how many
// rows went out in summary, never the rows, so that auditing a page costs
// one insert whatever its size. The program's own lists (the system actor:
// the demo loader, jobs) reach no person and are not recorded; a person at
// the command line reads single records and refused cells, which are.
func (s *Store) auditList(ctx context.Context, tenantID int64, objType string, summary map[string]any) error {
	if a := netra.ActorFrom(ctx); a != nil && a.UserID == 0 && a.TokenID == 0 && a.IsSuperAdmin() {
		return nil
	}
	return s.write(ctx, func(x *tx) error {
		return x.audit(ctx, tenantID, objType+".list", objType, 0, summary)
	})
}

// homeTenant returns the government of a scope with a single area (where
// its audit entries belong), or 0.
func homeTenant(sc netra.Scope) int64 {
	if !sc.All && len(sc.Areas) == 1 {
		return sc.Areas[0].TenantID
	}
	return 0
}

// forWrite is the answer of every "load a row for writing" path once the row
// is found: nil when the actor may change it, ErrForbidden when it may only
// read it (it knows the row exists), ErrNotFound when it may not even read
// it (it must not learn that the row exists). kind and id name the row in
// the error.
func forWrite(kind string, id int64, mayWrite, mayRead bool) error {
	switch {
	case mayWrite:
		return nil
	case mayRead:
		return fmt.Errorf("%s %d: %w", kind, id, netra.ErrForbidden)
	}
	return fmt.Errorf("%s %d: %w", kind, id, netra.ErrNotFound)
}
