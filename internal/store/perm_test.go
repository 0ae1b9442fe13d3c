package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestSQLiteFilesOwnerOnly checks that the database, its WAL files and a
// folder the store creates are for the owner alone, whatever the umask, and
// that an old world-readable database is tightened at open.
func TestSQLiteFilesOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o002)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "netra.db")
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(netra.WithActor(ctx, netra.System("test")), 0, "test.write", "test", 0, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	for p, m := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != m {
			t.Errorf("%s: mode %o, want %o", filepath.Base(p), got, m)
		}
	}
	s.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("reopened world-readable database: mode %o, want 600", fi.Mode().Perm())
	}
}

// refused reports whether err is a refusal on scope grounds: forbidden, not
// found, or a field error naming the unit or tenant as out of reach.
func refused(err error) bool {
	if errors.Is(err, netra.ErrForbidden) || errors.Is(err, netra.ErrNotFound) {
		return true
	}
	_, ok := netra.AsValidation(err)
	return ok
}

// TestEachGovernmentKeepsItsOwnStaff: every write permission, exercised on
// Kota Palangka Raya's data, is allowed to the city's admin, to an admin
// limited to one of its units (inside that unit), and to a super admin, and
// refused to the admins of the province and the national government above
// it and of another city; the province and national admins still read the
// city's tenant, units, employees and audit log (oversight), and only a super
// admin creates a tenant.
func TestEachGovernmentKeepsItsOwnStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		smp := mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SMP", "Bidang SMP", netra.UnitBidang)
		type grantee struct {
			name  string
			ctx   context.Context
			write bool // may write the city's data inside Dinas Pendidikan
			read  bool // may read the city's data
		}
		super := netra.WithActor(context.Background(), &netra.Actor{UserID: 900, Label: "user:super", Grants: []netra.Grant{{Role: netra.RoleSuperAdmin}}})
		gs := []grantee{
			{"super admin", super, true, true},
			{"city admin", asUser(901, netra.RoleTenantAdmin, w.city, nil), true, true},
			{"unit admin", asUser(902, netra.RoleTenantAdmin, w.city, w.disdik), true, true},
			{"province admin", asUser(903, netra.RoleTenantAdmin, w.prov, nil), false, true},
			{"national admin", asUser(904, netra.RoleTenantAdmin, w.nat, nil), false, true},
			{"other city admin", asUser(905, netra.RoleTenantAdmin, w.other, nil), false, false},
		}
		tk := &store.APIToken{Name: "kota", Grant: netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID}}
		if err := s.CreateAPIToken(sys(), tk, "hash-kota"); err != nil {
			t.Fatal(err)
		}
		for i, g := range gs {
			n := int64(i)
			// The record each grantee tries to change, created by the system.
			e := mustEmployee(t, s, w.bidSD.ID, "1986092620150510"+fmt.Sprintf("%02d", n+1), "Pegawai "+g.name)
			check := func(perm, op string, err error) {
				t.Helper()
				switch {
				case g.write && err != nil:
					t.Errorf("%s: %s %s: %v, want allowed", g.name, perm, op, err)
				case !g.write && !refused(err):
					t.Errorf("%s: %s %s: %v, want refused", g.name, perm, op, err)
				}
			}
			// unit.manage
			check("unit.manage", "create unit", s.CreateUnit(g.ctx, &netra.OrgUnit{TenantID: w.city.ID, ParentID: w.disdik.ID,
				Code: "DISDIK.X" + fmtInt(n), Name: "Bidang X" + fmtInt(n), Type: netra.UnitBidang}))
			newName := "Bidang SD " + g.name
			_, err := s.UpdateUnit(g.ctx, w.bidSD.ID, store.UnitUpdate{Name: &newName})
			check("unit.manage", "rename unit", err)
			// employee.write
			check("employee.write", "create employee", s.CreateEmployee(g.ctx, &netra.Employee{NIP: "1987031520100110" + fmt.Sprintf("%02d", n+1),
				Name: "Baru " + g.name, Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: w.bidSD.ID}))
			name := "Ubah " + g.name
			_, err = s.UpdateEmployee(g.ctx, e.ID, store.EmployeeUpdate{Name: &name})
			check("employee.write", "edit employee", err)
			if g.read && !g.write && !errors.Is(err, netra.ErrForbidden) {
				t.Errorf("%s edits a record it reads: %v, want forbidden (not hidden)", g.name, err)
			}
			_, err = s.UpdateEmployee(g.ctx, e.ID, store.EmployeeUpdate{UnitID: &smp.ID})
			check("employee.write", "move employee", err)
			// employee.import
			check("employee.import", "create import", s.CreateImport(g.ctx, &netra.Import{TenantID: w.city.ID, Filename: "r.csv",
				BlobKey: "imports/r" + fmtInt(n) + ".csv", SHA256: "00"}, nil))
			// user.manage
			u := &netra.User{Username: "kota.verif" + fmtInt(n), Name: "Verifikator", Email: "v" + fmtInt(n) + "@netra.test", PasswordHash: "x",
				Grants: []netra.Grant{{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.disdik.ID}}}
			check("user.manage", "create user", s.CreateUser(g.ctx, u))
			target := mustStaff(t, s, "sasaran"+fmtInt(n), netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.bidSD.ID})
			check("user.manage", "grant role", s.Grant(g.ctx, target.ID, netra.RoleAuditor, w.city.ID, w.disdik.ID))

			// Oversight: the reads reach the city from above.
			readErr := func(op string, err error) {
				t.Helper()
				if g.read && err != nil {
					t.Errorf("%s: %s: %v, want allowed", g.name, op, err)
				} else if !g.read && err == nil {
					t.Errorf("%s: %s allowed, want refused", g.name, op)
				}
			}
			_, err = s.Tenant(g.ctx, w.city.ID)
			readErr("tenant.read city", err)
			_, err = s.Unit(g.ctx, w.bidSD.ID)
			readErr("unit.read Bidang SD", err)
			_, err = s.Employee(g.ctx, e.ID)
			readErr("employee.read", err)
			if pg, err := s.Employees(g.ctx, netra.EmployeeFilter{TenantID: w.city.ID, Search: e.NIP}); err != nil {
				t.Errorf("%s lists the city's employees: %v", g.name, err)
			} else if got := len(pg.Employees) == 1; got != g.read {
				t.Errorf("%s lists %d of the city's employees, want read=%v", g.name, len(pg.Employees), g.read)
			}
		}

		// Audit entries of the city are overseen from the province.
		prov := asUser(903, netra.RoleTenantAdmin, w.prov, nil)
		if es, err := s.AuditEntries(prov, netra.AuditFilter{Action: "employee.create"}); err != nil || len(es) == 0 {
			t.Errorf("province admin reads the city's audit log: %d entries, %v", len(es), err)
		}
		// The lists of a write permission (users, tokens) hold only the
		// province's own; the national one's SQL shortcut ("everything")
		// applies to oversight only.
		for name, ctx := range map[string]context.Context{"province": prov, "national": asUser(904, netra.RoleTenantAdmin, w.nat, nil)} {
			if us, err := s.Users(ctx, ""); err != nil || len(us) != 0 {
				t.Errorf("%s admin lists %d of the city's users, %v", name, len(us), err)
			}
			if ts, err := s.APITokens(ctx); err != nil || len(ts) != 0 {
				t.Errorf("%s admin lists %d tokens, %v", name, len(ts), err)
			}
		}
		if us, err := s.Users(asUser(901, netra.RoleTenantAdmin, w.city, nil), ""); err != nil || len(us) == 0 {
			t.Errorf("city admin lists %d users, %v", len(us), err)
		}
		// Creating a government stays with super admins.
		if err := s.CreateTenant(prov, &netra.Tenant{Code: "62.72", Name: "Kabupaten Baru"}); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("province admin creates a regency: %v", err)
		}
		if err := s.CreateTenant(super, &netra.Tenant{Code: "62.72", Name: "Kabupaten Baru"}); err != nil {
			t.Errorf("super admin creates a regency: %v", err)
		}
		// The province still writes its own government.
		if err := s.CreateUnit(prov, &netra.OrgUnit{TenantID: w.prov.ID, Code: "BKD", Name: "Badan Kepegawaian Daerah", Type: netra.UnitBadan}); err != nil {
			t.Errorf("province admin creates a unit of the province: %v", err)
		}
	})
}

// TestScopeForWritesIsExact: the scope of a write permission reaches the
// grant's tenant only, that of a read the tenants below; the subtree scope
// (for a common ancestor's decisions) reaches below for writes too.
func TestScopeForWritesIsExact(t *testing.T) {
	a := &netra.Actor{Grants: []netra.Grant{{Role: netra.RoleTenantAdmin, TenantID: 2, TenantPath: "/00/62/"}}}
	city := "/00/62/62.71/"
	for _, p := range netra.Permissions {
		sc := a.ScopeFor(p)
		if !netra.RoleTenantAdmin.Has(p) {
			continue
		}
		if got := sc.CoversTenant(city); got != p.Oversight() {
			t.Errorf("%s: province grant covers the city = %v, want %v", p, got, p.Oversight())
		}
		if !sc.CoversTenant("/00/62/") || !sc.CoversUnit(2, "/00/62/", "/1/") {
			t.Errorf("%s: province grant does not cover the province", p)
		}
		if !a.ScopeWithSubtreeFor(p).CoversTenant(city) {
			t.Errorf("%s: subtree scope does not reach the city", p)
		}
	}
	for _, p := range []netra.Permission{netra.PermUnitManage, netra.PermEmployeeWrite, netra.PermImport, netra.PermUserManage, netra.PermTenantManage,
		netra.PermDutyManage, netra.PermElectionManage, netra.PermSelf} {
		if p.Oversight() {
			t.Errorf("%s is marked oversight", p)
		}
	}
}
