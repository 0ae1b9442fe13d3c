package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

var (
	mailCodeRe = regexp.MustCompile(`(?m)^\s+(\d{6})$`)
	mailLinkRe = regexp.MustCompile(`http://netra\.test(/masuk/tautan/[A-Za-z0-9_-]+)`)
)

// TestEmployeeCodeSignIn runs the employee sign-in end to end: the NIP,
// the e-mail through the job queue and a real SMTP server, the code read
// from the received message, and the employee's own page.
func TestEmployeeCodeSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		smtp := mailtest.Start(t)
		sender := mailSender(t, smtp)
		guru := e.employees["guru"]

		c := e.anon()
		wantRedirect(t, c.get("/saya"), "/masuk/pegawai?kembali=%2Fsaya")
		wantBody(t, c.get("/masuk/pegawai"), 200, `inputmode="numeric"`)
		// Spaces as people type them from a card.
		wantRedirect(t, c.post("/masuk/pegawai", url.Values{"nip": {netra.FormatNIP(guru.NIP)}}), "/masuk/pegawai/kode")
		if n := len(smtp.Messages()); n != 0 {
			t.Fatalf("%d mails sent before the worker ran: mail must go through the queue", n)
		}
		e.runJobs(sender)
		m := smtp.WaitFor(t, guru.Email, 5*time.Second)
		if m.Subject != "Kode masuk Netra" || !strings.Contains(m.Text, "Halo Siti Aminah") {
			t.Errorf("mail: %q\n%s", m.Subject, m.Text)
		}
		code := mailCodeRe.FindStringSubmatch(m.Text)
		if code == nil {
			t.Fatalf("no code in the mail:\n%s", m.Text)
		}
		page := c.get("/masuk/pegawai/kode")
		wantBody(t, page, 200, "Jika NIP terdaftar dan mempunyai alamat e-mail", `autocomplete="one-time-code"`)
		wantBody(t, c.post("/masuk/pegawai/kode", url.Values{"code": {"000000"}}), http.StatusUnauthorized, "Kode salah")
		wantRedirect(t, c.post("/masuk/pegawai/kode", url.Values{"code": {code[1]}}), "/saya")
		wantBody(t, c.get("/saya"), 200, "Siti Aminah", netra.FormatNIP(guru.NIP), "Bidang Sekolah Dasar")
		// An employee sees their own record, nothing else.
		if w := c.get("/pegawai/" + id(guru.ID)); w.Code != http.StatusForbidden {
			t.Errorf("employee opens the employee page: %d", w.Code)
		}
		// The code was used.
		d := e.anon()
		d.cookies[nipCookie] = &http.Cookie{Name: nipCookie, Value: guru.NIP}
		wantBody(t, d.post("/masuk/pegawai/kode", url.Values{"code": {code[1]}}), http.StatusUnauthorized, "Kode salah")
	})
}

// TestEmployeeCodeSameAnswer checks that the answer to a NIP never tells
// whether it is registered or has an e-mail address, and that no mail goes
// out when there is nobody to send it to.
func TestEmployeeCodeSameAnswer(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	smtp := mailtest.Start(t)
	answers := map[string]string{}
	for name, nip := range map[string]string{
		"registered":  e.employees["guru"].NIP,
		"no e-mail":   e.employees["sekda"].NIP,
		"unknown":     "198001012005011999",
		"unknown NIK": "6271010101800001",
	} {
		c := e.anon()
		w := c.post("/masuk/pegawai", url.Values{"nip": {nip}})
		wantRedirect(t, w, "/masuk/pegawai/kode")
		answers[name] = w.Header().Get("Location") + "|" + c.cookies[flashCookie].Value
	}
	for name, a := range answers {
		if a != answers["registered"] {
			t.Errorf("%s answers %q, registered %q", name, a, answers["registered"])
		}
	}
	e.runJobs(mailSender(t, smtp))
	if ms := smtp.Messages(); len(ms) != 1 || ms[0].To[0] != e.employees["guru"].Email {
		t.Errorf("mails: %+v", ms)
	}
	wantBody(t, e.anon().post("/masuk/pegawai", url.Values{"nip": {"12345"}}), http.StatusUnprocessableEntity, "NIP harus 18 digit")
}

// TestEmployeeCodeLimits checks the per-employee code limit, that wrong
// codes kill a code, the magic link (once), and English mail.
func TestEmployeeCodeLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		smtp := mailtest.Start(t)
		sender := mailSender(t, smtp)
		andi := e.employees["andi"]
		for i := range 4 {
			c := e.anon()
			c.ip = "192.0.2." + id(int64(10+i)) // the per-IP limit is not what this tests
			wantRedirect(t, c.post("/masuk/pegawai", url.Values{"nip": {andi.NIP}}), "/masuk/pegawai/kode")
		}
		e.runJobs(sender)
		if n := len(smtp.Messages()); n != codesInWindow {
			t.Errorf("%d mails for 4 requests, want %d", n, codesInWindow)
		}

		// Wrong codes: after five the live code is dead, even the right one.
		c := e.anon()
		c.lang = "en"
		c.ip = "192.0.2.99"
		e.clock = time.Now().Add(codeWindow + time.Minute) // a fresh window
		wantRedirect(t, c.post("/masuk/pegawai", url.Values{"nip": {andi.NIP}}), "/masuk/pegawai/kode")
		e.runJobs(sender)
		m := smtp.WaitFor(t, andi.Email, 5*time.Second)
		if m.Subject != "Your Netra sign-in code" {
			t.Errorf("English mail subject %q", m.Subject)
		}
		code := mailCodeRe.FindStringSubmatch(m.Text)[1]
		link := mailLinkRe.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no link in:\n%s", m.Text)
		}
		wrong := "111111"
		if code == wrong {
			wrong = "222222"
		}
		for range 5 {
			wantBody(t, c.post("/masuk/pegawai/kode", url.Values{"code": {wrong}}), http.StatusUnauthorized, "wrong or has expired")
		}
		wantBody(t, c.post("/masuk/pegawai/kode", url.Values{"code": {code}}), http.StatusUnauthorized)
		// The link of a dead code is dead too.
		wantBody(t, c.post(link[1], nil), http.StatusUnauthorized, "already been used")

		// A fresh code's link signs in once; opening it (GET) changes nothing.
		e.clock = e.clock.Add(codeWindow + time.Minute)
		d := e.anon()
		d.ip = "192.0.2.100"
		wantRedirect(t, d.post("/masuk/pegawai", url.Values{"nip": {andi.NIP}}), "/masuk/pegawai/kode")
		e.runJobs(sender)
		ms := smtp.Messages()
		link = mailLinkRe.FindStringSubmatch(ms[len(ms)-1].Text)
		wantBody(t, d.get(link[1]), 200, `<form method="post"`)
		wantRedirect(t, d.post(link[1], nil), "/saya")
		wantBody(t, d.get("/saya"), 200, "Andi Wijaya")
		wantBody(t, e.anon().post(link[1], nil), http.StatusUnauthorized)
	})
}
