package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestEmployeeRegistryFields enters the SIASN fields through the form and
// the JSON API, reads them back on the page and in the API, and finds the
// employee by NIK.
func TestEmployeeRegistryFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		nip := nipFor(300)
		form := url.Values{"instansi": {id(e.palangka.ID)}, "nip": {nip}, "name": {"Rina Wulandari"}, "type": {"pns"},
			"golongan": {"III/d"}, "position_type": {"administrator"}, "position_name": {"Kepala Bagian Umum"},
			"unit": {id(e.setda.ID)}, "nik": {"62710112345"}, "rank_date": {"2020-13-01"}, "other_email": {"rina@"},
			"eselon": {"III.a"}, "education": {"S-2/Magister"}, "birth_place": {"Kuala Kapuas"}, "head": {"1"},
			"position_date": {"2022-01-03"}, "nip_lama": {""}}
		w := a.post("/pegawai", form)
		wantBody(t, w, 422, `href="#f-nik"`, "NIK harus 16 angka.", `href="#f-rank_date"`, `href="#f-other_email"`,
			`value="62710112345"`, `value="Kuala Kapuas"`, "TMT golongan")
		form.Set("nik", "6271014405900002")
		form.Set("rank_date", "2020-04-01")
		form.Set("other_email", "Rina.W@gmail.com")
		w = a.post("/pegawai", form)
		wantRedirect(t, w, "/pegawai/")
		detail := w.Header().Get("Location")
		wantBody(t, a.get(detail), 200, "6271014405900002", "III.a", "S-2/Magister", "Kuala Kapuas", "rina.w@gmail.com",
			"Riwayat nomor identitas", "catatan ini")
		wantBody(t, a.get(detail+"/ubah"), 200, `name="head" type="checkbox" value="1" checked`, `value="2020-04-01"`,
			`value="cltn"`, `value="pre_retirement"`)
		// Clearing the head flag (a new position, with its TMT) and the TMT
		// golongan through the form.
		form.Del("head")
		form.Set("position_date", "2024-07-01")
		form.Set("rank_date", "")
		form.Set("status", "study_leave")
		wantRedirect(t, a.post(detail+"/ubah", form), detail)
		wantBody(t, a.get(detail), 200, "Kepala unit</strong>: Ya → Tidak", "TMT jabatan</strong>: 2022-01-03 → 2024-07-01",
			"TMT golongan</strong>: 2020-04-01 → –", "Tugas belajar")
		// The list finds her by NIK.
		wantBody(t, a.get("/pegawai?status=all&q=6271014405900002"), 200, "Rina Wulandari", "1 pegawai")

		// The API reads and writes the same fields.
		c := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		eid := strings.TrimPrefix(detail, "/pegawai/")
		got := decode[apiEmployee](t, c.get("/api/v1/employees/"+eid))
		if got.NIK != "6271014405900002" || got.RankDate != "" || got.PositionDate != "2024-07-01" || got.Head ||
			got.Eselon != "III.a" || got.OtherEmail != "rina.w@gmail.com" || got.Status != "study_leave" || got.PersonID == 0 {
			t.Fatalf("API read: %+v", got)
		}
		if w := c.json("PATCH", "/api/v1/employees/"+eid, map[string]any{"rank_date": "01-04-2020"}); w.Code != 422 {
			t.Errorf("bad TMT date: %d %s", w.Code, w.Body.String())
		}
		p := decode[apiEmployee](t, c.json("PATCH", "/api/v1/employees/"+eid, map[string]any{"rank_date": "2021-04-01", "head": true,
			"pns_id": "8AE483A84D2A11E2B5BE0242AC110003", "nip_lama": "130555444"}))
		if p.RankDate != "2021-04-01" || !p.Head || p.PNSID != "8AE483A84D2A11E2B5BE0242AC110003" || p.OldNIP != "130555444" || p.NIK != got.NIK {
			t.Fatalf("API patch: %+v", p)
		}
		ids := decode[list[apiIdentifier]](t, c.get("/api/v1/employees/"+eid+"/identifiers"))
		kinds := map[string]bool{}
		for _, i := range ids.Items {
			if i.EmployeeID == nil || !i.Current {
				t.Errorf("identifier of the record itself unlinked or not current: %+v", i)
			}
			kinds[i.Kind+":"+i.Value] = true
		}
		if !kinds["nip:"+nip] || !kinds["nik:6271014405900002"] || !kinds["pns_id:8AE483A84D2A11E2B5BE0242AC110003"] || !kinds["nip_lama:130555444"] {
			t.Errorf("API identifiers: %+v", ids.Items)
		}
		w = c.json("POST", "/api/v1/employees", map[string]any{"nip": "6271015203950003", "name": "Andi", "type": "non_asn",
			"position_type": "pelaksana", "unit_id": e.setda.ID, "birth_place": "Sampit", "position_date": "2024-02-01"})
		if w.Code != 201 {
			t.Fatalf("API create: %d %s", w.Code, w.Body.String())
		}
		n := decode[apiEmployee](t, w)
		if n.NIK != "6271015203950003" || n.BirthPlace != "Sampit" || n.PositionDate != "2024-02-01" {
			t.Fatalf("API create: %+v", n)
		}
	})
}

// TestIdentifierHistoryAcrossGovernments: one person with a record in
// Palangka Raya and one in Tarakan. Each city's admin sees the other's
// record as "Catatan di instansi lain", with the government and no number;
// a super admin sees both numbers.
func TestIdentifierHistoryAcrossGovernments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		nik := "6271015503870003"
		pr := &netra.Employee{NIP: "198703152010012001", NIK: nik, Name: "Siti Aminah", Type: netra.PNS, Golongan: "III/c",
			PositionType: netra.Pelaksana, UnitID: e.setda.ID, Status: netra.StatusMovedOut}
		tk := &netra.Employee{NIP: "198703152015032002", NIK: nik, Name: "Siti Aminah", Type: netra.PNS, Golongan: "III/c",
			PositionType: netra.Pelaksana, UnitID: e.setdaTRK.ID}
		for _, x := range []*netra.Employee{pr, tk} {
			if err := st.CreateEmployee(sys, x); err != nil {
				t.Fatal(err)
			}
		}
		if pr.PersonID == 0 || pr.PersonID != tk.PersonID {
			t.Fatalf("not one person: %d %d", pr.PersonID, tk.PersonID)
		}
		for _, c := range []struct{ who, page, own, other, otherGov string }{
			{"admin", "/pegawai/" + id(pr.ID), pr.NIP, tk.NIP, "Kota Tarakan"},
			{"tarakan", "/pegawai/" + id(tk.ID), tk.NIP, pr.NIP, "Kota Palangka Raya"},
		} {
			w := e.as(c.who).get(c.page)
			wantBody(t, w, 200, "Riwayat nomor identitas", c.own, "<td>Catatan di instansi lain</td><td class=\"mono\">–</td><td>"+c.otherGov+"</td>")
			if strings.Contains(w.Body.String(), c.other) {
				t.Errorf("%s sees the other government's NIP %s", c.who, c.other)
			}
		}
		w := e.as("super").get("/pegawai/" + id(pr.ID))
		wantBody(t, w, 200, pr.NIP, tk.NIP, `href="/pegawai/`+id(tk.ID)+`"`)
		if strings.Contains(w.Body.String(), "Catatan di instansi lain") {
			t.Error("a super admin is shown a record as elsewhere")
		}
		// The API says the same.
		c := e.apiClient(netra.RoleTenantAdmin, e.tarakan, nil)
		ids := decode[list[apiIdentifier]](t, c.get("/api/v1/employees/"+id(tk.ID)+"/identifiers"))
		var elsewhere int
		for _, i := range ids.Items {
			if i.Value == pr.NIP {
				t.Errorf("API: Tarakan reads Palangka Raya's NIP: %+v", i)
			}
			if i.Kind == "elsewhere" && i.Value == "" && i.EmployeeID == nil && i.TenantName == "Kota Palangka Raya" && i.Until != nil {
				elsewhere++
			}
		}
		if elsewhere != 1 {
			t.Errorf("API identifiers for Tarakan: %+v", ids.Items)
		}
	})
}
