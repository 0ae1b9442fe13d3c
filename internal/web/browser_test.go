package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store/storetest"
)

var q = chromedp.ByQuery

// TestBrowserAdminImport: a new tenant admin signs in with a password,
// enrols an authenticator (the code computed from the key on the page),
// imports a small roster with a bad row through the import page, watches
// the progress page turn into the result page with the row's line and its
// Indonesian reason, then signs out and in again with a TOTP code.
func TestBrowserAdminImport(t *testing.T) {
	ctx := browser(t, 1280, 900, false)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)

	h, err := e.srv.hasher.Hash(context.Background(), testPassword)
	must(t, err)
	u := &netra.User{Username: "operator.bkpsdm", Name: "Operator BKPSDM", PasswordHash: h}
	must(t, e.st.CreateUser(sys, u))
	must(t, e.st.Grant(sys, u.ID, netra.RoleTenantAdmin, e.palangka.ID, 0))
	roster := filepath.Join(t.TempDir(), "roster-dinas.csv")
	must(t, os.WriteFile(roster, []byte(smallRoster()), 0o644))

	var secret, problems, title, h1 string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/impor"),
		chromedp.WaitVisible("#f-username", q),
		screenshot(t, dir, "admin-1-signin"),
		axeCheck(t, "admin-1-signin"),
		chromedp.SendKeys("#f-username", "operator.bkpsdm", q),
		chromedp.SendKeys("#f-password", testPassword, q),
		chromedp.Submit("#f-password", q),
		chromedp.WaitVisible("#totp-secret", q),
		chromedp.WaitVisible("img.qr", q),
		chromedp.Value(`input[name="secret"]`, &secret, q),
		screenshot(t, dir, "admin-2-enrol"),
		axeCheck(t, "admin-2-enrol"),
	))
	code, err := auth.TOTPCode(secret, time.Now())
	must(t, err)
	must(t, chromedp.Run(ctx,
		chromedp.SendKeys("#f-code", code, q),
		chromedp.Submit("#f-code", q),
		chromedp.WaitVisible("ol.codes", q),
		screenshot(t, dir, "admin-3-recovery"),
		axeCheck(t, "admin-3-recovery"),
		chromedp.Click("a.btn.block", q),
		chromedp.WaitVisible("#f-file", q),
		screenshot(t, dir, "admin-4-import-form"),
		axeCheck(t, "admin-4-import-form"),
		chromedp.SetUploadFiles("#f-file", []string{roster}, q),
		chromedp.Submit("#f-file", q),
		chromedp.WaitVisible("progress", q),
		chromedp.Text("h1", &title, q),
		screenshot(t, dir, "admin-5-progress"),
		axeCheck(t, "admin-5-progress"),
	))
	if !strings.Contains(title, "Mengimpor roster-dinas.csv") {
		t.Errorf("progress page title %q", title)
	}
	// The upload first runs as a dry run in the background; the page polls
	// and turns into the preview by itself; confirmed, the import runs and
	// the page turns into the result page.
	ran := e.runJobsAsync()
	var preview string
	must(t, chromedp.Run(ctx,
		chromedp.WaitVisible("#preview", q),
		chromedp.Text("h1", &preview, q),
		screenshot(t, dir, "admin-5b-preview"),
		axeCheck(t, "admin-5b-preview"),
	))
	must(t, <-ran)
	if !strings.Contains(preview, "Pratinjau impor roster-dinas.csv") {
		t.Errorf("preview page title %q", preview)
	}
	must(t, chromedp.Run(ctx,
		chromedp.Click("form[action$='/konfirmasi'] button", q),
		chromedp.WaitVisible("progress", q),
	))
	ran = e.runJobsAsync()
	must(t, chromedp.Run(ctx,
		chromedp.WaitVisible("#problems", q),
		chromedp.Text("#problems tbody", &problems, q),
		chromedp.Text("h1", &h1, q),
		screenshot(t, dir, "admin-6-result"),
		axeCheck(t, "admin-6-result"),
	))
	must(t, <-ran)
	if !strings.Contains(h1, "Hasil impor roster-dinas.csv") {
		t.Errorf("result page title %q", h1)
	}
	for _, want := range []string{"4", "NIP", "12345", "NIP harus 18 digit angka."} {
		if !strings.Contains(problems, want) {
			t.Errorf("rejected rows lack %q: %q", want, problems)
		}
	}
	// Sign out, and in again with the next TOTP code (the enrolment used this one).
	next, err := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
	must(t, err)
	var home string
	must(t, chromedp.Run(ctx,
		chromedp.Click("form[action='/keluar'] button", q),
		chromedp.WaitVisible("#f-username", q),
		chromedp.SendKeys("#f-username", "operator.bkpsdm", q),
		chromedp.SendKeys("#f-password", testPassword, q),
		chromedp.Submit("#f-password", q),
		chromedp.WaitVisible("#f-code", q),
		chromedp.SendKeys("#f-code", next, q),
		chromedp.Submit("#f-code", q),
		chromedp.WaitVisible(".stats", q),
		chromedp.Text("main", &home, q),
		screenshot(t, dir, "admin-7-home"),
		axeCheck(t, "admin-7-home"),
	))
	if !strings.Contains(home, "pegawai aktif") {
		t.Errorf("home: %q", home)
	}
	// A look at the main pages, for the screenshots.
	for name, path := range map[string]string{"employees": "/pegawai", "unit": "/unit/" + id(e.disdik.ID),
		"employee": "/pegawai/" + id(e.employees["guru"].ID), "audit": "/audit", "users": "/pengguna"} {
		must(t, chromedp.Run(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible("h1", q),
			screenshot(t, dir, "admin-page-"+name), axeCheck(t, path)))
	}
}

// TestBrowserEmployeePhone: an employee on a 360×740 phone signs in with
// their NIP and the code from the e-mail the real SMTP server received, and
// lands on their own page, which fits the screen without sideways scrolling.
func TestBrowserEmployeePhone(t *testing.T) {
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	smtp := mailtest.Start(t)
	dir := shotDir(t)
	guru := e.employees["guru"]

	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/saya"),
		chromedp.WaitVisible("#f-nip", q),
		screenshot(t, dir, "phone-1-nip"),
		axeCheck(t, "phone-1-nip"),
		chromedp.SendKeys("#f-nip", netra.FormatNIP(guru.NIP), q),
		chromedp.Submit("#f-nip", q),
		chromedp.WaitVisible("#f-code", q),
		screenshot(t, dir, "phone-2-code"),
		axeCheck(t, "phone-2-code"),
	))
	e.runJobs(mailSender(t, smtp))
	m := smtp.WaitFor(t, guru.Email, 10*time.Second)
	code := mailCodeRe.FindStringSubmatch(m.Text)
	if code == nil {
		t.Fatalf("no code in the mail:\n%s", m.Text)
	}
	var text string
	var overflow bool
	must(t, chromedp.Run(ctx,
		chromedp.SendKeys("#f-code", code[1], q),
		chromedp.Submit("#f-code", q),
		chromedp.WaitVisible("dl.facts", q),
		chromedp.Text("main", &text, q),
		chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow),
		screenshot(t, dir, "phone-3-me"),
		axeCheck(t, "phone-3-me"),
	))
	for _, want := range []string{"Halo, Siti Aminah", netra.FormatNIP(guru.NIP), "Bidang Sekolah Dasar", "Kota Palangka Raya"} {
		if !strings.Contains(text, want) {
			t.Errorf("own page lacks %q", want)
		}
	}
	if overflow {
		t.Error("the employee's page scrolls sideways on a 360 px phone")
	}
}

// TestBrowserPhonePages: the pages with wide tables and the main lists,
// at 360×740 with axe-core: no serious or critical accessibility finding,
// no sideways scrolling of the page (tables scroll in their own focusable
// region), and a Menu button that shows every navigation item.
func TestBrowserPhonePages(t *testing.T) {
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	auditFixture(t, e)
	signInBrowser(t, ctx, e, ts.URL, "admin")
	must(t, chromedp.Run(ctx, chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/token")))
	for _, pg := range []struct{ name, path string }{
		{"home", "/"}, {"employees", "/pegawai"}, {"tokens", "/token"}, {"import", "/impor"},
		{"users", "/pengguna"}, {"audit", "/audit"}, {"employee", "/pegawai/" + id(e.employees["smp"].ID)},
	} {
		var overflow, navHidden bool
		var regions int
		must(t, chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+pg.path),
			chromedp.WaitVisible("h1", q),
			chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow),
			chromedp.Evaluate(`(() => { const l = document.getElementById("main-nav-list"); return !!l && getComputedStyle(l).display === "none"; })()`, &navHidden),
			chromedp.Evaluate(`document.querySelectorAll('.table-wrap[tabindex="0"][role="region"][aria-label], .table-wrap[tabindex="0"][role="region"][aria-labelledby]').length`, &regions),
			screenshot(t, dir, "phone-page-"+pg.name),
			viewShot(t, dir, "phone-view-"+pg.name, ".table-wrap"),
			axeCheck(t, "phone "+pg.path),
		))
		if overflow {
			t.Errorf("%s scrolls sideways on a 360 px phone", pg.path)
		}
		if !navHidden {
			t.Errorf("%s: the navigation list is not folded behind the Menu button", pg.path)
		}
		if pg.name != "employee" && pg.name != "home" && regions == 0 {
			t.Errorf("%s: no focusable, named scroll region around its table", pg.path)
		}
	}
	// The menu opens on a tap and lists every section; its items are big enough to tap.
	var items []string
	var small []string
	must(t, chromedp.Run(ctx,
		chromedp.Click(".menu-toggle", q),
		chromedp.WaitVisible("#main-nav-list", q),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#main-nav-list a")).map(a => a.textContent)`, &items),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("a, button, select, input")).filter(el => {
			const r = el.getBoundingClientRect();
			return r.right > 0 && r.width > 0 && r.height > 0 && (r.height < 24 || r.width < 24);
		}).map(el => el.outerHTML.slice(0, 80))`, &small),
		viewShot(t, dir, "phone-menu-open", ""),
		axeCheck(t, "phone menu open"),
	))
	for _, want := range []string{"Beranda", "Instansi", "Pegawai", "Impor", "Pengguna", "Log audit", "Akun"} {
		if !strings.Contains(strings.Join(items, "|"), want) {
			t.Errorf("the open menu lacks %q: %q", want, items)
		}
	}
	if len(small) > 0 {
		t.Errorf("tap targets smaller than 24 px on the employee page: %q", small)
	}
}

// TestBrowserFailedPostReload: a new employee form posted with mistakes
// shows the errors at the form's GET address; reloading shows the form
// again without a second POST.
func TestBrowserFailedPostReload(t *testing.T) {
	ctx := browser(t, 1280, 900, false)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	pc := &postCounter{h: e.srv.Handler()}
	ts := httptest.NewServer(pc)
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	signInBrowser(t, ctx, e, ts.URL, "admin")
	var path, summary string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/pegawai/baru"),
		chromedp.WaitVisible("#f-name", q),
		chromedp.SendKeys("#f-nip", "123", q),
		chromedp.Submit("#f-name", q),
		chromedp.WaitVisible("#error-summary", q),
		chromedp.Evaluate(`location.pathname + location.search`, &path),
		screenshot(t, dir, "failed-post-1"),
		axeCheck(t, "failed POST /pegawai"),
	))
	if pc.count("/pegawai") != 1 {
		t.Fatalf("%d POSTs to /pegawai, want 1", pc.count("/pegawai"))
	}
	if !strings.HasPrefix(path, "/pegawai/baru") {
		t.Errorf("after the failed POST the address is %q, want the form's /pegawai/baru", path)
	}
	must(t, chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible("#f-name", q),
		chromedp.Evaluate(`document.getElementById("error-summary") ? "errors" : ""`, &summary),
	))
	if n := pc.count("/pegawai"); n != 1 {
		t.Errorf("reload posted the form again: %d POSTs", n)
	}
	if summary != "" {
		t.Error("the reloaded form still shows the old errors")
	}
}
