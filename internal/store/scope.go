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

// scopeSQL returns an SQL condition that holds for rows within the scope.
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
