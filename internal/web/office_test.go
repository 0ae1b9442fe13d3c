package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestOfficeHolderPages records a mayor, a Pjs for the campaign leave and a
// Sekda through the form, reads who held the office on two dates, and checks
// who may write: the city's admin and a super admin, not the province's
// admin (who reads) nor a verifier, and not another city's admin (who does
// not even see the page).
func TestOfficeHolderPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2024, 10, 1, 3, 0, 0, 0, time.UTC)
		e.user("kaltengadmin", netra.RoleTenantAdmin, e.kalteng, nil)
		page := "/instansi/" + id(e.palangka.ID) + "/pejabat"
		a := e.as("admin")
		wantBody(t, a.get("/instansi/"+id(e.palangka.ID)), 200, `href="`+page+`"`)
		wantBody(t, a.get(page), 200, "Belum ada pejabat yang tercatat.", `name="office"`, "tidak ada yang tercatat")

		wantRedirect(t, a.post(page, url.Values{"office": {"ppk:definitive"}, "name": {"Fairid Naparin"},
			"title": {"Wali Kota Palangka Raya"}, "from": {"2019-01-01"}, "to": {"2024-12-31"}, "decree_number": {"131.62-123"}}), page+"?at=2019-01-01")
		// A Pjs needs the end of the campaign leave: the form says so and keeps the values.
		w := a.post(page, url.Values{"office": {"ppk:pjs"}, "name": {"Hera Nugrahayu"}, "nip": {"197106061995032001"}, "from": {"2024-09-25"}})
		wantBody(t, w, 422, "isi tanggal akhirnya", `value="Hera Nugrahayu"`, `href="#f-to"`)
		wantRedirect(t, a.post(page, url.Values{"office": {"ppk:pjs"}, "name": {"Hera Nugrahayu"}, "nip": {"197106061995032001"},
			"from": {"2024-09-25"}, "to": {"2024-11-23"}}), page)
		// Two definitive mayors at once are refused, naming the first.
		wantBody(t, a.post(page, url.Values{"office": {"ppk:definitive"}, "name": {"Orang Lain"}, "from": {"2024-06-01"}}), 409, "Fairid Naparin")
		// The Sekda cannot be a Pjs.
		wantBody(t, a.post(page, url.Values{"office": {"sekda:pjs"}, "name": {"X"}, "from": {"2024-06-01"}, "to": {"2024-07-01"}}), 422, "Sekretaris Daerah dijabat secara")
		wantRedirect(t, a.post(page, url.Values{"office": {"sekda:definitive"}, "name": {"Hera Sekda"}, "employee_id": {id(e.employees["sekda"].ID)},
			"from": {"2021-03-01"}}), page)

		// Who held the office on a day: the Pjs during the leave, the mayor before it.
		on := func(day string) string {
			body := a.get(page + "?at=" + day).Body.String()
			i := strings.Index(body, `class="facts office-now"`)
			j := strings.Index(body[i:], "</dl>")
			return body[i : i+j]
		}
		if got := on("2024-10-01"); !strings.Contains(got, "Hera Nugrahayu") || strings.Contains(got, "Fairid") || !strings.Contains(got, "Hera Sekda") {
			t.Errorf("on 2024-10-01:\n%s", got)
		}
		if got := on("2024-09-01"); !strings.Contains(got, "Fairid Naparin") || strings.Contains(got, "Nugrahayu") {
			t.Errorf("on 2024-09-01:\n%s", got)
		}
		wantBody(t, a.get(page+"?at=kemarin"), 422, "TTTT-BB-HH")

		// The province reads but does not write; a verifier may not write.
		p := e.as("kaltengadmin")
		body := p.get(page).Body.String()
		if !strings.Contains(body, "Fairid Naparin") || strings.Contains(body, `name="office"`) {
			t.Errorf("the province's page:\n%s", body)
		}
		if w := p.post(page, url.Values{"office": {"inspektur:definitive"}, "name": {"X"}, "from": {"2024-01-01"}}); w.Code != http.StatusForbidden {
			t.Errorf("the province writes: %d", w.Code)
		}
		if w := e.as("verifier").post(page, url.Values{"office": {"inspektur:definitive"}, "name": {"X"}, "from": {"2024-01-01"}}); w.Code != http.StatusForbidden {
			t.Errorf("a verifier writes: %d", w.Code)
		}
		if w := e.as("tarakan").get(page); w.Code != http.StatusNotFound {
			t.Errorf("another city reads: %d", w.Code)
		}

		// Edit (end the Sekda's term) and delete.
		hs, err := st.OfficeHolders(sys, e.palangka.ID, store.OfficeHolderFilter{Office: netra.OfficeSekda})
		must(t, err)
		if len(hs) != 1 || hs[0].EmployeeID != e.employees["sekda"].ID {
			t.Fatalf("sekda: %+v", hs)
		}
		wantBody(t, a.get(page+"?ubah="+id(hs[0].ID)), 200, `name="holder" value="`+id(hs[0].ID)+`"`, `value="Hera Sekda"`)
		wantRedirect(t, a.post(page, url.Values{"holder": {id(hs[0].ID)}, "office": {"sekda:definitive"}, "name": {"Hera Sekda"},
			"from": {"2021-03-01"}, "to": {"2024-08-31"}}), page)
		if got := on("2024-10-01"); strings.Contains(got, "Hera Sekda") {
			t.Errorf("the Sekda's term ended:\n%s", got)
		}
		if w := p.post(page+"/hapus", url.Values{"holder": {id(hs[0].ID)}}); w.Code != http.StatusForbidden {
			t.Errorf("the province deletes: %d", w.Code)
		}
		wantRedirect(t, a.post(page+"/hapus", url.Values{"holder": {id(hs[0].ID)}}), page)
		if hs, _ := st.OfficeHolders(sys, e.palangka.ID, store.OfficeHolderFilter{Office: netra.OfficeSekda}); len(hs) != 0 {
			t.Errorf("after delete: %+v", hs)
		}
	})
}

// TestOfficeHolderAPI records, reads on a day, patches and deletes office
// holders through the API, with the same permissions as the pages.
func TestOfficeHolderAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.user("kaltengadmin", netra.RoleTenantAdmin, e.kalteng, nil)
		base := "/api/v1/tenants/" + id(e.palangka.ID) + "/office-holders"
		a := e.as("admin")
		w := a.json("POST", base, map[string]any{"office": "ppk", "kind": "definitive", "name": "Fairid Naparin", "from": "2019-01-01"})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		h := decode[apiOfficeHolder](t, w)
		if h.To != nil || h.EmployeeID != nil || h.From != "2019-01-01" || w.Header().Get("Location") != "/api/v1/office-holders/"+id(h.ID) {
			t.Errorf("created: %+v %s", h, w.Header().Get("Location"))
		}
		// Problems are named per field.
		w = a.json("POST", base, map[string]any{"office": "ppk", "kind": "pjs", "name": "X", "from": "2024-09-25", "to": "24-11-2024"})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "TTTT-BB-HH") {
			t.Errorf("a bad date: %d %s", w.Code, w.Body.String())
		}
		w = a.json("POST", base, map[string]any{"office": "ppk", "kind": "definitive", "name": "Baru", "from": "2025-02-20"})
		if w.Code != http.StatusConflict {
			t.Errorf("an overlapping mayor: %d %s", w.Code, w.Body.String())
		}
		// End the first term, then the successor fits.
		w = a.json("PATCH", "/api/v1/office-holders/"+id(h.ID), map[string]any{"to": "2024-12-31"})
		if w.Code != 200 || decode[apiOfficeHolder](t, w).To == nil || decode[apiOfficeHolder](t, w).Name != "Fairid Naparin" {
			t.Fatalf("patch: %d %s", w.Code, w.Body.String())
		}
		w = a.json("POST", base, map[string]any{"office": "ppk", "kind": "pj", "name": "Akhmad Pj", "from": "2025-01-01", "decree_number": "100.2.1.3-1"})
		if w.Code != http.StatusCreated {
			t.Fatalf("the Pj: %d %s", w.Code, w.Body.String())
		}
		onDay := decode[list[apiOfficeHolder]](t, a.get(base+"?at=2025-01-15&office=ppk"))
		if len(onDay.Items) != 1 || onDay.Items[0].Name != "Akhmad Pj" || onDay.Items[0].Kind != "pj" {
			t.Errorf("on 2025-01-15: %+v", onDay.Items)
		}
		if w := a.get(base + "?office=camat"); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("a bad office filter: %d", w.Code)
		}
		// The province reads, may not write; another city does not see it.
		p := e.as("kaltengadmin")
		if n := len(decode[list[apiOfficeHolder]](t, p.get(base)).Items); n != 2 {
			t.Errorf("the province lists %d", n)
		}
		if w := p.json("PATCH", "/api/v1/office-holders/"+id(h.ID), map[string]any{"name": "X"}); w.Code != http.StatusForbidden {
			t.Errorf("the province patches: %d", w.Code)
		}
		if w := e.as("tarakan").get("/api/v1/office-holders/" + id(h.ID)); w.Code != http.StatusNotFound {
			t.Errorf("another city reads: %d", w.Code)
		}
		if w := a.do("DELETE", "/api/v1/office-holders/"+id(h.ID), nil, nil); w.Code != http.StatusNoContent {
			t.Errorf("delete: %d %s", w.Code, w.Body.String())
		}
		if w := a.get("/api/v1/office-holders/" + id(h.ID)); w.Code != http.StatusNotFound {
			t.Errorf("after delete: %d", w.Code)
		}
	})
}

// TestSuperiorsOnEmployeePage records acting heads through the employee
// page's form and reads the chain of superiors at two dates, on the page and
// through the API.
func TestSuperiorsOnEmployeePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2024, 10, 20, 3, 0, 0, 0, time.UTC)
		a := e.as("admin")
		kadis, andi, guru := e.employees["kadis"], e.employees["andi"], e.employees["guru"]
		// Rina is Plt Kepala Dinas from January; Andi stands in as Plh Kabid SD in September.
		wantRedirect(t, a.post("/pegawai/"+id(kadis.ID)+"/penugasan", url.Values{"kind": {"plt"}, "unit": {id(e.disdik.ID)},
			"start": {"2024-01-02"}, "decree_number": {"800/1/BKPSDM"}}), "/pegawai/"+id(kadis.ID)+"?at=2024-01-02")
		wantRedirect(t, a.post("/pegawai/"+id(andi.ID)+"/penugasan", url.Values{"kind": {"plh"}, "unit": {id(e.disdikSD.ID)},
			"start": {"2024-09-01"}, "end": {"2024-09-30"}}), "/pegawai/")
		// A second acting head of the SD division in September is refused.
		wantBody(t, a.post("/pegawai/"+id(guru.ID)+"/penugasan", url.Values{"kind": {"plt"}, "unit": {id(e.disdikSD.ID)},
			"start": {"2024-09-15"}}), 409, "Andi Wijaya")
		wantBody(t, a.post("/pegawai/"+id(guru.ID)+"/penugasan", url.Values{"kind": {"plt"}, "unit": {id(e.disdikSD.ID)}}), 422,
			"wajib diisi untuk Plt.", `href="#f-start"`)

		page := "/pegawai/" + id(guru.ID)
		sep := a.get(page + "?at=2024-09-15").Body.String()
		chainOf := func(body string) string {
			i := strings.Index(body, `class="plain panel superiors"`)
			if i < 0 {
				t.Fatalf("no chain:\n%s", body)
			}
			return body[i : i+strings.Index(body[i:], "</ol>")]
		}
		if c := chainOf(sep); !strings.Contains(c, "Andi Wijaya") || !strings.Contains(c, "Plh.") || !strings.Contains(c, "Rina Kadis") ||
			strings.Index(c, "Andi Wijaya") > strings.Index(c, "Rina Kadis") {
			t.Errorf("chain on 2024-09-15:\n%s", c)
		}
		if c := chainOf(a.get(page).Body.String()); strings.Contains(c, "Andi Wijaya") || !strings.Contains(c, "kosong") || !strings.Contains(c, "Rina Kadis") {
			t.Errorf("chain today (20 October):\n%s", c)
		}
		wantBody(t, a.get(page+"?at=2024-13-01"), 422)
		// Andi's page lists his assignment with a delete button.
		wantBody(t, a.get("/pegawai/"+id(andi.ID)), 200, "Plh. Kepala Bidang Sekolah Dasar", `action="/pegawai/`+id(andi.ID)+`/penugasan/hapus"`)
		// A verifier sees the chain but no form.
		v := e.as("verifier").get(page + "?at=2024-09-15").Body.String()
		if !strings.Contains(v, "Andi Wijaya") || strings.Contains(v, `/penugasan"`) {
			t.Errorf("the verifier's page:\n%s", chainOf(v))
		}
		if w := e.as("verifier").post("/pegawai/"+id(guru.ID)+"/penugasan", url.Values{"kind": {"plt"}}); w.Code != http.StatusForbidden {
			t.Errorf("a verifier records: %d", w.Code)
		}

		// The API gives the same chain.
		type chainJSON struct {
			At    string        `json:"at"`
			Items []apiSuperior `json:"items"`
		}
		c := decode[chainJSON](t, a.get("/api/v1/employees/"+id(guru.ID)+"/superiors?at=2024-09-15"))
		if c.At != "2024-09-15" || len(c.Items) < 2 || c.Items[0].Name != "Andi Wijaya" || c.Items[0].Kind != "plh" ||
			c.Items[1].Name != "Rina Kadis" || c.Items[1].Level != 2 {
			t.Errorf("API chain: %+v", c)
		}
		last := c.Items[len(c.Items)-1]
		if last.Office != "ppk" || !last.Vacant {
			t.Errorf("no PPK recorded, so the top is vacant: %+v", last)
		}
		as := decode[list[apiAssignment]](t, a.get("/api/v1/employees/"+id(andi.ID)+"/assignments"))
		if len(as.Items) != 1 || as.Items[0].Kind != "plh" || as.Items[0].End == nil || *as.Items[0].End != "2024-09-30" {
			t.Fatalf("API assignments: %+v", as.Items)
		}
		w := a.json("POST", "/api/v1/employees/"+id(guru.ID)+"/assignments", map[string]any{"unit_id": e.disdikSD.ID, "kind": "plt", "start": "2024-10-01"})
		if w.Code != http.StatusCreated {
			t.Fatalf("API create: %d %s", w.Code, w.Body.String())
		}
		if w := e.as("tarakan").get("/api/v1/employees/" + id(guru.ID) + "/superiors"); w.Code != http.StatusNotFound {
			t.Errorf("another city reads the chain: %d", w.Code)
		}
		if w := a.do("DELETE", "/api/v1/employees/"+id(andi.ID)+"/assignments/"+id(as.Items[0].ID), nil, nil); w.Code != http.StatusNoContent {
			t.Errorf("API delete: %d %s", w.Code, w.Body.String())
		}
		// The form's delete.
		created := decode[apiAssignment](t, w)
		wantRedirect(t, a.post("/pegawai/"+id(guru.ID)+"/penugasan/hapus", url.Values{"assignment": {id(created.ID)}}), "/pegawai/"+id(guru.ID))
		if n := len(decode[list[apiAssignment]](t, a.get("/api/v1/employees/"+id(guru.ID)+"/assignments")).Items); n != 0 {
			t.Errorf("after the form's delete: %d", n)
		}
	})
}
