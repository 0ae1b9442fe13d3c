package web

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

// auditFixture has the Palangka Raya admin move Budi Santoso from the SMP
// division to the SD division through the form, and change a unit's name,
// so that the log holds an employee change with a unit id in it.
func auditFixture(t *testing.T, e *env) (budi string) {
	t.Helper()
	a := e.as("admin")
	budi = "/pegawai/" + id(e.employees["smp"].ID)
	form := url.Values{"name": {"Budi Santoso"}, "type": {"pns"}, "golongan": {"III/a"}, "position_name": {"Analis"},
		"position_type": {"pelaksana"}, "unit": {id(e.disdikSD.ID)}, "status": {"active"}}
	wantRedirect(t, a.post(budi+"/ubah", form), budi)
	wantRedirect(t, a.post("/unit/"+id(e.setda.ID)+"/ubah", url.Values{"type": {"sekretariat"}, "code": {"SETDA"},
		"name": {"Sekretariat Daerah Kota"}}), "/unit/")
	return budi
}

// TestAuditSentences: the page names people, objects and units and says
// what happened in plain Indonesian, or English after the switch.
func TestAuditSentences(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.Open(t))
			auditFixture(t, e)
			au := e.as("auditor")
			w := au.get("/audit?kind=employee.")
			wantBody(t, w, 200, "Mengubah pegawai Budi Santoso", "unit: Bidang Sekolah Menengah Pertama → Bidang Sekolah Dasar",
				"Pengguna admin", "Kota Palangka Raya")
			if strings.Contains(w.Body.String(), "Mengubah unit kerja") {
				t.Error("the employee kind let unit changes through")
			}
			wantBody(t, au.get("/audit?kind=unit."), 200, "Mengubah unit kerja Sekretariat Daerah Kota",
				"nama: Sekretariat Daerah → Sekretariat Daerah Kota")
			// Sign-ins: a sentence without an object, the method in words.
			must(t, e.st.AuditUser(sys, "auth.login", e.users["admin"].ID, map[string]string{"method": "totp"}))
			w = au.get("/audit?kind=auth.")
			wantBody(t, w, 200, `<span class="sentence">Masuk</span>`, "cara: kode autentikator")
			if strings.Contains(w.Body.String(), "%!") {
				t.Error("a sentence has a stray format argument")
			}
			// Reads are their own kind.
			au.get("/pegawai/" + id(e.employees["guru"].ID))
			wantBody(t, au.get("/audit?kind=read"), 200, "Membuka data pegawai Siti Aminah")
			// English.
			au.lang = "en"
			wantBody(t, au.get("/bahasa/en?kembali=/audit"), 303)
			wantBody(t, au.get("/audit?kind=employee."), 200, "Changed employee Budi Santoso",
				"unit: Bidang Sekolah Menengah Pertama → Bidang Sekolah Dasar")
		})
	}
}

// TestAuditFilters: by person, by unit (its subtree and the employees in
// it), by period; a bad kind or date is a 422 on the field.
func TestAuditFilters(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.Open(t))
			auditFixture(t, e)
			au := e.as("auditor")
			page := au.get("/audit").Body.String()
			for _, want := range []string{`name="actor_id"`, `name="unit_id"`, `name="kind"`, "Pengguna admin (admin)", "— Bidang Sekolah Dasar"} {
				if !strings.Contains(page, want) {
					t.Errorf("the filter form lacks %q", want)
				}
			}
			admin := id(e.users["admin"].ID)
			w := au.get("/audit?actor_id=" + admin)
			wantBody(t, w, 200, "Mengubah pegawai Budi Santoso", "Mengubah unit kerja Sekretariat Daerah Kota")
			if strings.Contains(w.Body.String(), "Menambah pegawai") {
				t.Error("the person filter let the fixture's system entries through")
			}
			// Unit: Dinas Pendidikan holds the SD division, where Budi works now.
			w = au.get("/audit?unit_id=" + id(e.disdik.ID) + "&actor_id=" + admin)
			wantBody(t, w, 200, "Mengubah pegawai Budi Santoso")
			if strings.Contains(w.Body.String(), "Mengubah unit kerja Sekretariat") {
				t.Error("the unit filter let another unit's entries through")
			}
			w = au.get("/audit?unit_id=" + id(e.setda.ID) + "&actor_id=" + admin)
			wantBody(t, w, 200, "Mengubah unit kerja Sekretariat Daerah Kota")
			if strings.Contains(w.Body.String(), "Budi Santoso") {
				t.Error("the unit filter let another unit's employees through")
			}
			wantBody(t, au.get("/audit?from=2001-01-01&to=2001-01-31"), 200, "Tidak ada catatan yang cocok.")
			wantBody(t, au.get("/audit?kind=semua"), 422, "Jenis tindakan tidak dikenal.")
			wantBody(t, au.get("/audit?from=2026-02-10&to=2026-02-01"), 422, "Tanggal akhir tidak boleh sebelum tanggal awal.")
			// Tarakan's admin sees neither the people nor the entries of Palangka Raya.
			w = e.as("tarakan").get("/audit?actor_id=" + admin)
			if strings.Contains(w.Body.String(), "Budi Santoso") || strings.Contains(w.Body.String(), "Pengguna admin (admin)") {
				t.Error("Tarakan sees Palangka Raya's audit log or people")
			}
		})
	}
}

// TestAuditExport: CSV and XLSX hold the filtered entries with the same
// sentences, every one of them (more than one keyset batch), and the
// export is itself in the log.
func TestAuditExport(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng.Open(t))
			auditFixture(t, e)
			for i := range auditExportBatch + 20 {
				must(t, e.st.AuditRead(sys, e.palangka.ID, "employee", e.employees["guru"].ID, map[string]int{"i": i}))
			}
			au := e.as("auditor")
			w := au.get("/audit?kind=employee.")
			wantBody(t, w, 200, `href="/audit/ekspor.csv?kind=employee.`)

			w = au.get("/audit/ekspor.csv?kind=employee.")
			if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("csv: %d %s", w.Code, w.Header().Get("Content-Type"))
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\uFEFF"))).ReadAll()
			must(t, err)
			if len(recs) < 2 || recs[0][5] != "Tindakan" {
				t.Fatalf("csv: %q", recs)
			}
			found := false
			for _, r := range recs[1:] {
				if !strings.HasPrefix(r[7], "employee.") || strings.HasSuffix(r[7], ".read") {
					t.Errorf("csv row outside the filter: %q", r)
				}
				if r[5] == "Mengubah pegawai Budi Santoso" && strings.Contains(r[6], "unit: Bidang Sekolah Menengah Pertama → Bidang Sekolah Dasar") && r[2] == "Pengguna admin" {
					found = true
				}
			}
			if !found {
				t.Errorf("csv lacks Budi's move: %q", recs)
			}

			// Reads: more than one batch, all of them.
			w = au.get("/audit/ekspor.xlsx?kind=read")
			if w.Code != 200 {
				t.Fatalf("xlsx: %d %s", w.Code, w.Body.String())
			}
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			must(t, err)
			rows, err := f.GetRows(f.GetSheetName(0))
			must(t, err)
			siti := 0
			for _, r := range rows[1:] {
				if r[5] == "Membuka data pegawai Siti Aminah" {
					siti++
				}
			}
			if siti != auditExportBatch+20 { // the admin's edit form read Budi's record too
				t.Errorf("xlsx has %d reads of Siti's record, want %d", siti, auditExportBatch+20)
			}
			if len(rows) > 1 && rows[1][5] != "Membuka data pegawai Siti Aminah" {
				t.Errorf("xlsx row: %q", rows[1])
			}
			es, err := e.st.AuditEntries(sys, netra.AuditFilter{Action: "audit.export", Limit: 10})
			must(t, err)
			if len(es) != 2 || es[0].TenantID != e.palangka.ID || !strings.Contains(es[0].Summary, `"kind":"read"`) {
				t.Errorf("exports not audited: %+v", es)
			}
			wantBody(t, au.get("/audit?kind=audit."), 200, "Mengekspor log audit", "format: xlsx")
		})
	}
}
