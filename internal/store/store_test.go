package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// sys is a context acting as the system (may do anything).
func sys() context.Context { return netra.WithActor(context.Background(), netra.System("test")) }

func mustTenant(t *testing.T, s *store.Store, code, name string) *netra.Tenant {
	t.Helper()
	tn := &netra.Tenant{Code: code, Name: name}
	if err := s.CreateTenant(sys(), tn); err != nil {
		t.Fatalf("create tenant %s: %v", code, err)
	}
	return tn
}

func mustUnit(t *testing.T, s *store.Store, tenantID, parentID int64, code, name string, typ netra.UnitType) *netra.OrgUnit {
	t.Helper()
	u := &netra.OrgUnit{TenantID: tenantID, ParentID: parentID, Code: code, Name: name, Type: typ}
	if err := s.CreateUnit(sys(), u); err != nil {
		t.Fatalf("create unit %s: %v", code, err)
	}
	return u
}

func mustEmployee(t *testing.T, s *store.Store, unitID int64, nip, name string) *netra.Employee {
	t.Helper()
	e := &netra.Employee{NIP: nip, Name: name, Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: unitID}
	if err := s.CreateEmployee(sys(), e); err != nil {
		t.Fatalf("create employee %s: %v", nip, err)
	}
	return e
}

// world is a small national → province → city hierarchy with a few units.
type world struct {
	nat, prov, city, other *netra.Tenant
	setda, disdik, bidSD   *netra.OrgUnit
	otherUnit              *netra.OrgUnit
}

func mustWorld(t *testing.T, s *store.Store) *world {
	t.Helper()
	w := &world{}
	w.nat = mustTenant(t, s, "00", "Pemerintah Pusat")
	w.prov = mustTenant(t, s, "62", "Provinsi Kalimantan Tengah")
	w.city = mustTenant(t, s, "62.71", "Kota Palangka Raya")
	mustTenant(t, s, "65", "Provinsi Kalimantan Utara")
	w.other = mustTenant(t, s, "65.71", "Kota Tarakan")
	w.setda = mustUnit(t, s, w.city.ID, 0, "SETDA", "Sekretariat Daerah", netra.UnitSekretariat)
	w.disdik = mustUnit(t, s, w.city.ID, 0, "DISDIK", "Dinas Pendidikan", netra.UnitDinas)
	w.bidSD = mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SD", "Bidang SD", netra.UnitBidang)
	w.otherUnit = mustUnit(t, s, w.other.ID, 0, "SETDA", "Sekretariat Daerah", netra.UnitSekretariat)
	return w
}

// as returns a context for a user holding one grant.
func as(s *store.Store, t *testing.T, role netra.Role, tenant *netra.Tenant, unit *netra.OrgUnit) context.Context {
	t.Helper()
	g := netra.Grant{Role: role, TenantID: tenant.ID, TenantCode: tenant.Code}
	tt, err := s.Tenant(sys(), tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	_ = tt
	g.TenantPath = tenantPath(tenant)
	if unit != nil {
		g.UnitID, g.UnitPath = unit.ID, unit.Path
	}
	return netra.WithActor(context.Background(), &netra.Actor{UserID: 999, Label: "user:test", Grants: []netra.Grant{g}})
}

func tenantPath(t *netra.Tenant) string { return t.Path() }

func TestMigrateTwiceAndVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v", applied, err)
		}
		cur, latest, err := s.SchemaVersion(ctx)
		if err != nil || cur != latest || cur < 1 {
			t.Fatalf("schema version %d/%d, %v", cur, latest, err)
		}
	})
}

func TestPlaceholdersBindByNumber(t *testing.T) {
	// The store writes $n placeholders in order of first use, but a driver
	// swap that binds by position instead of number must be caught.
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		tn := mustTenant(t, s, "00", "Pusat")
		got, err := s.TenantByCode(sys(), tn.Code)
		if err != nil || got.ID != tn.ID {
			t.Fatalf("tenant by code: %v %v", got, err)
		}
	})
}

func TestTenantsHierarchyAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		err := s.CreateTenant(sys(), &netra.Tenant{Code: "62.71", Name: "Dup"})
		if !errors.Is(err, netra.ErrConflict) {
			t.Fatalf("duplicate code: %v", err)
		}
		err = s.CreateTenant(sys(), &netra.Tenant{Code: "99.01", Name: "Orphan"})
		if _, ok := netra.AsValidation(err); !ok {
			t.Fatalf("missing parent: %v", err)
		}
		// A province admin sees the province and its city, not Kaltara.
		ctx := as(s, t, netra.RoleTenantAdmin, w.prov, nil)
		list, err := s.Tenants(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, x := range list {
			codes = append(codes, x.Code)
		}
		if len(codes) != 2 || codes[0] != "62" || codes[1] != "62.71" {
			t.Fatalf("province admin sees %v", codes)
		}
		if _, err := s.Tenant(ctx, w.other.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Fatalf("out-of-scope tenant: %v", err)
		}
		// An employee-only user cannot list tenants.
		if _, err := s.Tenants(as(s, t, netra.RoleEmployee, w.city, nil)); !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("employee lists tenants: %v", err)
		}
		// No actor, no access.
		if _, err := s.Tenants(context.Background()); !errors.Is(err, netra.ErrUnauthenticated) {
			t.Fatalf("anonymous: %v", err)
		}
	})
}

func TestUnitLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		ctx := sys()
		// Duplicate code in the same tenant is refused, in another tenant allowed.
		err := s.CreateUnit(ctx, &netra.OrgUnit{TenantID: w.city.ID, Code: "DISDIK", Name: "X", Type: netra.UnitDinas})
		if v, ok := netra.AsValidation(err); !ok || v.Fields["code"].ID == "" {
			t.Fatalf("duplicate unit code: %v", err)
		}
		// Rename.
		name := "Dinas Pendidikan dan Kebudayaan"
		u, err := s.UpdateUnit(ctx, w.disdik.ID, store.UnitUpdate{Name: &name})
		if err != nil || u.Name != name {
			t.Fatalf("rename: %v %v", u, err)
		}
		// Move Bidang SD under Setda, then check the subtree path moved.
		sub := mustUnit(t, s, w.city.ID, w.bidSD.ID, "DISDIK.SD.UPT1", "SDN 1", netra.UnitUPT)
		if err := s.MoveUnit(ctx, w.bidSD.ID, w.setda.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.Unit(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := w.setda.Path + itoa(w.bidSD.ID) + "/" + itoa(sub.ID) + "/"
		if got.Path != want {
			t.Fatalf("moved path %q, want %q", got.Path, want)
		}
		// A unit cannot move below itself.
		if err := s.MoveUnit(ctx, w.setda.ID, sub.ID); err == nil {
			t.Fatal("moved a unit below itself")
		}
		// Closing a unit with an active employee below it is refused and changes nothing.
		mustEmployee(t, s, sub.ID, "198609262015051001", "Budi Santoso")
		err = s.CloseUnit(ctx, w.bidSD.ID)
		var ue *netra.UserError
		if !errors.As(err, &ue) || !errors.Is(err, netra.ErrConflict) {
			t.Fatalf("close with employees: %v", err)
		}
		if got, _ := s.Unit(ctx, w.bidSD.ID); got.Closed() {
			t.Fatal("refused close still closed the unit")
		}
		// An empty leaf closes.
		leaf := mustUnit(t, s, w.city.ID, w.setda.ID, "SETDA.HKM", "Bagian Hukum", netra.UnitBagian)
		if err := s.CloseUnit(ctx, leaf.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Unit(ctx, leaf.ID); !got.Closed() {
			t.Fatal("unit not closed")
		}
	})
}

func itoa(n int64) string { return fmtInt(n) }

func TestUnitScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		// An admin limited to Dinas Pendidikan may add under it, not under Setda.
		ctx := as(s, t, netra.RoleTenantAdmin, w.city, w.disdik)
		if err := s.CreateUnit(ctx, &netra.OrgUnit{TenantID: w.city.ID, ParentID: w.disdik.ID, Code: "DISDIK.SMP", Name: "Bidang SMP", Type: netra.UnitBidang}); err != nil {
			t.Fatal(err)
		}
		err := s.CreateUnit(ctx, &netra.OrgUnit{TenantID: w.city.ID, ParentID: w.setda.ID, Code: "SETDA.X", Name: "X", Type: netra.UnitBagian})
		if !errors.Is(err, netra.ErrNotFound) && !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("create outside subtree: %v", err)
		}
		err = s.CreateUnit(ctx, &netra.OrgUnit{TenantID: w.city.ID, Code: "ROOT", Name: "Root", Type: netra.UnitOther})
		if !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("create root with subtree grant: %v", err)
		}
		units, err := s.Units(ctx, netra.UnitFilter{TenantID: w.city.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if u.ID == w.setda.ID {
				t.Fatal("subtree admin sees Setda")
			}
		}
		if len(units) != 3 {
			t.Fatalf("subtree admin sees %d units, want 3", len(units))
		}
		// A verifier reads but cannot rename.
		vctx := as(s, t, netra.RoleVerifier, w.city, nil)
		name := "X"
		if _, err := s.UpdateUnit(vctx, w.setda.ID, store.UnitUpdate{Name: &name}); !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("verifier renames: %v", err)
		}
		// Another city's admin does not even see it.
		octx := as(s, t, netra.RoleTenantAdmin, w.other, nil)
		if _, err := s.Unit(octx, w.setda.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Fatalf("other tenant reads unit: %v", err)
		}
	})
}

func TestEmployeeUpdateKeepsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		e := mustEmployee(t, s, w.bidSD.ID, "198609262015051001", "Budi Santoso")
		if err := s.CreateEmployee(sys(), &netra.Employee{NIP: "1986 0926 2015 05 1 001", Name: "Dup", Type: netra.PNS,
			Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: w.setda.ID}); err == nil {
			t.Fatal("duplicate NIP accepted")
		}
		unit := w.setda.ID
		pos := "Analis Kebijakan"
		if _, err := s.UpdateEmployee(sys(), e.ID, store.EmployeeUpdate{UnitID: &unit, PositionName: &pos}); err != nil {
			t.Fatal(err)
		}
		h, err := s.EmployeeHistory(sys(), e.ID)
		if err != nil || len(h) != 1 {
			t.Fatalf("history %v %v", h, err)
		}
		if _, ok := h[0].Changes["unit_id"]; !ok {
			t.Fatalf("history lacks the move: %v", h[0].Changes)
		}
		// Invalid update changes nothing.
		bad := netra.Golongan("V/z")
		if _, err := s.UpdateEmployee(sys(), e.ID, store.EmployeeUpdate{Golongan: &bad}); err == nil {
			t.Fatal("bad rank accepted")
		}
		got, err := s.Employee(sys(), e.ID)
		if err != nil || got.Golongan != "III/a" || got.UnitID != w.setda.ID {
			t.Fatalf("after refused update: %+v %v", got, err)
		}
		// Scope: a Disdik-limited admin no longer sees the moved employee.
		dctx := as(s, t, netra.RoleTenantAdmin, w.city, w.disdik)
		if _, err := s.Employee(dctx, e.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Fatalf("subtree admin reads employee outside: %v", err)
		}
		page, err := s.Employees(dctx, netra.EmployeeFilter{TenantID: w.city.ID})
		if err != nil || len(page.Employees) != 0 {
			t.Fatalf("subtree admin lists %v %v", page, err)
		}
		page, err = s.Employees(as(s, t, netra.RoleLeader, w.city, nil), netra.EmployeeFilter{Search: "budi"})
		if err != nil || len(page.Employees) != 1 {
			t.Fatalf("leader search: %+v %v", page, err)
		}
		page, err = s.Employees(as(s, t, netra.RoleLeader, w.city, nil), netra.EmployeeFilter{Search: "19860926"})
		if err != nil || len(page.Employees) != 1 {
			t.Fatalf("NIP prefix search: %+v %v", page, err)
		}
	})
}

func TestEmployeePagination(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		names := []string{"Ani", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita"}
		for i, n := range names {
			mustEmployee(t, s, w.setda.ID, "19860926201505100"+string(rune('1'+i)), n)
		}
		var got []string
		f := netra.EmployeeFilter{TenantID: w.city.ID, Limit: 3}
		for {
			p, err := s.Employees(sys(), f)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != len(names) {
				t.Fatalf("total %d", p.Total)
			}
			for _, e := range p.Employees {
				got = append(got, e.Name)
			}
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		if len(got) != len(names) {
			t.Fatalf("paged %v", got)
		}
		for i := range names {
			if got[i] != names[i] {
				t.Fatalf("order %v", got)
			}
		}
	})
}

func TestWriteWithoutActorRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		err := s.CreateTenant(context.Background(), &netra.Tenant{Code: "00", Name: "Pusat"})
		if err == nil {
			t.Fatal("write without actor accepted")
		}
		if n, _ := s.Tenants(sys()); len(n) != 0 {
			t.Fatal("refused write left a row")
		}
	})
}

func TestClaimTOTPStepOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := &netra.User{Username: "budi.admin", Name: "Budi"}
		if err := s.CreateUser(sys(), u); err != nil {
			t.Fatal(err)
		}
		for i, tc := range []struct {
			step int64
			want bool
		}{{100, true}, {100, false}, {99, false}, {101, true}} {
			ok, err := s.ClaimTOTPStep(sys(), u.ID, tc.step)
			if err != nil || ok != tc.want {
				t.Fatalf("claim %d (step %d): %v %v, want %v", i, tc.step, ok, err, tc.want)
			}
		}
	})
}

func TestNationwideNameSearchMatchesTheStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		mustEmployee(t, s, w.setda.ID, "198609262015051001", "Siti Aminah")
		mustEmployee(t, s, w.setda.ID, "198609262015051002", "Nur Siti")
		mustEmployee(t, s, w.otherUnit.ID, "198609262015051003", "Siti Tarakan")
		// Nationwide: the start of the name (an index range, fast at any size).
		p, err := s.Employees(sys(), netra.EmployeeFilter{Search: "Siti"})
		if err != nil || len(p.Employees) != 2 || p.Employees[0].Name != "Siti Aminah" {
			t.Fatalf("nationwide search: %+v %v", p, err)
		}
		// Within a government: any part of the name.
		p, err = s.Employees(sys(), netra.EmployeeFilter{TenantID: w.city.ID, Search: "siti"})
		if err != nil || len(p.Employees) != 2 {
			t.Fatalf("tenant search: %+v %v", p, err)
		}
		p, err = s.Employees(as(s, t, netra.RoleLeader, w.city, nil), netra.EmployeeFilter{Search: "siti"})
		if err != nil || len(p.Employees) != 2 {
			t.Fatalf("city leader search: %+v %v", p, err)
		}
		// A province reaches hundreds of thousands: the start of the name
		// again, unless one of its governments is chosen.
		prov := as(s, t, netra.RoleLeader, w.prov, nil)
		p, err = s.Employees(prov, netra.EmployeeFilter{Search: "siti"})
		if err != nil || len(p.Employees) != 1 || p.Employees[0].Name != "Siti Aminah" {
			t.Fatalf("province leader search: %+v %v", p, err)
		}
		p, err = s.Employees(prov, netra.EmployeeFilter{TenantID: w.city.ID, Search: "siti"})
		if err != nil || len(p.Employees) != 2 {
			t.Fatalf("province leader search in a city: %+v %v", p, err)
		}
	})
}

func TestCreateUserWithRefusedGrantLeavesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		// A city admin may create users for the city, not for another city.
		ctx := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		u := &netra.User{Username: "ops.tarakan", Name: "Ops", Grants: []netra.Grant{{Role: netra.RoleVerifier, TenantID: w.other.ID}}}
		if err := s.CreateUser(ctx, u); !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("grant outside scope: %v", err)
		}
		if _, err := s.LoginUser(context.Background(), "ops.tarakan"); !errors.Is(err, netra.ErrNotFound) {
			t.Fatalf("refused user exists: %v", err)
		}
		u = &netra.User{Username: "ops.palangkaraya", Name: "Ops", Grants: []netra.Grant{{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.disdik.ID}}}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		got, err := s.LoginUser(context.Background(), "ops.palangkaraya")
		if err != nil || len(got.Grants) != 1 || got.Grants[0].UnitPath != w.disdik.Path {
			t.Fatalf("created user %+v %v", got, err)
		}
		// Granting the same role again is harmless, on PostgreSQL too.
		if err := s.Grant(ctx, got.ID, netra.RoleVerifier, w.city.ID, w.disdik.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Grant(ctx, got.ID, netra.RoleSuperAdmin, 0, 0); !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("city admin grants super admin: %v", err)
		}
	})
}

// TestEachImportProblemReadsEveryCellOnce checks that a report read in
// chunks has every refused cell exactly once and in line order, also where
// a chunk boundary falls inside a line's cells.
func TestEachImportProblemReadsEveryCellOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		ctx := sys()
		im := &netra.Import{TenantID: w.city.ID, Filename: "x.csv", BlobKey: "imports/x.csv", SHA256: "00"}
		if err := s.CreateImport(ctx, im, nil); err != nil {
			t.Fatal(err)
		}
		imp, err := s.NewImporter(ctx, im)
		if err != nil {
			t.Fatal(err)
		}
		// Three cells per line: 1000 (a chunk) is not a multiple of 3.
		var want []netra.ImportProblem
		for line := int64(2); len(want) < 2500; line++ {
			for _, col := range []string{"EMAIL", "NAMA", "NIP"} {
				want = append(want, netra.ImportProblem{Line: line, Column: col, Value: "v" + itoa(line),
					Reason: netra.Msg("salah", "wrong")})
			}
		}
		if err := imp.Write(ctx, nil, want, 1, int64(len(want)/3)); err != nil {
			t.Fatal(err)
		}
		if err := imp.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		var got []netra.ImportProblem
		if err := s.EachImportProblem(ctx, im.ID, "test", func(p netra.ImportProblem) error {
			got = append(got, p)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d cells, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].Line != want[i].Line || got[i].Column != want[i].Column || got[i].Value != want[i].Value {
				t.Fatalf("cell %d: %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}

// TestTenantFamilyAndCounts checks the narrowed tenant summaries: a
// tenant's family is itself, its parent and its children, and employees are
// counted only where asked for.
func TestTenantFamilyAndCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		mustEmployee(t, s, w.setda.ID, "198609262015051001", "Siti Aminah")
		codes := func(ts []store.TenantSummary) string {
			var c []string
			for _, x := range ts {
				c = append(c, x.Code)
			}
			return strings.Join(c, ",")
		}
		fam, err := s.TenantFamily(sys(), w.prov.ID)
		if err != nil || codes(fam) != "00,62,62.71" || fam[2].Employees != 1 {
			t.Fatalf("family of 62: %+v %v", fam, err)
		}
		one, err := s.TenantsCounted(sys(), w.city.ID)
		if err != nil || codes(one) != "62.71" || one[0].Employees != 1 || one[0].Units != 3 {
			t.Fatalf("counted 62.71: %+v %v", one, err)
		}
		all, err := s.Tenants(sys())
		if err != nil || len(all) != 5 || all[2].Employees != 0 || all[2].Units != 3 {
			t.Fatalf("tenants: %+v %v", all, err)
		}
		// A city admin's family of the province is the city alone.
		fam, err = s.TenantFamily(as(s, t, netra.RoleTenantAdmin, w.city, nil), w.prov.ID)
		if err != nil || codes(fam) != "62.71" {
			t.Fatalf("city admin's family of 62: %+v %v", fam, err)
		}
	})
}
