package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store"
)

// testPassword is the password of every fixture user.
const testPassword = "kata sandi yang panjang"

// env is a server on a real store with a small fixture: the national
// government, Kalimantan Tengah with Kota Palangka Raya (two top units, one
// with two divisions), Kalimantan Utara with Kota Tarakan, employees, and a
// user for every role.
type env struct {
	t      *testing.T
	st     *store.Store
	srv    *Server
	runner *imports.Runner
	logBuf *bytes.Buffer

	national, kalteng, palangka, kaltara, tarakan *netra.Tenant
	setda, disdik, disdikSD, disdikSMP, setdaTRK  *netra.OrgUnit

	employees map[string]*netra.Employee // by short name
	users     map[string]*netra.User     // by username

	clock time.Time // the server's time when set; the real time otherwise
}

// now is the server's clock.
func (e *env) now() time.Time {
	if e.clock.IsZero() {
		return time.Now()
	}
	return e.clock
}

var sys = netra.WithActor(context.Background(), netra.System("test"))

func newEnv(t *testing.T, st *store.Store) *env {
	t.Helper()
	blobs, err := blob.OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, logBuf: &bytes.Buffer{}, employees: map[string]*netra.Employee{}, users: map[string]*netra.User{}}
	e.runner = &imports.Runner{Store: st, Blobs: blobs}
	log := slog.New(slog.NewJSONHandler(e.logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if os.Getenv("NETRA_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	st.SetClock(netra.ClockFunc(e.now))
	e.srv, err = New(Config{Store: st, Imports: e.runner, BaseURL: "http://netra.test", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	e.fixture()
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) tenant(code, name string) *netra.Tenant {
	t := &netra.Tenant{Code: code, Name: name}
	must(e.t, e.st.CreateTenant(sys, t))
	return t
}

func (e *env) unit(t *netra.Tenant, parent *netra.OrgUnit, typ netra.UnitType, code, name string) *netra.OrgUnit {
	u := &netra.OrgUnit{TenantID: t.ID, Type: typ, Code: code, Name: name}
	if parent != nil {
		u.ParentID = parent.ID
	}
	must(e.t, e.st.CreateUnit(sys, u))
	return u
}

// nipFor returns a valid PNS NIP, different for each i.
func nipFor(i int) string {
	return fmt.Sprintf("19%02d0%d1%d2015%02d%d%03d", 70+i%25, 1+i%9, i%3, 1+i%12, 1+i%2, i+1)
}

func (e *env) employee(key string, u *netra.OrgUnit, name, email string) *netra.Employee {
	em := &netra.Employee{NIP: nipFor(len(e.employees) + 1), Name: name, Type: netra.PNS, Golongan: "III/a",
		PositionName: "Analis", PositionType: netra.Pelaksana, UnitID: u.ID, Email: email}
	must(e.t, e.st.CreateEmployee(sys, em))
	e.employees[key] = em
	return em
}

var fixtureHash string

func (e *env) user(username string, role netra.Role, t *netra.Tenant, u *netra.OrgUnit) *netra.User {
	if fixtureHash == "" {
		h, err := auth.NewHasher(1).Hash(context.Background(), testPassword)
		must(e.t, err)
		fixtureHash = h
	}
	usr := &netra.User{Username: username, Name: "Pengguna " + username, Email: username + "@netra.test", PasswordHash: fixtureHash}
	must(e.t, e.st.CreateUser(sys, usr))
	var tid, uid int64
	if t != nil {
		tid = t.ID
	}
	if u != nil {
		uid = u.ID
	}
	must(e.t, e.st.Grant(sys, usr.ID, role, tid, uid))
	secret := totpSecretFor(username)
	on := true
	must(e.t, e.st.UpdateUser(sys, usr.ID, store.UserUpdate{TOTPSecret: &secret, TOTPEnabled: &on}, ""))
	full, err := e.st.UserByID(context.Background(), usr.ID)
	must(e.t, err)
	e.users[username] = full
	return full
}

// totpSecretFor is a fixed base32 TOTP secret per user (letters are base32 digits).
func totpSecretFor(username string) string {
	letters := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return -1
	}, username)
	return (letters + "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOP")[:32]
}

func (e *env) fixture() {
	e.national = e.tenant("00", "Pemerintah Pusat")
	e.kalteng = e.tenant("62", "Provinsi Kalimantan Tengah")
	e.palangka = e.tenant("62.71", "Kota Palangka Raya")
	e.kaltara = e.tenant("65", "Provinsi Kalimantan Utara")
	e.tarakan = e.tenant("65.71", "Kota Tarakan")
	e.setda = e.unit(e.palangka, nil, netra.UnitSekretariat, "SETDA", "Sekretariat Daerah")
	e.disdik = e.unit(e.palangka, nil, netra.UnitDinas, "DISDIK", "Dinas Pendidikan")
	e.disdikSD = e.unit(e.palangka, e.disdik, netra.UnitBidang, "DISDIK-SD", "Bidang Sekolah Dasar")
	e.disdikSMP = e.unit(e.palangka, e.disdik, netra.UnitBidang, "DISDIK-SMP", "Bidang Sekolah Menengah Pertama")
	e.setdaTRK = e.unit(e.tarakan, nil, netra.UnitSekretariat, "SETDA", "Sekretariat Daerah Kota Tarakan")
	e.employee("sekda", e.setda, "Ahmad Sekda", "")
	e.employee("andi", e.setda, "Andi Wijaya", "andi@palangkaraya.go.id")
	e.employee("kadis", e.disdik, "Rina Kadis", "")
	e.employee("guru", e.disdikSD, "Siti Aminah", "siti.aminah@palangkaraya.go.id")
	e.employee("smp", e.disdikSMP, "Budi Santoso", "")
	e.employee("tarakan", e.setdaTRK, "Dewi Tarakan", "dewi@tarakankota.go.id")
	e.user("super", netra.RoleSuperAdmin, nil, nil)
	e.user("admin", netra.RoleTenantAdmin, e.palangka, nil)
	e.user("disdik", netra.RoleTenantAdmin, e.palangka, e.disdik)
	e.user("verifier", netra.RoleVerifier, e.palangka, nil)
	e.user("leader", netra.RoleLeader, e.palangka, nil)
	e.user("auditor", netra.RoleAuditor, e.palangka, nil)
	e.user("tarakan", netra.RoleTenantAdmin, e.tarakan, nil)
	u, _, err := e.st.EmployeeLogin(context.Background(), e.employees["guru"].NIP)
	must(e.t, err)
	e.users["pegawai"] = u
}

// client sends requests to the server's handler like one browser (or one
// API integration): with its session cookie or bearer token.
type client struct {
	e       *env
	cookies map[string]*http.Cookie
	bearer  string
	lang    string
	ip      string
}

func (e *env) anon() *client {
	return &client{e: e, cookies: map[string]*http.Cookie{}, ip: "198.51.100.7"}
}

// as returns a client with a full session for the user, made directly in
// the store (the sign-in flows have their own tests).
func (e *env) as(username string) *client {
	e.t.Helper()
	u, ok := e.users[username]
	if !ok {
		e.t.Fatalf("no fixture user %q", username)
	}
	tok := auth.RandomToken()
	now := time.Now().UTC().Truncate(time.Millisecond)
	must(e.t, e.st.CreateSession(context.Background(), &store.Session{TokenHash: auth.HashToken(tok), UserID: u.ID,
		Stage: store.StageFull, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	c := e.anon()
	c.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: tok}
	return c
}

func (c *client) do(method, target string, body io.Reader, hdr http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, body)
	r.RemoteAddr = c.ip + ":40000"
	for k, vs := range hdr {
		r.Header[k] = vs
	}
	for _, ck := range c.cookies {
		r.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	if c.bearer != "" {
		r.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.lang != "" {
		r.Header.Set("Accept-Language", c.lang)
	}
	w := httptest.NewRecorder()
	c.e.srv.Handler().ServeHTTP(w, r)
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return w
}

func (c *client) get(target string) *httptest.ResponseRecorder { return c.do("GET", target, nil, nil) }

// post sends a form the way a browser on this origin does.
func (c *client) post(target string, form url.Values) *httptest.ResponseRecorder {
	return c.do("POST", target, strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Sec-Fetch-Site": {"same-origin"}, "Origin": {"http://netra.test"}})
}

func (c *client) json(method, target string, v any) *httptest.ResponseRecorder {
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		must(c.e.t, err)
		body = bytes.NewReader(b)
	}
	return c.do(method, target, body, http.Header{"Content-Type": {"application/json"}})
}

// upload posts a multipart roster upload.
func (c *client) upload(target, tenantField string, tenantID int64, filename, content string, api bool) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	must(c.e.t, mw.WriteField(tenantField, fmt.Sprint(tenantID)))
	fw, err := mw.CreateFormFile("file", filename)
	must(c.e.t, err)
	_, _ = io.WriteString(fw, content)
	must(c.e.t, mw.Close())
	h := http.Header{"Content-Type": {mw.FormDataContentType()}}
	if !api {
		h.Set("Sec-Fetch-Site", "same-origin")
	}
	return c.do("POST", target, &buf, h)
}

// decode reads a JSON response body.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", w.Body.String(), err)
	}
	return v
}

// worker runs the queued jobs (mail through sender, imports) once.
func (e *env) runJobs(sender mail.Sender) int {
	e.t.Helper()
	handlers := map[string]jobs.Handler{jobs.KindImport: e.runner.Handler()}
	if sender != nil {
		handlers[jobs.KindMail] = jobs.MailHandler(sender)
	}
	n, err := jobs.NewWorker(e.st, handlers, slog.New(slog.DiscardHandler)).RunOnce(context.Background())
	must(e.t, err)
	return n
}

// runJobsAsync runs the queued jobs once in the background; the channel
// gives the result.
func (e *env) runJobsAsync() <-chan error {
	done := make(chan error, 1)
	w := jobs.NewWorker(e.st, map[string]jobs.Handler{jobs.KindImport: e.runner.Handler()}, slog.New(slog.DiscardHandler))
	go func() {
		_, err := w.RunOnce(context.Background())
		done <- err
	}()
	return done
}

func mailSender(t *testing.T, m *mailtest.Server) mail.Sender {
	t.Helper()
	cfg, err := mail.ParseURL(m.URL())
	must(t, err)
	s, err := mail.NewSender(cfg, nil)
	must(t, err)
	return s
}

func id(v int64) string { return fmt.Sprint(v) }
