package web

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestOutboxHoldsNoUsableCode checks that while the mail server is down the
// queued e-mail in the jobs table holds neither the sign-in code nor the
// link's token in a form anyone with the database could use, and that the
// mail still goes out, with both, once the server is back.
func TestOutboxHoldsNoUsableCode(t *testing.T) {
	st := storetest.Engines(t)[0].Open(t) // SQLite: the file is read directly
	e := newEnv(t, st)
	smtp := mailtest.Start(t)
	sender := mailSender(t, smtp)
	guru := e.employees["guru"]
	db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(st.URL(), "sqlite:"))
	must(t, err)
	defer db.Close()
	payloads := func() string {
		t.Helper()
		rows, err := db.Query(`SELECT payload FROM jobs`)
		must(t, err)
		defer rows.Close()
		var all []string
		for rows.Next() {
			var p string
			must(t, rows.Scan(&p))
			all = append(all, p)
		}
		return strings.Join(all, "\n")
	}

	c := e.anon()
	wantRedirect(t, c.post("/masuk/pegawai", url.Values{"nip": {guru.NIP}}), "/masuk/pegawai/kode")
	smtp.FailNext(1)
	e.runJobs(sender) // the server is down: the job waits for a retry
	queued := payloads()
	if queued == "" {
		t.Fatal("no job queued")
	}
	must(t, st.MakeJobsDue(t.Context()))
	e.runJobs(sender)
	m := smtp.WaitFor(t, guru.Email, 5*time.Second)
	code, link := mailCodeRe.FindStringSubmatch(m.Text), mailLinkRe.FindStringSubmatch(m.Text)
	if code == nil || link == nil {
		t.Fatalf("mail lacks the code or the link:\n%s", m.Text)
	}
	token := strings.TrimPrefix(link[1], "/masuk/tautan/")
	for _, secret := range []string{code[1], token} {
		if strings.Contains(queued, secret) {
			t.Errorf("the queued job holds %q in the clear:\n%s", secret, queued)
		}
	}
	if strings.Contains(queued, guru.Email) || strings.Contains(queued, "Kode masuk") {
		t.Errorf("the queued job is readable:\n%s", queued)
	}
	if p := payloads(); strings.Contains(p, code[1]) || strings.Contains(p, token) {
		t.Errorf("the sent job keeps the code or the link:\n%s", p)
	}
	wantRedirect(t, c.post("/masuk/pegawai/kode", url.Values{"code": {code[1]}}), "/saya")
}
