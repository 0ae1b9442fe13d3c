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
		chromedp.SendKeys("#f-username", "operator.bkpsdm", q),
		chromedp.SendKeys("#f-password", testPassword, q),
		chromedp.Submit("#f-password", q),
		chromedp.WaitVisible("#totp-secret", q),
		chromedp.WaitVisible("img.qr", q),
		chromedp.Value(`input[name="secret"]`, &secret, q),
		screenshot(t, dir, "admin-2-enrol"),
	))
	code, err := auth.TOTPCode(secret, time.Now())
	must(t, err)
	must(t, chromedp.Run(ctx,
		chromedp.SendKeys("#f-code", code, q),
		chromedp.Submit("#f-code", q),
		chromedp.WaitVisible("ol.codes", q),
		screenshot(t, dir, "admin-3-recovery"),
		chromedp.Click("a.btn.block", q),
		chromedp.WaitVisible("#f-file", q),
		screenshot(t, dir, "admin-4-import-form"),
		chromedp.SetUploadFiles("#f-file", []string{roster}, q),
		chromedp.Submit("#f-file", q),
		chromedp.WaitVisible("progress", q),
		chromedp.Text("h1", &title, q),
		screenshot(t, dir, "admin-5-progress"),
	))
	if !strings.Contains(title, "Mengimpor roster-dinas.csv") {
		t.Errorf("progress page title %q", title)
	}
	// The import runs in the background now; the page polls and turns
	// into the result page by itself.
	ran := e.runJobsAsync()
	must(t, chromedp.Run(ctx,
		chromedp.WaitVisible("#problems", q),
		chromedp.Text("#problems tbody", &problems, q),
		chromedp.Text("h1", &h1, q),
		screenshot(t, dir, "admin-6-result"),
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
	))
	if !strings.Contains(home, "pegawai aktif") {
		t.Errorf("home: %q", home)
	}
	// A look at the main pages, for the screenshots.
	for name, path := range map[string]string{"employees": "/pegawai", "unit": "/unit/" + id(e.disdik.ID),
		"employee": "/pegawai/" + id(e.employees["guru"].ID), "audit": "/audit", "users": "/pengguna"} {
		must(t, chromedp.Run(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible("h1", q), screenshot(t, dir, "admin-page-"+name)))
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
		chromedp.SendKeys("#f-nip", netra.FormatNIP(guru.NIP), q),
		chromedp.Submit("#f-nip", q),
		chromedp.WaitVisible("#f-code", q),
		screenshot(t, dir, "phone-2-code"),
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
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow),
		screenshot(t, dir, "phone-3-me"),
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
