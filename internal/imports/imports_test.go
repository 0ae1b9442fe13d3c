package imports_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
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
		if im.Status != store.ImportDone || im.Inserted != 2 || im.Rejected != 3 || im.RowsRead != 5 {
			t.Fatalf("first import: %+v", im)
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
		page, err := s.Employees(sys(), store.EmployeeFilter{Search: "siti"})
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
