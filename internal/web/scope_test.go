package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// unitRoster has, for an importer limited to Dinas Pendidikan, a good row
// (line 2), a row naming SETDA, outside the subtree (line 3, unit known),
// and a row that does not parse (line 4, unit unknown).
func unitRoster(first int) string {
	return "NIP,NAMA,JENIS_PEGAWAI,GOLONGAN,JABATAN,JENIS_JABATAN,KODE_UNIT,EMAIL\n" +
		nipFor(first) + ",Guru Baru,PNS,III/b,Guru Ahli Pertama,Fungsional,DISDIK-SD,guru.baru@palangkaraya.go.id\n" +
		nipFor(first+1) + ",Staf Setda,PNS,II/c,Pengadministrasi Perkantoran,Pelaksana,SETDA,rahasia.setda@palangkaraya.go.id\n" +
		"12345,Baris Salah,PNS,III/a,Analis,Pelaksana,DISDIK-SD,\n"
}

// audited returns the audit entries with the action, newest first.
func (e *env) audited(t *testing.T, action string) []netra.AuditEntry {
	t.Helper()
	es, err := e.st.AuditEntries(sys, netra.AuditFilter{Action: action, Limit: 100})
	must(t, err)
	return es
}

// TestImportsFollowUnitScopeOnPagesAPIAndCSV: an admin limited to Dinas
// Pendidikan lists only the imports they started, cannot open the
// government admin's import, and reads on the page, in the CSV and through
// the API only the refused rows of their subtree and those whose unit is
// unknown; the government admin reads every row; a unit-scoped token's
// import runs within the token's subtree.
func TestImportsFollowUnitScopeOnPagesAPIAndCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		admin, disdik := e.as("admin"), e.as("disdik")
		w := admin.upload("/impor", "instansi", e.palangka.ID, "pusat.csv", smallRoster(), false)
		wantRedirect(t, w, "/impor/")
		theirs := w.Header().Get("Location")
		w = disdik.upload("/impor", "instansi", e.palangka.ID, "disdik.csv", unitRoster(401), false)
		wantRedirect(t, w, "/impor/")
		mine := w.Header().Get("Location")
		e.runJobs(nil)

		home := disdik.get("/impor?instansi=" + id(e.palangka.ID)).Body.String()
		if !strings.Contains(home, "disdik.csv") || strings.Contains(home, "pusat.csv") {
			t.Errorf("the unit admin's import list should hold only disdik.csv:\n%s", home)
		}
		wantBody(t, admin.get("/impor?instansi="+id(e.palangka.ID)), 200, "disdik.csv", "pusat.csv")
		if body := admin.get(mine).Body.String(); strings.Contains(body, "baris unit lain tidak ditampilkan") || !strings.Contains(body, `<td class="num">3</td>`) {
			t.Error("the government admin's result page should show every row, without the partial note")
		}
		for _, path := range []string{theirs, theirs + "/ditolak.csv"} {
			if got := disdik.get(path).Code; got != 404 {
				t.Errorf("unit admin GET %s: %d, want 404", path, got)
			}
		}

		page := disdik.get(mine)
		wantBody(t, page, 200, `<td class="num">4</td>`, "12345", "baris unit lain tidak ditampilkan")
		if strings.Contains(page.Body.String(), `<td class="num">3</td>`) {
			t.Error("the unit admin's result page shows the SETDA row")
		}
		csv := disdik.get(mine + "/ditolak.csv").Body.String()
		if !strings.Contains(csv, "4;NIP;12345") || strings.Contains(csv, "3;KODE_UNIT") {
			t.Errorf("unit admin's CSV:\n%s", csv)
		}
		if csv := admin.get(mine + "/ditolak.csv").Body.String(); !strings.Contains(csv, "3;KODE_UNIT;SETDA") || !strings.Contains(csv, "4;NIP;12345") {
			t.Errorf("government admin's CSV lacks rows:\n%s", csv)
		}

		// The same through the API, with a token limited to Dinas Pendidikan.
		tok := e.apiClient(netra.RoleTenantAdmin, e.palangka, e.disdik)
		theirsID := strings.TrimPrefix(theirs, "/impor/")
		for _, path := range []string{"/api/v1/imports/" + theirsID, "/api/v1/imports/" + theirsID + "/problems"} {
			if got := tok.get(path).Code; got != 404 {
				t.Errorf("unit token GET %s: %d, want 404", path, got)
			}
		}
		if l := decode[list[apiImport]](t, tok.get("/api/v1/imports?tenant_id="+id(e.palangka.ID))); len(l.Items) != 0 {
			t.Errorf("the unit token lists %d imports it did not start", len(l.Items))
		}
		w = tok.upload("/api/v1/imports", "tenant_id", e.palangka.ID, "token.csv", unitRoster(501), true)
		if w.Code != 201 {
			t.Fatalf("token upload: %d %s", w.Code, w.Body.String())
		}
		im := decode[apiImport](t, w)
		e.runJobs(nil)
		im = decode[apiImport](t, tok.get("/api/v1/imports/"+id(im.ID)))
		if im.Status != "done" || im.Inserted != 1 || im.Rejected != 2 {
			t.Errorf("the token's import ran beyond the token's subtree: %+v", im)
		}
		probs := decode[list[apiImportProblem]](t, tok.get("/api/v1/imports/"+id(im.ID)+"/problems"))
		if len(probs.Items) != 1 || probs.Items[0].Line != 4 {
			t.Errorf("the unit token reads problems %+v, want line 4 only", probs.Items)
		}
		if l := decode[list[apiImport]](t, tok.get("/api/v1/imports?tenant_id="+id(e.palangka.ID))); len(l.Items) != 1 || l.Items[0].ID != im.ID {
			t.Errorf("the unit token lists %+v, want its own import", l.Items)
		}
	})
}

// TestPersonalDataReadsAudited: every page, API call and download that hands
// out personal data leaves one audit entry naming who read it.
func TestPersonalDataReadsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		tokCtx := netra.WithActor(context.Background(), actorFor(e.users["super"], ""))
		secret, tk, err := e.srv.createToken(tokCtx, "verifikator", netra.RoleVerifier, e.palangka.ID, 0, 0)
		must(t, err)
		api := e.anon()
		api.bearer = secret
		l := decode[employeeList](t, api.get("/api/v1/employees?q=siti"))
		if len(l.Items) != 1 || l.Items[0].Email == "" {
			t.Fatalf("employees: %+v", l.Items)
		}
		es := e.audited(t, "employee.list")
		if len(es) != 1 || es[0].TokenID != tk.ID || es[0].TenantID != e.palangka.ID ||
			!strings.Contains(es[0].Summary, `"count":1`) || !strings.Contains(es[0].Summary, `"q":"siti"`) {
			t.Fatalf("employee list through the API audited as %+v", es)
		}
		if strings.Contains(es[0].Summary, "Siti") {
			t.Errorf("the entry copies the rows: %s", es[0].Summary)
		}
		decode[list[apiHistory]](t, api.get("/api/v1/employees/"+id(l.Items[0].ID)+"/history"))
		if es := e.audited(t, "employee.read"); len(es) != 1 || es[0].TokenID != tk.ID || !strings.Contains(es[0].Summary, "history") {
			t.Errorf("history through the API audited as %+v", es)
		}

		a := e.as("admin")
		wantBody(t, a.get("/pegawai"), 200, "Siti Aminah")
		if es := e.audited(t, "employee.list"); len(es) != 2 || es[0].ActorID != e.users["admin"].ID {
			t.Errorf("employee list page audited as %+v", es)
		}
		// Counters hand out no one: the home page is not audited.
		a.get("/")
		if es := e.audited(t, "employee.list"); len(es) != 2 {
			t.Errorf("the home page's counter was audited: %+v", es[0])
		}

		wantBody(t, a.get("/pengguna"), 200, "verifier")
		if es := e.audited(t, "user.list"); len(es) != 1 || es[0].ActorID != e.users["admin"].ID {
			t.Errorf("user list audited as %+v", es)
		}
		wantBody(t, a.get("/pengguna/"+id(e.users["verifier"].ID)), 200, "verifier@netra.test")
		if es := e.audited(t, "user.read"); len(es) != 1 || es[0].ObjectID != id(e.users["verifier"].ID) {
			t.Errorf("user page audited as %+v", es)
		}
		ua := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		decode[list[apiUser]](t, ua.get("/api/v1/users"))
		decode[apiUser](t, ua.get("/api/v1/users/"+id(e.users["verifier"].ID)))
		if n := len(e.audited(t, "user.list")); n != 2 {
			t.Errorf("user list through the API: %d entries, want 2", n)
		}
		if es := e.audited(t, "user.read"); len(es) != 2 || es[0].TokenID == 0 {
			t.Errorf("user through the API audited as %+v", es)
		}

		w := a.upload("/impor", "instansi", e.palangka.ID, "r.csv", smallRoster(), false)
		wantRedirect(t, w, "/impor/")
		page := w.Header().Get("Location")
		e.runJobs(nil)
		before := len(e.audited(t, "import.read"))
		a.get(page)
		a.get(page + "/ditolak.csv")
		ua.get("/api/v1/imports/" + strings.TrimPrefix(page, "/impor/") + "/problems")
		es = e.audited(t, "import.read")
		if len(es) != before+3 {
			t.Fatalf("refused cells read three times, %d entries", len(es)-before)
		}
		for i, via := range []string{"api", "csv", "page"} {
			if !strings.Contains(es[i].Summary, `"via":"`+via+`"`) {
				t.Errorf("entry %d: %s, want via %s", i, es[i].Summary, via)
			}
		}
	})
}

// TestNoDefaultRole: the forms for a new user and a new token choose no
// role; submitting without one is a field error reported with the others,
// on the pages and in the API.
func TestNoDefaultRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		sel := regexp.MustCompile(`(?s)<select id="f-role".*?</select>`)
		for _, path := range []string{"/pengguna/baru", "/token"} {
			body := a.get(path).Body.String()
			s := sel.FindString(body)
			if s == "" {
				t.Fatalf("%s has no role select", path)
			}
			if !strings.HasPrefix(s[strings.Index(s, "<option"):], `<option value="" selected>`) || strings.Count(s, " selected") != 1 {
				t.Errorf("%s preselects a role:\n%s", path, s)
			}
		}
		w := a.post("/pengguna", url.Values{"username": {"X"}, "name": {""}, "tenant": {id(e.palangka.ID)}})
		wantBody(t, w, 422, "Pilih peran.", "Nama pengguna 3–64", "Nama wajib diisi", `href="#f-role"`)
		w = a.post("/token", url.Values{"name": {""}, "tenant": {id(e.palangka.ID)}, "days": {"90"}})
		wantBody(t, w, 422, "Pilih peran.", "Nama token wajib diisi", `href="#f-role"`, `href="#f-name"`)

		c := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		w = c.json("POST", "/api/v1/users", map[string]any{"username": "tanpa.peran", "name": "Tanpa Peran", "tenant_id": e.palangka.ID})
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"role":`) {
			t.Errorf("API user without a role: %d %s", w.Code, w.Body.String())
		}
		w = c.json("POST", "/api/v1/tokens", map[string]any{"tenant_id": e.palangka.ID})
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"role":`) || !strings.Contains(w.Body.String(), `"name":`) {
			t.Errorf("API token without a role and a name: %d %s", w.Code, w.Body.String())
		}
		if _, err := st.LoginUser(context.Background(), "tanpa.peran"); err == nil {
			t.Error("a user without a role was created")
		}
	})
}

// TestUnitAdminSeesUsersOfSubtree: an admin limited to Dinas Pendidikan
// sees the users with a role inside that subtree, on the list, the user page
// and in the API, and no others.
func TestUnitAdminSeesUsersOfSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		inside := e.user("guru.verif", netra.RoleVerifier, e.palangka, e.disdikSD)
		outside := e.user("setda.verif", netra.RoleVerifier, e.palangka, e.setda)
		c := e.as("disdik")
		body := c.get("/pengguna").Body.String()
		if !strings.Contains(body, "guru.verif") {
			t.Errorf("the unit admin does not see the user inside the subtree:\n%s", body)
		}
		for _, out := range []string{"setda.verif", ">admin<", "tarakan", ">verifier<"} {
			if strings.Contains(body, out) {
				t.Errorf("the unit admin sees %s", out)
			}
		}
		for u, want := range map[*netra.User]int{inside: 200, outside: 404, e.users["admin"]: 404, e.users["tarakan"]: 404} {
			if got := c.get("/pengguna/" + id(u.ID)).Code; got != want {
				t.Errorf("GET user %s: %d, want %d", u.Username, got, want)
			}
		}
		tok := e.apiClient(netra.RoleTenantAdmin, e.palangka, e.disdik)
		l := decode[list[apiUser]](t, tok.get("/api/v1/users"))
		var names []string
		for _, u := range l.Items {
			names = append(names, u.Username)
		}
		if strings.Join(names, ",") != "disdik,guru.verif" {
			t.Errorf("the unit token lists %v, want disdik and guru.verif", names)
		}
		if got := tok.get("/api/v1/users/" + id(outside.ID)).Code; got != 404 {
			t.Errorf("unit token opens a user outside: %d", got)
		}
		// Within the subtree the unit admin manages roles, outside it not.
		wantRedirect(t, c.post("/pengguna/"+id(inside.ID)+"/peran", url.Values{"role": {"auditor"}, "tenant": {id(e.palangka.ID)}, "unit": {"DISDIK-SMP"}}),
			"/pengguna/"+id(inside.ID))
		if got := c.post("/pengguna/"+id(inside.ID)+"/peran", url.Values{"role": {"auditor"}, "tenant": {id(e.palangka.ID)}, "unit": {"SETDA"}}).Code; got != 422 && got != 403 {
			t.Errorf("the unit admin grants a role in SETDA: %d", got)
		}
		wantRedirect(t, c.post("/pengguna/"+id(inside.ID)+"/peran/"+id(inside.Grants[0].ID)+"/hapus", nil), "/pengguna/"+id(inside.ID))
		if got := c.post("/pengguna/"+id(outside.ID)+"/sandi", nil).Code; got != 404 {
			t.Errorf("the unit admin resets the password of a user outside: %d", got)
		}
	})
}

// TestProvinceOverseesButDoesNotWrite: the province's admin reads Kota
// Palangka Raya's employees and units but cannot create, edit or move its
// employees, create its units, import into it or create its users; the
// city's admin and a super admin can.
func TestProvinceOverseesButDoesNotWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.user("prov", netra.RoleTenantAdmin, e.kalteng, nil)
		p := e.as("prov")
		guru := e.employees["guru"]
		wantBody(t, p.get("/pegawai?instansi="+id(e.palangka.ID)), 200, "Siti Aminah")
		page := p.get("/pegawai/" + id(guru.ID))
		wantBody(t, page, 200, "Siti Aminah")
		if strings.Contains(page.Body.String(), "/pegawai/"+id(guru.ID)+"/ubah") {
			t.Error("the province's admin is offered to edit a city employee")
		}
		wantBody(t, p.get("/unit/"+id(e.disdik.ID)), 200, "Dinas Pendidikan")

		refusedCode := func(what string, code int) {
			t.Helper()
			if code != 403 && code != 404 && code != 422 {
				t.Errorf("province admin %s: %d, want refused", what, code)
			}
		}
		refusedCode("opens the edit form", p.get("/pegawai/"+id(guru.ID)+"/ubah").Code)
		refusedCode("edits", p.post("/pegawai/"+id(guru.ID)+"/ubah", url.Values{"name": {"Diubah Provinsi"}, "unit": {id(e.disdikSMP.ID)}}).Code)
		refusedCode("creates an employee", p.post("/pegawai", url.Values{"instansi": {id(e.palangka.ID)}, "nip": {nipFor(300)},
			"name": {"Dari Provinsi"}, "type": {"PNS"}, "golongan": {"III/a"}, "position_type": {"pelaksana"}, "unit": {id(e.setda.ID)}}).Code)
		refusedCode("creates a unit", p.post("/instansi/"+id(e.palangka.ID)+"/unit", url.Values{"code": {"PROV-X"}, "name": {"Unit Provinsi"}, "type": {"bidang"}}).Code)
		refusedCode("creates a user", p.post("/pengguna", url.Values{"username": {"kota.baru"}, "name": {"Kota Baru"},
			"email": {"kota.baru@netra.test"}, "role": {"verifier"}, "tenant": {id(e.palangka.ID)}}).Code)
		refusedCode("imports", p.upload("/impor", "instansi", e.palangka.ID, "prov.csv", smallRoster(), false).Code)
		if got, err := st.Employee(sys, guru.ID); err != nil || got.Name != guru.Name || got.UnitID != guru.UnitID {
			t.Errorf("the city's employee changed: %+v, %v", got, err)
		}
		if _, err := st.UnitByCode(sys, e.palangka.ID, "PROV-X"); err == nil {
			t.Error("the province's admin created a unit in the city")
		}
		if _, err := st.LoginUser(context.Background(), "kota.baru"); err == nil {
			t.Error("the province's admin created a user in the city")
		}
		if ims, _ := st.Imports(sys, e.palangka.ID); len(ims) != 0 {
			t.Errorf("the province's admin started %d imports in the city", len(ims))
		}
		// The city's own admin, and a super admin, edit the record.
		for _, who := range []string{"admin", "super"} {
			c := e.as(who)
			if got := c.get("/pegawai/" + id(guru.ID) + "/ubah").Code; got != 200 {
				t.Errorf("%s opens the edit form: %d", who, got)
			}
		}
		tok := e.apiClient(netra.RoleTenantAdmin, e.kalteng, nil)
		w := tok.json("PATCH", "/api/v1/employees/"+id(guru.ID), map[string]any{"name": "Lewat API"})
		refusedCode("edits through the API", w.Code)
	})
}
