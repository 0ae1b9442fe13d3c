package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// asUser returns a context for user id holding one grant (unit may be nil).
func asUser(id int64, role netra.Role, tenant *netra.Tenant, unit *netra.OrgUnit) context.Context {
	g := netra.Grant{Role: role, TenantID: tenant.ID, TenantCode: tenant.Code, TenantPath: tenantPath(tenant)}
	if unit != nil {
		g.UnitID, g.UnitPath = unit.ID, unit.Path
	}
	return netra.WithActor(context.Background(), &netra.Actor{UserID: id, Label: "user:u" + fmtInt(id), Grants: []netra.Grant{g}})
}

// mustImportRows creates an import as the actor in ctx and writes rows
// naming the given unit codes (each row is refused: the test only makes
// problems), and returns it.
func mustImportRows(t *testing.T, s *store.Store, ctx context.Context, tenantID int64, codes ...string) *netra.Import {
	t.Helper()
	im := &netra.Import{TenantID: tenantID, Filename: "r.csv", BlobKey: "imports/r.csv", SHA256: "00"}
	if err := s.CreateImport(ctx, im, nil); err != nil {
		t.Fatal(err)
	}
	imp, err := s.NewImporter(ctx, im)
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.ImportRow
	for i, c := range codes {
		rows = append(rows, store.ImportRow{Line: int64(i + 2), UnitCode: c,
			Employee: netra.Employee{NIP: "19860926201505100" + fmtInt(int64(i)), Name: "Pegawai " + c}})
	}
	// A row that failed to parse: its unit is unknown.
	parse := []netra.ImportProblem{{Line: int64(len(codes) + 2), Column: "EMAIL", Value: "x@", Reason: netra.Msg("salah", "wrong")}}
	if err := imp.Write(ctx, rows, parse, 1, int64(len(codes)+1)); err != nil {
		t.Fatal(err)
	}
	if err := imp.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return im
}

func problemLines(t *testing.T, s *store.Store, ctx context.Context, id int64) []int64 {
	t.Helper()
	ps, err := s.ImportProblems(ctx, id, 0)
	if err != nil {
		t.Fatalf("problems of %d: %v", id, err)
	}
	var via []int64
	if err := s.EachImportProblem(ctx, id, "test", func(p netra.ImportProblem) error { via = append(via, p.Line); return nil }); err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, p := range ps {
		out = append(out, p.Line)
	}
	if !slices.Equal(out, via) {
		t.Fatalf("ImportProblems %v, EachImportProblem %v", out, via)
	}
	return out
}

// TestImportsFollowUnitScope: an admin limited to a unit subtree lists only
// the imports they started and reads only the refused cells of rows in their
// subtree plus the rows whose unit is unknown; a government-wide admin sees
// every import and cell; another unit's admin is told the import does not
// exist.
func TestImportsFollowUnitScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		smp := mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SMP", "Bidang SMP", netra.UnitBidang)
		if err := s.CloseUnit(sys(), smp.ID); err != nil {
			t.Fatal(err)
		}
		disdikAdmin := asUser(1001, netra.RoleTenantAdmin, w.city, w.disdik)
		setdaAdmin := asUser(1002, netra.RoleTenantAdmin, w.city, w.setda)
		cityAdmin := asUser(1003, netra.RoleTenantAdmin, w.city, nil)
		provAdmin := asUser(1004, netra.RoleTenantAdmin, w.prov, nil)

		// Line 2 names SETDA (outside the importer's subtree), line 3 an
		// unknown unit, line 4 a closed unit of DISDIK, line 5 failed to parse.
		mine := mustImportRows(t, s, disdikAdmin, w.city.ID, "SETDA", "NOPE", "DISDIK.SMP")
		theirs := mustImportRows(t, s, setdaAdmin, w.city.ID, "DISDIK.SMP")

		ids := func(ctx context.Context) []int64 {
			t.Helper()
			ims, err := s.Imports(ctx, w.city.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, im := range ims {
				out = append(out, im.ID)
			}
			return out
		}
		if got := ids(disdikAdmin); !slices.Equal(got, []int64{mine.ID}) {
			t.Errorf("disdik admin lists %v, want only %d", got, mine.ID)
		}
		if got := ids(setdaAdmin); !slices.Equal(got, []int64{theirs.ID}) {
			t.Errorf("setda admin lists %v, want only %d", got, theirs.ID)
		}
		if got := ids(cityAdmin); !slices.Equal(got, []int64{theirs.ID, mine.ID}) {
			t.Errorf("city admin lists %v, want both", got)
		}
		// Importing is the city's own business: the province oversees its
		// staff but neither imports into it nor lists its imports.
		if _, err := s.Imports(provAdmin, w.city.ID); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("province admin lists the city's imports: %v", err)
		}
		if _, err := s.Import(setdaAdmin, mine.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("setda admin opens another's import: %v", err)
		}
		if _, err := s.ImportProblems(setdaAdmin, mine.ID, 0); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("setda admin reads another's refused cells: %v", err)
		}
		if err := s.EachImportProblem(setdaAdmin, mine.ID, "test", func(netra.ImportProblem) error {
			t.Error("cell handed out")
			return nil
		}); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("setda admin streams another's refused cells: %v", err)
		}
		if got := problemLines(t, s, disdikAdmin, mine.ID); !slices.Equal(got, []int64{3, 4, 5}) {
			t.Errorf("importer reads lines %v, want 3 4 5 (not the SETDA row)", got)
		}
		if got := problemLines(t, s, cityAdmin, mine.ID); !slices.Equal(got, []int64{2, 3, 4, 5}) {
			t.Errorf("city admin reads lines %v, want all", got)
		}
		// The setda admin's own import: its DISDIK row is outside their subtree.
		if got := problemLines(t, s, setdaAdmin, theirs.ID); !slices.Equal(got, []int64{3}) {
			t.Errorf("setda admin reads lines %v of their import, want only the unparsed 3", got)
		}
		if _, err := s.Import(disdikAdmin, theirs.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("disdik admin opens setda's import although its row is in DISDIK: %v", err)
		}

		// Every read of refused cells is in the audit log, as its reader.
		es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "import.read", ObjectID: fmtInt(mine.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var by []string
		for _, e := range es {
			by = append(by, e.ActorLabel)
		}
		slices.Sort(by)
		if want := []string{"user:u1001", "user:u1001", "user:u1003", "user:u1003"}; !slices.Equal(by, want) {
			t.Errorf("audited reads of import %d by %v, want %v", mine.ID, by, want)
		}
	})
}

// TestImportByTokenRunsAsToken: an import started through a unit-scoped API
// token is listed to that token only and runs as it, not as the system.
func TestImportByTokenRunsAsToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		tk := &store.APIToken{Name: "sync", Grant: netra.Grant{Role: netra.RoleTenantAdmin, TenantID: w.city.ID, UnitID: w.disdik.ID}}
		if err := s.CreateAPIToken(sys(), tk, "hash-sync"); err != nil {
			t.Fatal(err)
		}
		g := netra.Grant{Role: netra.RoleTenantAdmin, TenantID: w.city.ID, TenantPath: tenantPath(w.city), UnitID: w.disdik.ID, UnitPath: w.disdik.Path}
		tok := netra.WithActor(context.Background(), &netra.Actor{TokenID: tk.ID, Label: "token:sync", Grants: []netra.Grant{g}})
		im := &netra.Import{TenantID: w.city.ID, Filename: "r.csv", BlobKey: "imports/r.csv", SHA256: "00"}
		if err := s.CreateImport(tok, im, nil); err != nil {
			t.Fatal(err)
		}
		ims, err := s.Imports(tok, w.city.ID)
		if err != nil || len(ims) != 1 || ims[0].ID != im.ID {
			t.Fatalf("token lists %+v, %v", ims, err)
		}
		if ims, _ := s.Imports(asUser(1001, netra.RoleTenantAdmin, w.city, w.disdik), w.city.ID); len(ims) != 0 {
			t.Errorf("a user of the same subtree lists the token's import")
		}
		a, err := s.ImportActor(sys(), &ims[0])
		if err != nil || a.TokenID != tk.ID || a.IsSuperAdmin() || len(a.Grants) != 1 || a.Grants[0].UnitPath != w.disdik.Path {
			t.Fatalf("import runs as %+v, %v", a, err)
		}
		if err := s.RevokeAPIToken(sys(), tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportActor(sys(), &ims[0]); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("revoked token's import runs: %v", err)
		}
	})
}

// mustStaff creates a staff user with the given grants (as the system).
func mustStaff(t *testing.T, s *store.Store, username string, grants ...netra.Grant) *netra.User {
	t.Helper()
	u := &netra.User{Username: username, Name: "Pengguna " + username, Email: username + "@netra.test", PasswordHash: "x", Grants: grants}
	if err := s.CreateUser(sys(), u); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	full, err := s.UserByID(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return full
}

// TestUsersFollowUnitScope: a unit admin lists and opens the users with a
// role inside their subtree and no others, manages only those whose every
// role lies inside it, and is told "not found" of the others, "forbidden"
// of those it sees but may not change.
func TestUsersFollowUnitScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		inside := mustStaff(t, s, "sd.verif", netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.bidSD.ID})
		both := mustStaff(t, s, "dua.peran", netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.bidSD.ID},
			netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.setda.ID})
		outside := mustStaff(t, s, "setda.verif", netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.setda.ID})
		cityWide := mustStaff(t, s, "kota.verif", netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID})
		disdik := asUser(2001, netra.RoleTenantAdmin, w.city, w.disdik)

		us, err := s.Users(disdik, "")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range us {
			names = append(names, u.Username)
		}
		if !slices.Equal(names, []string{"dua.peran", "sd.verif"}) {
			t.Errorf("unit admin lists %v, want dua.peran and sd.verif", names)
		}
		city, err := s.Users(asUser(2002, netra.RoleTenantAdmin, w.city, nil), "")
		if err != nil || len(city) != 4 {
			t.Errorf("city admin lists %d users, %v", len(city), err)
		}
		for u, want := range map[*netra.User]error{inside: nil, both: nil, outside: netra.ErrNotFound, cityWide: netra.ErrNotFound} {
			if _, _, err := s.User(disdik, u.ID); !errors.Is(err, want) && !(want == nil && err == nil) {
				t.Errorf("unit admin opens %s: %v, want %v", u.Username, err, want)
			}
		}
		if _, manages, _ := s.User(disdik, inside.ID); !manages {
			t.Error("the unit admin does not manage a user whose only role is inside the subtree")
		}
		name := "Baru"
		for u, want := range map[*netra.User]error{inside: nil, both: netra.ErrForbidden, outside: netra.ErrNotFound} {
			if err := s.UpdateUser(disdik, u.ID, store.UserUpdate{Name: &name}, "user.update"); !errors.Is(err, want) && !(want == nil && err == nil) {
				t.Errorf("unit admin updates %s: %v, want %v", u.Username, err, want)
			}
		}
		// Grants and revokes follow the same line.
		if err := s.Grant(disdik, inside.ID, netra.RoleAuditor, w.city.ID, w.disdik.ID); err != nil {
			t.Errorf("unit admin grants inside: %v", err)
		}
		if err := s.Grant(disdik, inside.ID, netra.RoleAuditor, w.city.ID, w.setda.ID); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("unit admin grants in SETDA: %v", err)
		}
		if err := s.Revoke(disdik, inside.Grants[0].ID); err != nil {
			t.Errorf("unit admin revokes inside: %v", err)
		}
		if err := s.Revoke(disdik, outside.Grants[0].ID); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("unit admin revokes in SETDA: %v", err)
		}
		// Both reads are in the audit log.
		for _, action := range []string{"user.list", "user.read"} {
			es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: action})
			if err != nil || len(es) == 0 || es[0].ActorID == 0 {
				t.Errorf("%s audited as %+v, %v", action, es, err)
			}
		}
	})
}

// TestStoreReadsCheckScope: the exported reads that used to trust their
// caller now check the scope themselves, and list reads of personal data
// are audited once, counters not at all.
func TestStoreReadsCheckScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		e := mustEmployee(t, s, w.setda.ID, "198609262015051001", "Siti Aminah")
		mustEmployee(t, s, w.bidSD.ID, "198703152010011002", "Budi Santoso")
		disdik := asUser(3001, netra.RoleTenantAdmin, w.city, w.disdik)
		if _, err := s.EmployeeHistory(disdik, e.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("history of an employee outside the subtree: %v", err)
		}
		if _, err := s.UnitAncestors(disdik, w.setda); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("ancestors of a unit outside the subtree: %v", err)
		}
		if anc, err := s.UnitAncestors(disdik, w.bidSD); err != nil || len(anc) != 2 {
			t.Errorf("ancestors of Bidang SD: %+v, %v", anc, err)
		}
		if _, err := s.ImportActor(disdik, &netra.Import{CreatedBy: 3001}); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a user asks for an import's actor: %v", err)
		}
		// Updating an employee the actor reads but may not write: forbidden;
		// one it may not read: not found.
		verifier := asUser(3002, netra.RoleVerifier, w.city, nil)
		name := "X"
		if _, err := s.UpdateEmployee(verifier, e.ID, store.EmployeeUpdate{Name: &name}); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("verifier updates an employee: %v", err)
		}
		if _, err := s.UpdateEmployee(disdik, e.ID, store.EmployeeUpdate{Name: &name}); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("unit admin updates an employee outside: %v", err)
		}
		if _, err := s.UpdateUnit(verifier, w.setda.ID, store.UnitUpdate{Name: &name}); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("verifier updates a unit: %v", err)
		}
		if _, err := s.UpdateUnit(disdik, w.setda.ID, store.UnitUpdate{Name: &name}); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("unit admin updates a unit outside: %v", err)
		}

		if n, _, err := s.CountEmployees(disdik, netra.EmployeeFilter{}); err != nil || n != 1 {
			t.Errorf("unit admin counts %d, %v", n, err)
		}
		pg, err := s.Employees(disdik, netra.EmployeeFilter{Search: "budi"})
		if err != nil || len(pg.Employees) != 1 {
			t.Fatalf("unit admin lists %+v, %v", pg, err)
		}
		es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "employee.list"})
		if err != nil || len(es) != 1 || es[0].ActorID != 3001 || es[0].TenantID != w.city.ID ||
			!strings.Contains(es[0].Summary, `"q":"budi"`) || strings.Contains(es[0].Summary, "Budi") {
			t.Errorf("employee list audited as %+v, %v", es, err)
		}
	})
}

// TestTokensFollowUnitScope: a unit admin lists and revokes the tokens
// limited to its subtree, and no others.
func TestTokensFollowUnitScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		admin := mustStaff(t, s, "disdik.admin", netra.Grant{Role: netra.RoleTenantAdmin, TenantID: w.city.ID, UnitID: w.disdik.ID})
		disdik := asUser(admin.ID, netra.RoleTenantAdmin, w.city, w.disdik)
		inside := &store.APIToken{Name: "sd", Grant: netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID, UnitID: w.bidSD.ID}}
		if err := s.CreateAPIToken(disdik, inside, "hash-sd"); err != nil {
			t.Fatal(err)
		}
		cityWide := &store.APIToken{Name: "kota", Grant: netra.Grant{Role: netra.RoleVerifier, TenantID: w.city.ID}}
		if err := s.CreateAPIToken(sys(), cityWide, "hash-kota"); err != nil {
			t.Fatal(err)
		}
		ts, err := s.APITokens(disdik)
		if err != nil || len(ts) != 1 || ts[0].ID != inside.ID {
			t.Errorf("unit admin lists tokens %+v, %v; want only %d", ts, err, inside.ID)
		}
		if err := s.RevokeAPIToken(disdik, cityWide.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("unit admin revokes a city-wide token: %v", err)
		}
		if err := s.RevokeAPIToken(disdik, inside.ID); err != nil {
			t.Errorf("unit admin revokes its subtree's token: %v", err)
		}
		if all, err := s.APITokens(asUser(4002, netra.RoleTenantAdmin, w.city, nil)); err != nil || len(all) != 2 {
			t.Errorf("city admin lists %d tokens, %v", len(all), err)
		}
	})
}
