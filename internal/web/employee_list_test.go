package web

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// bulkForm is the bulk form as the list page posts it.
func bulkForm(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// TestBulkMoveAndStatusForms: the list offers the bulk bar to the city's
// admin; a bulk move of ticked rows and a status change of "all matching"
// first show a confirmation with the count and change nothing, then apply
// on confirmation, and the bulk page lists both with who, what and count.
func TestBulkMoveAndStatusForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		guru, smp := e.employees["guru"], e.employees["smp"]
		list := a.get("/pegawai?instansi=" + id(e.palangka.ID))
		wantBody(t, list, 200, `<form id="bulk" method="post" action="/pegawai/massal"`, `name="id" value="`+id(guru.ID)+`" form="bulk"`,
			`name="halaman_id" value="`+id(guru.ID)+`"`, `<input type="hidden" name="instansi" value="`+id(e.palangka.ID)+`">`, `src="/static/bulk.`,
			"/pegawai/ekspor.csv?instansi="+id(e.palangka.ID))

		// Step one: the confirmation, nothing written.
		form := bulkForm("instansi", id(e.palangka.ID), "pilih", "centang", "id", id(guru.ID), "id", id(smp.ID),
			"aksi", "pindah", "unit_tujuan", "Menengah Pertama")
		w := a.post("/pegawai/massal", form)
		wantBody(t, w, 200, "Pindahkan 2 pegawai ke Bidang Sekolah Menengah Pertama (DISDIK-SMP)?",
			`name="unit_id" value="`+id(e.disdikSMP.ID)+`"`, `name="konfirmasi" value="1"`, "Ya, ubah 2 pegawai")
		if got, _ := st.Employee(sys, guru.ID); got.UnitID != guru.UnitID {
			t.Fatal("the confirmation step moved the employee")
		}
		// Step two: confirmed.
		form.Set("konfirmasi", "1")
		form.Set("unit_id", id(e.disdikSMP.ID))
		wantRedirect(t, a.post("/pegawai/massal", form), "/pegawai/massal")
		if got, _ := st.Employee(sys, guru.ID); got.UnitID != e.disdikSMP.ID {
			t.Errorf("Siti is in unit %d after the bulk move", got.UnitID)
		}

		// All matching: the active staff of Dinas Pendidikan (3).
		form = bulkForm("instansi", id(e.palangka.ID), "unit", id(e.disdik.ID), "pilih", "semua", "aksi", "status", "status_baru", "cltn")
		wantBody(t, a.post("/pegawai/massal", form), 200, "Ubah status 3 pegawai menjadi", "Ya, ubah 3 pegawai", `name="pilih" value="semua"`)
		form.Set("konfirmasi", "1")
		wantRedirect(t, a.post("/pegawai/massal", form), "/pegawai/massal")
		for _, k := range []string{"kadis", "guru", "smp"} {
			if got, _ := st.Employee(sys, e.employees[k].ID); got.Status != netra.StatusCLTN {
				t.Errorf("%s has status %s", k, got.Status)
			}
		}
		if got, _ := st.Employee(sys, e.employees["andi"].ID); got.Status != netra.StatusActive {
			t.Errorf("Andi (SETDA, outside the filter) has status %s", got.Status)
		}
		page := a.get("/pegawai/massal").Body.String()
		for _, want := range []string{"Pindah ke Bidang Sekolah Menengah Pertama", "2 pegawai yang dipilih", "1 sudah sesuai",
			"Status menjadi", "3 pegawai menurut saringan Instansi: Kota Palangka Raya, ", "Dinas Pendidikan", "user:admin", `<td class="num">3</td>`, `<td class="num">1</td>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the bulk page lacks %q", want)
			}
		}
		es := e.audited(t, store.BulkAction)
		if len(es) != 2 || es[0].ActorID != e.users["admin"].ID || !strings.Contains(es[0].Summary, `"count":3`) {
			t.Errorf("bulk changes audited as %+v", es)
		}
	})
}

// TestBulkRefusals: a unit admin whose ticked rows include one outside its
// subtree is refused with the count and nothing changes; the province's
// admin is not offered the bulk bar on the city's list and is refused when
// it posts; a bad status and an ambiguous unit are field errors.
func TestBulkRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		guru, andi := e.employees["guru"], e.employees["andi"]
		d := e.as("disdik")
		form := bulkForm("pilih", "centang", "id", id(guru.ID), "id", id(andi.ID), "aksi", "status", "status_baru", "cltn", "konfirmasi", "1")
		wantBody(t, d.post("/pegawai/massal", form), 422, "1 dari 2 pegawai yang dipilih di luar wewenang Anda")
		if got, _ := st.Employee(sys, guru.ID); got.Status != netra.StatusActive {
			t.Error("a refused bulk change changed Siti")
		}

		e.user("prov", netra.RoleTenantAdmin, e.kalteng, nil)
		p := e.as("prov")
		if body := p.get("/pegawai?instansi=" + id(e.palangka.ID)).Body.String(); strings.Contains(body, `id="bulk"`) || !strings.Contains(body, "Siti Aminah") {
			t.Error("the province's admin is offered bulk changes on the city's list (or cannot read it)")
		}
		form = bulkForm("instansi", id(e.palangka.ID), "pilih", "semua", "aksi", "status", "status_baru", "cltn", "konfirmasi", "1")
		wantBody(t, p.post("/pegawai/massal", form), 422, "di luar wewenang Anda")
		if es := e.audited(t, store.BulkAction); len(es) != 0 {
			t.Errorf("refused bulk changes audited: %+v", es)
		}

		a := e.as("admin")
		wantBody(t, a.post("/pegawai/massal", bulkForm("pilih", "centang", "id", id(guru.ID), "aksi", "status", "status_baru", "nope")), 422, "Pilih status baru.")
		wantBody(t, a.post("/pegawai/massal", bulkForm("instansi", id(e.palangka.ID), "pilih", "centang", "id", id(guru.ID), "aksi", "pindah", "unit_tujuan", "Bidang")),
			422, "cocok dengan beberapa unit", "DISDIK-SD", "DISDIK-SMP")
		wantBody(t, a.post("/pegawai/massal", bulkForm("pilih", "centang", "aksi", "status", "status_baru", "cltn")), 422, "Centang paling sedikit satu pegawai")
	})
}

// TestUnitSearchAPI: the unit picker's search finds units by part of the
// name in the caller's government, only writable ones on request, and
// nothing of a government out of reach.
func TestUnitSearchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		codes := func(c *client, q string) []string {
			t.Helper()
			w := c.get("/api/v1/units?" + q)
			if w.Code != 200 {
				t.Fatalf("GET /api/v1/units?%s: %d %s", q, w.Code, w.Body.String())
			}
			var out []string
			for _, u := range decode[list[apiUnit]](t, w).Items {
				out = append(out, u.Code)
			}
			return out
		}
		city := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		if got := codes(city, "q=sekolah"); !slices.Equal(got, []string{"DISDIK-SD", "DISDIK-SMP"}) {
			t.Errorf("city admin finds %v", got)
		}
		if got := codes(city, "q=SETDA&tenant_id="+id(e.palangka.ID)); !slices.Equal(got, []string{"SETDA"}) {
			t.Errorf("city admin finds %v for SETDA", got)
		}
		prov := e.apiClient(netra.RoleTenantAdmin, e.kalteng, nil)
		if got := codes(prov, "q=sekolah&tenant_id="+id(e.palangka.ID)); len(got) != 2 {
			t.Errorf("the province reads the city's units: %v", got)
		}
		if got := codes(prov, "q=sekolah&writable=true&tenant_id="+id(e.palangka.ID)); len(got) != 0 {
			t.Errorf("the province may place employees in %v", got)
		}
		unit := e.apiClient(netra.RoleTenantAdmin, e.palangka, e.disdik)
		if got := codes(unit, "q=e&writable=true"); slices.Contains(got, "SETDA") || !slices.Contains(got, "DISDIK-SD") {
			t.Errorf("the Disdik admin may place employees in %v", got)
		}
		if got := e.apiClient(netra.RoleTenantAdmin, e.tarakan, nil).get("/api/v1/units?q=sekolah&tenant_id=" + id(e.palangka.ID)).Code; got != 404 {
			t.Errorf("Tarakan searches Palangka Raya's units: %d", got)
		}
		if got := e.as("super").get("/api/v1/units?q=sekolah").Code; got != 422 {
			t.Errorf("a search across governments without tenant_id: %d, want 422", got)
		}
	})
}

// TestEmployeeExport: the list exports as CSV and XLSX with the import's
// column names, honouring the filter, with formula cells neutralised; each
// export is one audited list read; and the CSV imports back as a no-op.
func TestEmployeeExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		pos := "=HYPERLINK(\"http://x\")"
		_, err := st.UpdateEmployee(sys, e.employees["guru"].ID, store.EmployeeUpdate{PositionName: &pos})
		must(t, err)
		a := e.as("admin")
		var header []string
		for _, c := range roster.Columns {
			if !c.ReadOnly { // read-only columns are written as their parts
				header = append(header, c.Name)
			}
		}
		filter := "?instansi=" + id(e.palangka.ID) + "&unit=" + id(e.disdik.ID)
		w := a.get("/pegawai/ekspor.csv" + filter)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("CSV export: %d %v", w.Code, w.Header())
		}
		body := w.Body.String()
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		must(t, err)
		if !slices.Equal(recs[0], header) {
			t.Errorf("CSV header %v, want %v", recs[0], header)
		}
		names := map[string][]string{}
		nameCol, posCol := slices.Index(header, roster.ColName), slices.Index(header, roster.ColPosition)
		for _, rec := range recs[1:] {
			names[rec[nameCol]] = rec
		}
		if len(recs) != 4 || names["Siti Aminah"] == nil || names["Rina Kadis"] == nil || names["Budi Santoso"] == nil || names["Andi Wijaya"] != nil {
			t.Errorf("CSV rows %v, want the three of Dinas Pendidikan", recs[1:])
		}
		if got := names["Siti Aminah"][posCol]; got != "'"+pos {
			t.Errorf("formula cell exported as %q", got)
		}
		es := e.audited(t, "employee.list")
		if len(es) == 0 || !strings.Contains(es[0].Summary, `"via":"csv"`) || !strings.Contains(es[0].Summary, `"count":3`) || es[0].ActorID != e.users["admin"].ID {
			t.Errorf("CSV export audited as %+v", es)
		}

		w = a.get("/pegawai/ekspor.xlsx?q=siti")
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("XLSX export: %d %v", w.Code, w.Header())
		}
		book, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		must(t, err)
		rows, err := book.GetRows(book.GetSheetList()[0])
		must(t, err)
		if len(rows) != 2 || !slices.Equal(rows[0], header) || rows[1][nameCol] != "Siti Aminah" || rows[1][posCol] != "'"+pos {
			t.Errorf("XLSX rows %v", rows)
		}
		if es := e.audited(t, "employee.list"); !strings.Contains(es[0].Summary, `"via":"xlsx"`) || !strings.Contains(es[0].Summary, `"count":1`) {
			t.Errorf("XLSX export audited as %+v", es[0])
		}

		// Outside the scope nothing goes out: Tarakan's admin exports none of
		// Palangka Raya.
		if body := e.as("tarakan").get("/pegawai/ekspor.csv?instansi=" + id(e.palangka.ID)).Body.String(); strings.Contains(body, "Siti") {
			t.Error("Tarakan's admin exported Palangka Raya's staff")
		}

		// The export imports back unchanged.
		w = a.upload("/impor", "instansi", e.palangka.ID, "ekspor.csv", body, false)
		wantRedirect(t, w, "/impor/")
		e.runJobs(nil) // the preview
		ims, err := st.Imports(sys, e.palangka.ID)
		must(t, err)
		if len(ims) != 1 || ims[0].Status != "previewed" || ims[0].Unchanged != 3 {
			t.Fatalf("preview of the export: %+v", ims)
		}
		wantRedirect(t, a.post("/impor/"+id(ims[0].ID)+"/konfirmasi", nil), "/impor/")
		e.runJobs(nil)
		ims, err = st.Imports(sys, e.palangka.ID)
		must(t, err)
		if len(ims) != 1 || ims[0].Status != "done" || ims[0].Unchanged != 3 || ims[0].Inserted+ims[0].Updated+ims[0].Rejected != 0 {
			t.Errorf("re-import of the export: %+v", ims)
		}
	})
}
