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

var resetLinkRe = regexp.MustCompile(`http://netra\.test(/masuk/sandi-baru/[A-Za-z0-9_-]+)`)

// TestPasswordResetByEmail runs the lost-password flow: the same answer
// for a real and an unknown username, a single-use link by e-mail, the
// second factor still required, every session ended, a dead link after use
// or after its time, a limit on links, and the audit entries.
func TestPasswordResetByEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
		smtp := mailtest.Start(t)
		sender := mailSender(t, smtp)
		admin := e.users["admin"]
		signedIn := e.as("admin")

		c := e.anon()
		wantBody(t, c.get("/masuk"), 200, `href="/masuk/lupa"`)
		wantBody(t, c.get("/masuk/lupa"), 200, `autocomplete="username"`)
		real := c.post("/masuk/lupa", url.Values{"username": {"admin"}})
		wantRedirect(t, real, "/masuk")
		ghost := e.anon().post("/masuk/lupa", url.Values{"username": {"tidak.ada"}})
		if ghost.Code != real.Code || ghost.Header().Get("Location") != real.Header().Get("Location") {
			t.Errorf("unknown username answered %d %q, a real one %d %q", ghost.Code, ghost.Header().Get("Location"),
				real.Code, real.Header().Get("Location"))
		}
		wantBody(t, c.get("/masuk"), 200, "tautan untuk membuat kata sandi baru sudah dikirim")
		e.runJobs(sender)
		m := smtp.WaitFor(t, admin.Email, 5*time.Second)
		if n := len(smtp.Messages()); n != 1 {
			t.Errorf("%d mails sent, want 1 (none for the unknown name)", n)
		}
		link := resetLinkRe.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no link in the mail:\n%s", m.Text)
		}

		// Opening the link changes nothing; the form wants the second factor.
		wantBody(t, c.get(link[1]), 200, `name="new_password"`, `name="code"`)
		wantBody(t, c.get(link[1]), 200, `name="code"`)
		const newPassword = "kata sandi baru yang panjang"
		form := url.Values{"new_password": {newPassword}, "confirm_password": {newPassword}, "code": {"000000"}}
		wantBody(t, c.post(link[1], form), http.StatusUnauthorized, "Kode salah")
		form.Set("code", e.code("admin"))
		wantRedirect(t, c.post(link[1], form), "/masuk")
		wantBody(t, c.get("/masuk"), 200, "Kata sandi baru tersimpan")

		// The new password works, the old one no longer, sessions ended.
		e.clock = e.clock.Add(time.Minute)
		wantBody(t, e.anon().password("admin", testPassword), http.StatusUnauthorized, "salah")
		wantRedirect(t, e.anon().password("admin", newPassword), "/masuk/totp")
		wantRedirect(t, signedIn.get("/pegawai"), "/masuk")
		// The link works once.
		wantBody(t, c.get(link[1]), http.StatusNotFound, "sudah dipakai atau kedaluwarsa")
		wantBody(t, c.post(link[1], form), http.StatusNotFound, "sudah dipakai atau kedaluwarsa")

		// A link dies after its time.
		wantRedirect(t, c.post("/masuk/lupa", url.Values{"username": {"admin"}}), "/masuk")
		e.runJobs(sender)
		msgs := smtp.Messages()
		late := resetLinkRe.FindStringSubmatch(msgs[len(msgs)-1].Text)
		e.clock = e.clock.Add(resetLifetime + time.Second)
		wantBody(t, c.get(late[1]), http.StatusNotFound, "kedaluwarsa")

		// At most resetsInWindow links an hour (two were sent), with the same answer.
		for range 4 {
			wantRedirect(t, c.post("/masuk/lupa", url.Values{"username": {"admin"}}), "/masuk")
		}
		e.runJobs(sender)
		if n := len(smtp.Messages()); n != resetsInWindow {
			t.Errorf("%d mails after the limit, want %d", n, resetsInWindow)
		}

		es, err := st.AuditEntries(sys, netra.AuditFilter{Action: "auth.", Limit: 500})
		must(t, err)
		counts := map[string]int{}
		for _, x := range es {
			counts[x.Action]++
			if x.Action == "auth.password_reset_email" && x.ActorID != admin.ID {
				t.Errorf("reset audited as actor %d, want the user %d", x.ActorID, admin.ID)
			}
		}
		if counts["auth.password_reset_requested"] != resetsInWindow || counts["auth.password_reset_email"] != 1 {
			t.Errorf("audit: %v", counts)
		}
		if strings.Contains(m.Text, newPassword) {
			t.Error("the mail holds the password")
		}
	})
}
