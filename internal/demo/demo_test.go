package demo_test

import (
	"context"
	"database/sql"
	"io"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestDemoLoadsOnceAndAgainChangesNothing loads the demo on each engine,
// checks what it made (the pledge campaign against a recount read from the
// database directly), and loads it again, which changes nothing.
func TestDemoLoadsOnceAndAgainChangesNothing(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			dbURL := eng.URL(t)
			s, err := store.Open(context.Background(), dbURL)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			testDemo(t, s, rawDB(t, dbURL))
		})
	}
}

func testDemo(t *testing.T, s *store.Store, db *sql.DB) {
	ctx := context.Background()
	b, err := blob.OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := &imports.Runner{Store: s, Blobs: b}
	res, err := demo.Load(ctx, s, r, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Employees < 5000 || res.EmployeeNIP == "" || res.Pledges == nil {
		t.Fatalf("first load: %+v", res)
	}
	sys := netra.WithActor(ctx, netra.System("test"))
	before, _, err := s.VerifyAudit(sys, nil)
	if err != nil || before != nil {
		t.Fatalf("audit after demo: %v %v", before, err)
	}
	_, n1, _ := s.VerifyAudit(sys, nil)
	res2, err := demo.Load(ctx, s, r, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	_, n2, _ := s.VerifyAudit(sys, nil)
	if res2.Created || n2 != n1 || res2.Pledges != nil {
		t.Fatalf("second load changed something: created=%v audit entries %d → %d", res2.Created, n1, n2)
	}
	// Real places: Palangka Raya's kecamatan are in its tree.
	city, err := s.TenantByCode(sys, "62.71")
	if err != nil {
		t.Fatal(err)
	}
	units, err := s.Units(sys, netra.UnitFilter{TenantID: city.ID, Search: "Pahandut"})
	if err != nil || len(units) == 0 {
		t.Fatalf("Kecamatan Pahandut missing: %v %v", units, err)
	}
	checkDistinctStaff(t, sys, s)
	checkPalangkaRayaMix(t, sys, s, city.ID)
	checkPledges(t, sys, s, db, city, res)
	// Every demo account exists with its role.
	for _, a := range demo.Accounts {
		u, err := s.LoginUser(ctx, a.Username)
		if err != nil || len(u.Grants) != 1 || u.Grants[0].Role != a.Role || !u.TOTPEnabled {
			t.Fatalf("account %s: %+v %v", a.Username, u, err)
		}
	}
}

// allEmployees pages through a government's employees.
func allEmployees(t *testing.T, ctx context.Context, s *store.Store, tenantID int64) []netra.Employee {
	t.Helper()
	var out []netra.Employee
	f := netra.EmployeeFilter{TenantID: tenantID, Limit: 500}
	for {
		page, err := s.Employees(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Employees...)
		if page.Next == "" {
			return out
		}
		f.After = page.Next
	}
}

// checkDistinctStaff: each government has its own people; no NIP, NIK or
// e-mail address is used by two governments (or twice in one).
func checkDistinctStaff(t *testing.T, ctx context.Context, s *store.Store) {
	t.Helper()
	owner := map[string]string{}
	for _, code := range []string{"62", "62.71", "65.71"} {
		tn, err := s.TenantByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		es := allEmployees(t, ctx, s, tn.ID)
		if len(es) < 1000 {
			t.Fatalf("%s has %d employees", code, len(es))
		}
		// The registry's fields reach the database, as a SIASN export's would.
		heads := 0
		for _, e := range es {
			if e.NIK == "" || e.PositionDate.IsZero() || e.BirthPlace == "" || e.Education == "" || e.PersonID == 0 {
				t.Fatalf("%s: a demo employee without the registry's fields: %+v", code, e)
			}
			if e.Head {
				heads++
			}
		}
		if heads == 0 {
			t.Errorf("%s: no unit heads in the demo", code)
		}
		for _, e := range es {
			ids := []string{e.NIP, strings.ToLower(e.Email)}
			if e.NIK != e.NIP {
				ids = append(ids, e.NIK) // stored once the registry keeps NIKs
			}
			for _, id := range ids {
				if id == "" {
					continue
				}
				if other, dup := owner[id]; dup {
					t.Fatalf("%s of %s (%s) is already used in %s", id, e.Name, code, other)
				}
				owner[id] = code
			}
		}
	}
}

// checkPalangkaRayaMix: about 6,000 ASN with a city's mix of employment
// types, ranks and positions.
func checkPalangkaRayaMix(t *testing.T, ctx context.Context, s *store.Store, cityID int64) {
	t.Helper()
	es := allEmployees(t, ctx, s, cityID)
	n := len(es)
	if n != 6000 {
		t.Fatalf("Palangka Raya has %d employees, want the 6,000 generated (rows rejected?)", n)
	}
	types := map[netra.EmploymentType]int{}
	positions := map[netra.PositionType]int{}
	statuses := map[netra.EmployeeStatus]int{}
	ranks := map[string]int{} // PNS by golongan I–IV
	for _, e := range es {
		types[e.Type]++
		positions[e.PositionType]++
		statuses[e.Status]++
		if e.Type == netra.PNS {
			g, _, _ := strings.Cut(string(e.Golongan), "/")
			ranks[g]++
		}
	}
	share := func(k int) float64 { return float64(k) / float64(n) }
	pppk := types[netra.PPPK] + types[netra.PPPKParuhWaktu]
	if p := share(types[netra.PNS]); p < 0.58 || p > 0.68 || share(pppk) < 0.30 || share(pppk) > 0.40 ||
		types[netra.PPPKParuhWaktu] < n/20 || types[netra.CPNS] < n/100 || types[netra.CPNS] > n/20 || types[netra.NonASN] != 0 {
		t.Errorf("employment types %v: want ~62%% PNS, ~35%% PPPK with some part-time, a few CPNS, no non-ASN", types)
	}
	pns := types[netra.PNS]
	if ranks["III"] < pns/2 || ranks["II"] > ranks["III"]/2 || ranks["IV"] > ranks["III"]*2/3 || ranks["I"] > pns/100 {
		t.Errorf("PNS by golongan %v: III must dominate, II and IV smaller, I very rare", ranks)
	}
	if p := positions; p[netra.JPTPratama] < 25 || p[netra.JPTPratama] > 45 || p[netra.Administrator] < 110 || p[netra.Administrator] > 200 ||
		p[netra.Pengawas] < 220 || p[netra.Pengawas] > 450 || p[netra.Fungsional] < n/2 || p[netra.Pelaksana] < n/5 || p[netra.JPTMadya] != 0 {
		t.Errorf("position types %v: want ~30 JPT pratama, ~150 administrators, some hundreds of pengawas, functional the largest group", p)
	}
	if statuses[netra.StatusActive] < n*97/100 || statuses[netra.StatusCLTN] == 0 || statuses[netra.StatusStudyLeave] == 0 || statuses[netra.StatusPreRetirement] == 0 {
		t.Errorf("statuses %v: mostly active, a few CLTN, study leave and MPP", statuses)
	}
}
