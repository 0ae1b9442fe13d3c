package imports_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
	"github.com/netra-id/netra/internal/synth"
	"github.com/netra-id/netra/internal/wilayah"
)

func sys() context.Context { return netra.WithActor(context.Background(), netra.System("test")) }

type fixture struct {
	s      *store.Store
	r      *imports.Runner
	city   *netra.Tenant
	disdik *netra.OrgUnit
	sd     *netra.OrgUnit
}

func setup(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	ctx := sys()
	for _, tn := range []*netra.Tenant{{Code: "00", Name: "Pusat"}, {Code: "62", Name: "Kalimantan Tengah"}, {Code: "62.71", Name: "Kota Palangka Raya"}} {
		if err := s.CreateTenant(ctx, tn); err != nil {
			t.Fatal(err)
		}
	}
	city, _ := s.TenantByCode(ctx, "62.71")
	disdik := &netra.OrgUnit{TenantID: city.ID, Code: "DISDIK", Name: "Dinas Pendidikan", Type: netra.UnitDinas}
	if err := s.CreateUnit(ctx, disdik); err != nil {
		t.Fatal(err)
	}
	sd := &netra.OrgUnit{TenantID: city.ID, ParentID: disdik.ID, Code: "DISDIK.SD", Name: "Bidang SD", Type: netra.UnitBidang}
	if err := s.CreateUnit(ctx, sd); err != nil {
		t.Fatal(err)
	}
	b, err := blob.OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s: s, r: &imports.Runner{Store: s, Blobs: b}, city: city, disdik: disdik, sd: sd}
}

const header = "NIP;NAMA;JENIS_PEGAWAI;GOLONGAN;JABATAN;JENIS_JABATAN;KODE_UNIT;UNIT_KERJA;EMAIL\n"

func TestImportReportsBadRowsAndIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s)
		csv := header +
			"198609262015051001;Budi Santoso;PNS;III/a;Guru;Fungsional;DISDIK.SD;;budi@palangkaraya.go.id\n" +
			"199001012019032002;Siti Aminah;PNS;III/b;Kepala Bidang SD;Administrator;;Dinas Pendidikan > Bidang SD;\n" +
			"19860926201505100X;Rusak;PNS;III/a;Staf;Pelaksana;DISDIK;;\n" +
			"198512312010011003;Andi;PNS;III/c;Staf;Pelaksana;TIDAKADA;;\n" +
			"198609262015051001;Budi Lagi;PNS;III/a;Guru;Fungsional;DISDIK.SD;;\n"
		im, err := f.r.ImportFile(sys(), f.city.ID, "pegawai.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if im.Status != netra.ImportDone || im.Inserted != 2 || im.Rejected != 3 || im.RowsRead != 5 {
			t.Fatalf("first import: %+v", im)
		}
		// The uploaded roster is gone once the import ended; its refused
		// cells stay readable.
		if rc, err := f.r.Blobs.Get(sys(), im.BlobKey); err == nil {
			rc.Close()
			t.Fatalf("the uploaded file %s is still stored after the import ended", im.BlobKey)
		}
		ps, err := s.ImportProblems(sys(), im.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{4: "NIP", 5: "KODE_UNIT", 6: "NIP"}
		if len(ps) != 3 {
			t.Fatalf("problems %+v", ps)
		}
		for _, p := range ps {
			if want[p.Line] != p.Column || p.Reason.ID == "" || p.Reason.EN == "" {
				t.Errorf("problem %+v", p)
			}
		}
		// The same file again changes nothing.
		im2, err := f.r.ImportFile(sys(), f.city.ID, "pegawai.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if im2.Inserted != 0 || im2.Updated != 0 || im2.Unchanged != 2 || im2.Rejected != 3 {
			t.Fatalf("second import: %+v", im2)
		}
		// A changed row updates the employee and records the change.
		changed := strings.Replace(csv, "III/b;Kepala Bidang SD", "IV/a;Kepala Bidang SD", 1)
		im3, err := f.r.ImportFile(sys(), f.city.ID, "pegawai.csv", strings.NewReader(changed))
		if err != nil {
			t.Fatal(err)
		}
		if im3.Updated != 1 || im3.Unchanged != 1 {
			t.Fatalf("third import: %+v", im3)
		}
		page, err := s.Employees(sys(), netra.EmployeeFilter{Search: "siti"})
		if err != nil || len(page.Employees) != 1 || page.Employees[0].Golongan != "IV/a" {
			t.Fatalf("after update: %+v %v", page, err)
		}
		h, err := s.EmployeeHistory(sys(), page.Employees[0].ID)
		if err != nil || len(h) != 1 || h[0].Source != "import:"+itoa(im3.ID) {
			t.Fatalf("history %+v %v", h, err)
		}
	})
}

func TestUnreadableFileChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s)
		for name, body := range map[string]string{
			"binary.csv":  "\x00\x01\x02PK garbage\x00",
			"nohdr.csv":   "foo;bar\n1;2\n",
			"missing.csv": "NIP;NAMA\n198609262015051001;Budi\n",
		} {
			_, err := f.r.Submit(sys(), f.city.ID, name, strings.NewReader(body))
			var fe *roster.FileError
			if !errors.As(err, &fe) || fe.Msg.ID == "" {
				t.Errorf("%s: %v", name, err)
			}
		}
		list, err := s.Imports(sys(), f.city.ID)
		if err != nil || len(list) != 0 {
			t.Fatalf("refused files left imports: %v %v", list, err)
		}
		queued, _, _, _ := s.JobCounts(context.Background())
		if queued != 0 {
			t.Fatalf("refused files queued %d jobs", queued)
		}
	})
}

func TestImportRespectsUnitScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s)
		setda := &netra.OrgUnit{TenantID: f.city.ID, Code: "SETDA", Name: "Sekretariat Daerah", Type: netra.UnitSekretariat}
		if err := s.CreateUnit(sys(), setda); err != nil {
			t.Fatal(err)
		}
		// An operator limited to Dinas Pendidikan imports into it, not into Setda.
		a := &netra.Actor{UserID: 7, Label: "user:op", Grants: []netra.Grant{{Role: netra.RoleTenantAdmin,
			TenantID: f.city.ID, TenantPath: "/00/62/62.71/", UnitID: f.disdik.ID, UnitPath: f.disdik.Path}}}
		ctx := netra.WithActor(context.Background(), a)
		csv := header +
			"198609262015051001;Budi Santoso;PNS;III/a;Guru;Fungsional;DISDIK.SD;;\n" +
			"199001012019032002;Siti Aminah;PNS;III/b;Analis;Fungsional;SETDA;;\n"
		im, err := f.r.ImportFile(ctx, f.city.ID, "x.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if im.Inserted != 1 || im.Rejected != 1 {
			t.Fatalf("scoped import: %+v", im)
		}
	})
}

func itoa(n int64) string { return fmtInt(n) }

// TestNationalRosterAcrossManyGovernments imports a roster spanning more
// governments than the importer keeps unit trees for, once grouped by
// government (trees are evicted and not needed again) and once shuffled (an
// evicted tree is needed again), and checks that every row reached its own
// government.
func TestNationalRosterAcrossManyGovernments(t *testing.T) {
	w, err := wilayah.Load()
	if err != nil {
		t.Fatal(err)
	}
	govs := w.Governments()[:24]
	var codes []string
	for _, g := range govs {
		codes = append(codes, g.Code)
	}
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.GenOptions{Employees: 2400, Seed: 7, Governments: codes}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], roster.ColGovernment)
	if col < 0 {
		t.Fatalf("no %s in %v", roster.ColGovernment, recs[0])
	}
	want := map[string]int{}
	for _, r := range recs[1:] {
		want[r[col]]++
	}
	if len(want) <= 16 {
		t.Fatalf("roster spans only %d governments", len(want))
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	head, body := lines[0], lines[1:len(lines)-1]
	if len(body) != len(recs)-1 {
		t.Fatalf("%d lines for %d records", len(body), len(recs)-1)
	}
	shuffled := slices.Clone(body)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, rows := range map[string][]string{"grouped": body, "shuffled": shuffled} {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				ctx := sys()
				national, _ := governments(t, s, w, codes)
				b, err := blob.OpenDisk(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				r := &imports.Runner{Store: s, Blobs: b}
				im, err := r.ImportFile(ctx, national.ID, "nasional.csv", strings.NewReader(head+strings.Join(rows, "")))
				if err != nil {
					t.Fatal(err)
				}
				if im.Inserted != int64(len(rows)) || im.Rejected != 0 {
					ps, _ := s.ImportProblems(ctx, im.ID, 5)
					t.Fatalf("import %+v, problems %+v", im, ps)
				}
				for code, n := range want {
					tn, err := s.TenantByCode(ctx, code)
					if err != nil {
						t.Fatal(err)
					}
					page, err := s.Employees(ctx, netra.EmployeeFilter{TenantID: tn.ID})
					if err != nil || page.Total != n {
						t.Errorf("%s: %d employees, want %d (%v)", code, page.Total, n, err)
					}
				}
			})
		})
	}
}

// TestLargeImportRefreshesPostgresStatistics checks that an import of many
// employees leaves PostgreSQL with planner statistics for them (a table never
// analysed has reltuples -1).
func TestLargeImportRefreshesPostgresStatistics(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		if e.Name != "postgres" {
			continue
		}
		url := e.URL(t)
		s, err := store.Open(sys(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.Migrate(sys()); err != nil {
			t.Fatal(err)
		}
		w, err := wilayah.Load()
		if err != nil {
			t.Fatal(err)
		}
		national, _ := governments(t, s, w, []string{"62", "62.71"})
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, synth.GenOptions{Employees: 10000, Seed: 3, Governments: []string{"62.71"}}); err != nil {
			t.Fatal(err)
		}
		b, err := blob.OpenDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		im, err := (&imports.Runner{Store: s, Blobs: b}).ImportFile(sys(), national.ID, "kota.csv", &buf)
		if err != nil || im.Inserted != 10000 {
			t.Fatalf("import %+v: %v", im, err)
		}
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var tuples float64
		if err := db.QueryRow(`SELECT reltuples FROM pg_class WHERE relname = 'employees'`).Scan(&tuples); err != nil {
			t.Fatal(err)
		}
		if tuples != 10000 {
			t.Fatalf("reltuples %v after importing 10000 employees: not analysed", tuples)
		}
	}
}

// governments creates the national tenant and the governments of codes (a
// province before its regencies) with their generated unit trees.
func governments(t *testing.T, s *store.Store, w *wilayah.Data, codes []string) (*netra.Tenant, []wilayah.Area) {
	t.Helper()
	ctx := sys()
	national := &netra.Tenant{Code: netra.NationalCode, Name: "Pemerintah Pusat"}
	if err := s.CreateTenant(ctx, national); err != nil {
		t.Fatal(err)
	}
	var out []wilayah.Area
	for _, c := range codes {
		g, ok := w.Lookup(c)
		if !ok {
			t.Fatalf("no area %s", c)
		}
		tn := &netra.Tenant{Code: g.Code, Name: g.Name}
		if err := s.CreateTenant(ctx, tn); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUnitTree(ctx, tn.ID, demo.Seeds(synth.UnitTree(g, w))); err != nil {
			t.Fatal(err)
		}
		out = append(out, g)
	}
	return national, out
}
