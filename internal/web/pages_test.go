package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestOrganisationPages creates, edits, moves and closes units through the
// forms, and checks that closing a unit that still has people is refused
// with the store's message.
func TestOrganisationPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		wantBody(t, a.get("/instansi"), 200, "Kota Palangka Raya", "62.71")
		wantBody(t, a.get("/instansi/"+id(e.palangka.ID)), 200, "Dinas Pendidikan", "Sekretariat Daerah")
		wantBody(t, a.get("/instansi/"+id(e.palangka.ID)+"/unit?q=sekolah"), 200, "Bidang Sekolah Dasar", "· Dinas Pendidikan</span>", "2 unit cocok")

		w := a.post("/instansi/"+id(e.palangka.ID)+"/unit", url.Values{"parent": {id(e.disdik.ID)}, "type": {"upt"},
			"code": {"SDN1"}, "name": {"SD Negeri 1 Palangka Raya"}})
		wantRedirect(t, w, "/unit/")
		newUnit := w.Header().Get("Location")
		wantBody(t, a.get(newUnit), 200, "SD Negeri 1 Palangka Raya", "Dinas Pendidikan</a>", "Unit ditambahkan.")
		// A duplicate code is a field error on the form.
		w = a.post("/instansi/"+id(e.palangka.ID)+"/unit", url.Values{"type": {"upt"}, "code": {"SDN1"}, "name": {"Lain"}})
		wantBody(t, w, 422, "sudah dipakai", `href="#f-code"`)
		// Rename.
		wantRedirect(t, a.post(newUnit+"/ubah", url.Values{"type": {"upt"}, "code": {"SDN1"}, "name": {"SDN 1 Palangka Raya"}}), newUnit)
		// Move under the SD division; the edit page offers only other units.
		edit := a.get(newUnit + "/ubah").Body.String()
		if !strings.Contains(edit, ">— Bidang Sekolah Dasar<") || strings.Contains(edit, `<option value="`+strings.TrimPrefix(newUnit, "/unit/")+`"`) {
			t.Errorf("move choices:\n%s", edit)
		}
		wantRedirect(t, a.post(newUnit+"/pindah", url.Values{"parent": {id(e.disdikSD.ID)}}), newUnit)
		wantBody(t, a.get(newUnit), 200, "Bidang Sekolah Dasar</a>")
		// Moving a unit below itself is refused on the form.
		wantBody(t, a.post("/unit/"+id(e.disdik.ID)+"/pindah", url.Values{"parent": {id(e.disdikSD.ID)}}), 422, "ke bawah dirinya sendiri")
		// Closing a unit with active employees is refused with the store's message.
		wantBody(t, a.post("/unit/"+id(e.disdikSD.ID)+"/tutup", nil), 409,
			"tidak dapat ditutup karena masih ada 1 pegawai aktif", "Pindahkan mereka lebih dulu")
		wantRedirect(t, a.post(newUnit+"/tutup", nil), newUnit)
		wantBody(t, a.get(newUnit), 200, "Ditutup")
		// A verifier reads the tree but has no edit links.
		v := e.as("verifier").get("/unit/" + id(e.disdik.ID)).Body.String()
		if strings.Contains(v, "/ubah") || strings.Contains(v, "/tutup") {
			t.Error("a verifier sees edit actions")
		}
		// A super admin adds a government.
		s := e.as("super")
		wantBody(t, s.post("/instansi", url.Values{"code": {"62.99"}, "name": {""}}), 422, "wajib diisi")
		wantRedirect(t, s.post("/instansi", url.Values{"code": {"62.11"}, "name": {"Kabupaten Contoh"}}), "/instansi/")
		wantBody(t, s.get("/instansi/"+id(e.kalteng.ID)), 200, "Kabupaten Contoh", "Kota Palangka Raya")
	})
}

var employeeLinkRe = regexp.MustCompile(`href="/pegawai/(\d+)"`)

// TestEmployeePages covers the employee list (filters, search by name and
// NIP, keyset pages forward and back), the detail page with its history,
// and the create and edit forms with field errors.
func TestEmployeePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		// 120 more employees in the SD division, so there are pages.
		for i := range 120 {
			e.employee(fmt.Sprintf("x%d", i), e.disdikSD, fmt.Sprintf("Guru %03d", i), "")
		}
		a := e.as("admin")
		w := a.get("/pegawai?unit=" + id(e.disdikSD.ID))
		wantBody(t, w, 200, "121 pegawai", `rel="next"`)
		seen := map[string]bool{}
		page, pages := w, 0
		var urls []string
		for {
			pages++
			for _, m := range employeeLinkRe.FindAllStringSubmatch(page.Body.String(), -1) {
				if seen[m[1]] {
					t.Fatalf("employee %s on two pages", m[1])
				}
				seen[m[1]] = true
			}
			next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(page.Body.String())
			if next == nil {
				break
			}
			u := strings.ReplaceAll(next[1], "&amp;", "&")
			urls = append(urls, u)
			page = a.get(u)
		}
		if len(seen) != 121 || pages != 3 {
			t.Errorf("%d employees over %d pages, want 121 over 3", len(seen), pages)
		}
		// Back from the third page to the second.
		prev := regexp.MustCompile(`href="([^"]+)" rel="prev"`).FindStringSubmatch(page.Body.String())
		if prev == nil || a.get(strings.ReplaceAll(prev[1], "&amp;", "&")).Body.String() != a.get(urls[0]).Body.String() {
			t.Error("the previous link of page 3 does not lead to page 2")
		}
		wantBody(t, a.get("/pegawai?q=siti"), 200, "Siti Aminah", "1 pegawai", "atau bagian dari nama")
		// Across the nation a name search matches the start of names, and the page says so.
		wantBody(t, e.as("super").get("/pegawai?q=siti"), 200, "Siti Aminah", "atau awal nama")
		wantBody(t, a.get("/pegawai?q="+e.employees["guru"].NIP[:8]), 200, "Siti Aminah")
		wantBody(t, a.get("/pegawai?status=retired"), 200, "0 pegawai")
		wantBody(t, a.get("/pegawai?jenis=pppk"), 200, "0 pegawai")

		// Create with errors, then correctly.
		form := url.Values{"instansi": {id(e.palangka.ID)}, "nip": {"123"}, "name": {""}, "type": {"pns"}, "golongan": {"IX"},
			"position_type": {"fungsional"}, "unit": {id(e.disdikSMP.ID)}, "email": {"bukan-email"}}
		w = a.post("/pegawai", form)
		wantBody(t, w, 422, `href="#f-nip"`, "NIP harus 18 digit", "Nama wajib diisi.", "Golongan PNS harus", "Alamat e-mail tidak sah.")
		if !strings.Contains(w.Body.String(), `value="bukan-email"`) {
			t.Error("the form lost what was typed")
		}
		nip := nipFor(200)
		form.Set("nip", nip)
		form.Set("name", "Dewi Lestari")
		form.Set("golongan", "III/c")
		form.Set("email", "dewi@palangkaraya.go.id")
		w = a.post("/pegawai", form)
		wantRedirect(t, w, "/pegawai/")
		detail := w.Header().Get("Location")
		wantBody(t, a.get(detail), 200, "Dewi Lestari", netra.FormatNIP(nip), "Bidang Sekolah Menengah Pertama", "Pegawai ditambahkan.")
		// Edit: move to the SD division and retire; the history shows both.
		form.Set("unit", id(e.disdikSD.ID))
		form.Set("status", "retired")
		wantRedirect(t, a.post(detail+"/ubah", form), detail)
		wantBody(t, a.get(detail), 200, "Riwayat perubahan", "Unit kerja</strong>: Bidang Sekolah Menengah Pertama → Bidang Sekolah Dasar",
			"Status</strong>: Aktif → Pensiun")
		// The read of an employee record is audited.
		eid := strings.TrimPrefix(detail, "/pegawai/")
		es, err := st.AuditEntries(sys, netra.AuditFilter{Action: "employee.read", ObjectID: eid, Limit: 10})
		must(t, err)
		if len(es) == 0 || es[0].ActorID != e.users["admin"].ID {
			t.Errorf("employee reads not audited: %+v", es)
		}
	})
}

// TestUserPages creates a staff user with a first role, adds and removes
// roles, resets the password and the TOTP, disables the account, and
// manages API tokens.
func TestUserPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a := e.as("admin")
		wantBody(t, a.get("/pengguna"), 200, "verifier", "Verifikator")
		wantBody(t, a.post("/pengguna", url.Values{"username": {"X"}, "name": {""}, "role": {"verifier"}, "tenant": {id(e.palangka.ID)}}),
			422, "Nama pengguna 3–64", "Nama wajib diisi")
		// A tenant admin cannot hand out super admin.
		wantBody(t, a.post("/pengguna", url.Values{"username": {"budi"}, "name": {"Budi"}, "role": {"super_admin"}}), 403)
		w := a.post("/pengguna", url.Values{"username": {"budi.s"}, "name": {"Budi Santoso"}, "role": {"verifier"},
			"tenant": {id(e.palangka.ID)}, "unit": {"DISDIK"}})
		wantBody(t, w, 200, "Kata sandi awal untuk budi.s", "Pengguna dibuat.", "Dinas Pendidikan")
		pw := regexp.MustCompile(`<p class="secret">([^<]+)</p>`).FindStringSubmatch(w.Body.String())[1]
		wantRedirect(t, e.anon().password("budi.s", pw), "/masuk/totp/daftar")
		u, err := st.LoginUser(context.Background(), "budi.s")
		must(t, err)
		page := "/pengguna/" + id(u.ID)
		wantRedirect(t, a.post(page+"/peran", url.Values{"role": {"auditor"}, "tenant": {id(e.palangka.ID)}}), page)
		wantBody(t, a.post(page+"/peran", url.Values{"role": {"auditor"}, "tenant": {id(e.palangka.ID)}, "unit": {"NOPE"}}), 422, "Tidak ada unit dengan kode NOPE")
		u, err = st.UserByID(context.Background(), u.ID)
		must(t, err)
		if len(u.Grants) != 2 {
			t.Fatalf("grants: %+v", u.Grants)
		}
		wantRedirect(t, a.post(page+"/peran/"+id(u.Grants[0].ID)+"/hapus", nil), page)
		w = a.post(page+"/sandi", nil)
		wantBody(t, w, 200, "Kata sandi awal untuk budi.s")
		wantRedirect(t, a.post(page+"/totp", nil), page)
		wantRedirect(t, a.post(page+"/status", url.Values{"status": {"disable"}}), page)
		wantBody(t, a.get(page), 200, "Nonaktif", "Aktifkan akun")
		// Admins change their own account on the account page, not here.
		wantBody(t, a.post("/pengguna/"+id(e.users["admin"].ID)+"/status", url.Values{"status": {"disable"}}), 403)
		// Another city's admin cannot open the user.
		if got := e.as("tarakan").get(page).Code; got != 404 {
			t.Errorf("Tarakan admin opens a Palangka Raya user: %d", got)
		}

		// API tokens: created and shown once, listed without the secret, revoked.
		w = a.post("/token", url.Values{"name": {"sinkron-siasn"}, "role": {"auditor"}, "tenant": {id(e.palangka.ID)}, "days": {"90"}})
		wantBody(t, w, 200, "Token baru Anda", "ntr_")
		secret := regexp.MustCompile(`(ntr_[A-Za-z0-9_-]+)`).FindString(w.Body.String())
		list := a.get("/token").Body.String()
		if strings.Contains(list, secret) || !strings.Contains(list, "sinkron-siasn") {
			t.Error("the token list shows the secret or lacks the token")
		}
		api := e.anon()
		api.bearer = secret
		if w := api.get("/api/v1/audit"); w.Code != 200 {
			t.Errorf("auditor token reads the audit log: %d", w.Code)
		}
		if w := api.get("/api/v1/users"); w.Code != 403 {
			t.Errorf("auditor token lists users: %d", w.Code)
		}
		if w := api.get("/pegawai"); w.Code != http.StatusSeeOther {
			t.Errorf("a token opens a page: %d", w.Code)
		}
		toks, err := st.APITokens(netra.WithActor(context.Background(), actorFor(e.users["admin"], "")))
		must(t, err)
		wantRedirect(t, a.post("/token/"+id(toks[0].ID)+"/cabut", nil), "/token")
		if w := api.get("/api/v1/audit"); w.Code != 401 {
			t.Errorf("revoked token: %d", w.Code)
		}
	})
}

// TestAuditPage filters the audit log by action prefix, object and date,
// and pages through it.
func TestAuditPage(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	a := e.as("admin")
	wantRedirect(t, a.post("/unit/"+id(e.disdik.ID)+"/ubah", url.Values{"type": {"dinas"}, "code": {"DISDIK"},
		"name": {"Dinas Pendidikan dan Kebudayaan"}}), "/unit/")
	w := a.get("/audit?action=unit.&object_id=" + id(e.disdik.ID))
	wantBody(t, w, 200, "Mengubah unit kerja Dinas Pendidikan dan Kebudayaan", "nama: Dinas Pendidikan → Dinas Pendidikan dan Kebudayaan", "Pengguna admin")
	if strings.Contains(w.Body.String(), "employee.create") {
		t.Error("the action filter let other actions through")
	}
	wantBody(t, a.get("/audit?from=2001-01-01&to=2001-01-02"), 200, "Tidak ada catatan yang cocok.")
	wantBody(t, a.get("/audit?from=kemarin"), 422, "TTTT-BB-HH")
	// Pages: more than 50 entries.
	for i := range 60 {
		name := fmt.Sprintf("Sekretariat Daerah %d", i)
		_, err := e.st.UpdateUnit(sys, e.setda.ID, store.UnitUpdate{Name: &name})
		must(t, err)
	}
	w = a.get("/audit")
	next := regexp.MustCompile(`href="(/audit\?before=\d+)" rel="next"`).FindStringSubmatch(w.Body.String())
	if next == nil {
		t.Fatal("no next page")
	}
	wantBody(t, a.get(next[1]), 200, "‹ Terbaru")
	// An auditor of Tarakan sees none of Palangka Raya's entries.
	if strings.Contains(e.as("tarakan").get("/audit?action=unit.").Body.String(), "Dinas Pendidikan") {
		t.Error("Tarakan admin sees Palangka Raya's audit entries")
	}
}
