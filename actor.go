package netra

import (
	"context"
	"strings"
)

// Grant is one role held on a tenant, optionally limited to a unit subtree.
// TenantPath and UnitPath are filled by the store so that scope checks need
// no further query: TenantPath is "/00/62/62.71/", UnitPath "/4/17/".
type Grant struct {
	ID         int64
	UserID     int64
	Role       Role
	TenantID   int64 // 0 only for RoleSuperAdmin
	TenantCode string
	TenantPath string
	UnitID     int64 // 0: the whole tenant
	UnitPath   string
	UnitName   string
}

// Actor is who is acting: a signed-in user, an API token, or the system
// itself (the command line, the demo loader, background jobs). The store
// refuses every write without one.
type Actor struct {
	UserID     int64
	TokenID    int64
	EmployeeID int64  // the employee record of an employee user
	Label      string // "user:budi", "token:siasn-sync", "cli", "system"
	IP         string
	Grants     []Grant
	// Anonymous marks a member of the public who acts without signing in
	// (see Anonymous); the store records nothing that could identify them.
	Anonymous bool
}

// AnonymousLabel is the only thing the audit log records of an anonymous actor.
const AnonymousLabel = "anonim"

// Anonymous returns the actor of a member of the public acting without an
// account, such as a whistle-blower filing a report. The audit log records
// it as "anonim" and nothing else: no user or token id, no IP address, no
// user agent — the store blanks them even if a caller filled them in. It
// holds no grants.
func Anonymous() *Actor {
	return &Actor{Label: AnonymousLabel, Anonymous: true}
}

// System returns an actor for work the program does on its own behalf
// (migrations, the demo loader, the command line, jobs). It may do anything.
func System(label string) *Actor {
	return &Actor{Label: label, Grants: []Grant{{Role: RoleSuperAdmin}}}
}

// IsSuperAdmin reports whether the actor holds the super admin role.
func (a *Actor) IsSuperAdmin() bool {
	for _, g := range a.Grants {
		if g.Role == RoleSuperAdmin {
			return true
		}
	}
	return false
}

// Can reports whether the actor holds p anywhere.
func (a *Actor) Can(p Permission) bool {
	if p == PermPublic {
		return true
	}
	if p == PermSignedIn {
		return a != nil && (a.UserID != 0 || a.TokenID != 0 || a.IsSuperAdmin())
	}
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Role.Has(p) {
			return true
		}
	}
	return false
}

// GrantsFor returns the grants that carry p.
func (a *Actor) GrantsFor(p Permission) []Grant {
	if a == nil {
		return nil
	}
	var out []Grant
	for _, g := range a.Grants {
		if g.Role.Has(p) {
			out = append(out, g)
		}
	}
	return out
}

// Scope is the part of the data an actor may reach with one permission: a
// set of tenants (for an oversight permission a tenant and those below it,
// for any other the tenant alone), each possibly narrowed to a unit subtree.
// All is set for super admins.
type Scope struct {
	All   bool
	Areas []ScopeArea
}

// ScopeArea is one reachable area: a tenant subtree, the tenant alone when
// Exact is set, or a unit subtree inside one tenant when UnitPath is set (a
// unit subtree never reaches another tenant).
type ScopeArea struct {
	TenantID   int64
	TenantPath string
	UnitPath   string
	// Exact limits the area to the tenant itself: the tenants below it are
	// outside. Set for every permission that is not an oversight one.
	Exact bool
}

// ScopeFor returns where the actor may exercise p. For an oversight
// permission (reads) a grant reaches the tenants below its tenant; for any
// other (writes) only its own tenant: each government keeps its own staff.
// An empty scope reaches nothing.
func (a *Actor) ScopeFor(p Permission) Scope {
	return a.scopeFor(p, !p.Oversight())
}

// ScopeWithSubtreeFor returns where the actor holds p counting the tenants
// below each grant's tenant, whatever p is. It is not where the actor may
// exercise p (that is ScopeFor): it serves the few decisions the law gives
// to a common ancestor of two governments, such as confirming a transfer
// between two regencies of one province.
func (a *Actor) ScopeWithSubtreeFor(p Permission) Scope {
	return a.scopeFor(p, false)
}

func (a *Actor) scopeFor(p Permission, exact bool) Scope {
	var s Scope
	for _, g := range a.GrantsFor(p) {
		if g.Role == RoleSuperAdmin {
			return Scope{All: true}
		}
		s.Areas = append(s.Areas, ScopeArea{TenantID: g.TenantID, TenantPath: g.TenantPath, UnitPath: g.UnitPath, Exact: exact})
	}
	return s
}

// Empty reports whether the scope reaches nothing.
func (s Scope) Empty() bool { return !s.All && len(s.Areas) == 0 }

// CoversTenant reports whether the whole of the tenant with path tp (all its
// units) is within the scope.
func (s Scope) CoversTenant(tp string) bool {
	if s.All {
		return true
	}
	for _, a := range s.Areas {
		if a.UnitPath == "" && (tp == a.TenantPath || !a.Exact && strings.HasPrefix(tp, a.TenantPath)) {
			return true
		}
	}
	return false
}

// ReachesTenant reports whether any part of the tenant with path tp is in
// the scope (the whole tenant, or one of its unit subtrees).
func (s Scope) ReachesTenant(tenantID int64, tp string) bool {
	if s.CoversTenant(tp) {
		return true
	}
	for _, a := range s.Areas {
		if a.UnitPath != "" && a.TenantID == tenantID {
			return true
		}
	}
	return false
}

// CoversUnit reports whether a unit (of the tenant with id tenantID and path
// tp, with unit path up) is within the scope.
func (s Scope) CoversUnit(tenantID int64, tp, up string) bool {
	if s.CoversTenant(tp) {
		return true
	}
	for _, a := range s.Areas {
		if a.UnitPath != "" && a.TenantID == tenantID && strings.HasPrefix(up, a.UnitPath) {
			return true
		}
	}
	return false
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
