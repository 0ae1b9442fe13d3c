package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	for _, path := range []string{"/masuk", "/", "/api/v1/me", "/tidak-ada", e.srv.assets.url("app.css")} {
		w := e.as("admin").get(path)
		h := w.Header()
		for k, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		if h.Get("Permissions-Policy") == "" || h.Get("X-Request-Id") == "" {
			t.Errorf("%s: missing Permissions-Policy or X-Request-Id", path)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain http", path)
		}
		if strings.HasPrefix(path, "/static/") {
			if !strings.Contains(h.Get("Cache-Control"), "immutable") {
				t.Errorf("static file not cached: %q", h.Get("Cache-Control"))
			}
		} else if h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, h.Get("Cache-Control"))
		}
	}
	// No inline script or style anywhere: every page's HTML is checked.
	for _, path := range []string{"/", "/pegawai", "/akun", "/impor", "/audit", "/pengguna", "/token", "/unit/" + id(e.disdik.ID)} {
		body := e.as("super").get(path).Body.String()
		for _, bad := range []string{"<script>", "style=", "<style", "onclick=", "onsubmit=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
	}
}

func TestHTTPSBaseURL(t *testing.T) {
	st := storetest.Engines(t)[0].Open(t)
	e := newEnv(t, st)
	srv, err := New(Config{Store: st, Imports: e.runner, BaseURL: "https://netra.palangkaraya.go.id/"})
	must(t, err)
	e.srv = srv
	w := e.anon().password("admin", testPassword)
	if !strings.Contains(w.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS with an https base URL")
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie && !c.Secure {
			t.Error("session cookie not Secure with an https base URL")
		}
	}
	if _, err := New(Config{Store: st, Imports: e.runner, BaseURL: "netra.go.id"}); err == nil {
		t.Error("a base URL without a scheme was accepted")
	}
}

// TestCrossOriginRefused checks CSRF protection: an unsafe request from
// another site is refused, from this site accepted, and an API call with a
// bearer token (no browser headers) passes.
func TestCrossOriginRefused(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	c := e.as("admin")
	form := url.Values{"name": {"Dinas Pendidikan dan Kebudayaan"}, "code": {"DISDIK"}, "type": {"dinas"}}.Encode()
	for _, h := range []http.Header{
		{"Sec-Fetch-Site": {"cross-site"}},
		{"Origin": {"https://jahat.example"}},
	} {
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		wantBody(t, c.do("POST", "/unit/"+id(e.disdik.ID)+"/ubah", strings.NewReader(form), h), http.StatusForbidden, "lintas situs")
		w := c.do("POST", "/api/v1/units/"+id(e.disdik.ID)+"/close", nil, h)
		if w.Code != http.StatusForbidden || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("cross-site API call: %d %s", w.Code, w.Header().Get("Content-Type"))
		}
	}
	// Sign-in forms are protected too (login CSRF).
	h := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Content-Type": {"application/x-www-form-urlencoded"}}
	login := url.Values{"username": {"admin"}, "password": {testPassword}}.Encode()
	if w := e.anon().do("POST", "/masuk", strings.NewReader(login), h); w.Code != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", w.Code)
	}
	u, err := e.st.Unit(sys, e.disdik.ID)
	must(t, err)
	if u.Name != "Dinas Pendidikan" {
		t.Fatalf("a cross-site request changed the unit: %q", u.Name)
	}
	wantRedirect(t, c.post("/unit/"+id(e.disdik.ID)+"/ubah", url.Values{"name": {"Dinas Pendidikan dan Kebudayaan"},
		"code": {"DISDIK"}, "type": {"dinas"}}), "/unit/")
	// A bearer token carries no browser headers and passes.
	secret, _, err := e.srv.createToken(netra.WithActor(context.Background(), actorFor(e.users["admin"], "")), "sync", netra.RoleTenantAdmin, e.palangka.ID, 0, 0)
	must(t, err)
	api := e.anon()
	api.bearer = secret
	w := api.json("PATCH", "/api/v1/units/"+id(e.disdikSD.ID), map[string]string{"name": "Bidang SD"})
	if w.Code != 200 {
		t.Errorf("bearer PATCH: %d %s", w.Code, w.Body.String())
	}
}

// TestAccessLog checks the access log line: the route pattern, status,
// request id and user, and never the path's token or the query's NIP.
func TestAccessLog(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	guru := e.employees["guru"]
	e.logBuf.Reset()
	c := e.as("admin")
	w := c.do("GET", "/pegawai?q="+guru.NIP, nil, http.Header{"X-Request-Id": {"req-12345678"}})
	if w.Header().Get("X-Request-Id") != "req-12345678" {
		t.Errorf("request id not kept: %q", w.Header().Get("X-Request-Id"))
	}
	e.anon().post("/masuk", url.Values{"username": {"admin"}, "password": {testPassword}})
	e.anon().post("/masuk/tautan/RAHASIA-TOKEN-123", nil)
	e.anon().post("/masuk/pegawai", url.Values{"nip": {guru.NIP}})
	logs := e.logBuf.String()
	for _, secret := range []string{guru.NIP, testPassword, "RAHASIA-TOKEN-123", c.cookies[sessionCookie].Value} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
	var line map[string]any
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "req-12345678") {
			must(t, json.Unmarshal([]byte(l), &line))
		}
	}
	if line["route"] != "GET /pegawai" || line["status"] != float64(200) || line["user_id"] != float64(e.users["admin"].ID) {
		t.Errorf("access log line: %v", line)
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	c := e.anon()
	var last int
	for range 40 {
		last = c.post("/masuk/pegawai", url.Values{"nip": {"198001012005011999"}}).Code
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 40 code requests from one address: %d", last)
	}
	w := c.post("/masuk/pegawai", url.Values{"nip": {"198001012005011999"}})
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// Another address is not affected.
	d := e.anon()
	d.ip = "192.0.2.200"
	wantRedirect(t, d.post("/masuk/pegawai", url.Values{"nip": {"198001012005011999"}}), "/masuk/pegawai/kode")

	l := newIPLimiter(2, time.Minute)
	now := time.Now()
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a", now); ok != want {
			t.Errorf("take %d: %v", i, ok)
		}
	}
	if ok, _ := l.allow("a", now.Add(time.Minute)); !ok {
		t.Error("no token after the refill time")
	}
	l.allow("b", now)
	l.allow("c", now.Add(2*time.Hour)) // sweeps idle buckets
	if len(l.buckets) != 1 {
		t.Errorf("%d buckets after the sweep, want 1", len(l.buckets))
	}
}

func TestHealthAndMetrics(t *testing.T) {
	st := storetest.Engines(t)[0].Open(t)
	e := newEnv(t, st)
	w := e.anon().get("/healthz")
	h := decode[healthBody](t, w)
	if w.Code != 200 || h.Status != "ok" || h.Dialect != "sqlite" || h.SchemaVersion == 0 || h.SchemaVersion != h.SchemaLatest || h.Version != netra.Version {
		t.Errorf("healthz: %d %+v", w.Code, h)
	}
	e.as("admin").get("/pegawai")
	e.as("admin").get("/pegawai/" + id(e.employees["guru"].ID))
	rec := httptest.NewRecorder()
	e.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	m := rec.Body.String()
	for _, want := range []string{
		`netra_http_requests_total{code="200",route="GET /pegawai"} 1`,
		`netra_http_requests_total{code="200",route="GET /pegawai/{id}"} 1`,
		`netra_http_request_duration_seconds_bucket{route="GET /pegawai",le=`,
		`netra_db_open_connections{pool="write"}`,
		`netra_jobs{state="queued"}`,
		`netra_jobs_scrape_ok 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	st.Close()
	w = e.anon().get("/healthz")
	if w.Code != http.StatusServiceUnavailable || decode[healthBody](t, w).Status != "unavailable" {
		t.Errorf("healthz with the database closed: %d %s", w.Code, w.Body.String())
	}
}

// TestMetricsNotPublic checks that /metrics on the main address is served
// only to the metrics token: without a token configured it does not exist,
// with one it wants exactly that bearer token.
func TestMetricsNotPublic(t *testing.T) {
	st := storetest.Engines(t)[0].Open(t)
	e := newEnv(t, st)
	if w := e.anon().get("/metrics"); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "netra_http") {
		t.Errorf("/metrics with no token configured: %d, want 404 without figures", w.Code)
	}
	srv, err := New(Config{Store: st, Imports: e.runner, BaseURL: "http://netra.test", MetricsToken: "rahasia-metrik-0123456789"})
	must(t, err)
	e.srv = srv
	for _, tc := range []struct {
		bearer string
		want   int
	}{{"", http.StatusUnauthorized}, {"salah", http.StatusUnauthorized}, {"rahasia-metrik-012345678", http.StatusUnauthorized},
		{"rahasia-metrik-0123456789", http.StatusOK}} {
		c := e.anon()
		c.bearer = tc.bearer
		w := c.get("/metrics")
		if w.Code != tc.want || (tc.want == http.StatusOK) != strings.Contains(w.Body.String(), "netra_jobs_scrape_ok") {
			t.Errorf("/metrics with bearer %q: %d, want %d", tc.bearer, w.Code, tc.want)
		}
	}
}

// TestErrorPages checks the 404, 403 and 422 answers as pages and as
// problem+json bodies, 405 with Allow, and 500 without internals.
func TestErrorPages(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	a := e.as("admin")
	wantBody(t, a.get("/tidak/ada"), 404, "Halaman tidak ditemukan", `href="/"`)
	wantBody(t, a.get("/pegawai/999999"), 404, "Halaman tidak ditemukan")
	wantBody(t, a.get("/pegawai/abc"), 404)
	wantBody(t, e.as("verifier").get("/impor"), 403, "Akses ditolak")
	w := a.post("/instansi/"+id(e.palangka.ID)+"/unit", url.Values{"type": {"dinas"}, "code": {"A B"}, "name": {""}})
	wantBody(t, w, 422, "Ada yang perlu diperbaiki", `href="#f-code"`, `aria-invalid="true"`, "Nama unit wajib diisi.")

	type prob struct {
		Type, Title, Detail, Instance string
		Status                        int
		RequestID                     string `json:"request_id"`
		Errors                        map[string]string
	}
	w = a.get("/api/v1/units/999999")
	p := decode[prob](t, w)
	if w.Code != 404 || p.Status != 404 || w.Header().Get("Content-Type") != "application/problem+json" || p.RequestID == "" {
		t.Errorf("API 404: %d %+v", w.Code, p)
	}
	w = e.as("verifier").json("POST", "/api/v1/tenants/"+id(e.palangka.ID)+"/units", map[string]string{"code": "X"})
	if w.Code != 403 || decode[prob](t, w).Status != 403 {
		t.Errorf("API 403: %d", w.Code)
	}
	w = a.json("POST", "/api/v1/tenants/"+id(e.palangka.ID)+"/units", map[string]string{"type": "dinas", "code": "A B"})
	p = decode[prob](t, w)
	if w.Code != 422 || p.Errors["code"] == "" || p.Errors["name"] != "Nama unit wajib diisi." {
		t.Errorf("API 422: %d %+v", w.Code, p)
	}
	a.lang = "en-GB,en;q=0.9"
	p = decode[prob](t, a.json("POST", "/api/v1/tenants/"+id(e.palangka.ID)+"/units", map[string]string{"type": "dinas", "code": "A B"}))
	if p.Errors["name"] != "The unit name is required." {
		t.Errorf("English field message: %+v", p.Errors)
	}
	w = a.json("POST", "/api/v1/tenants/"+id(e.palangka.ID)+"/units", map[string]any{"type": "dinas", "kode": 1})
	if p := decode[prob](t, w); w.Code != 422 || p.Errors["kode"] != "Unknown field kode." || strings.Contains(w.Body.String(), "json:") {
		t.Errorf("unknown field: %d %s", w.Code, w.Body.String())
	}
	w = a.do("DELETE", "/pegawai", nil, http.Header{"Sec-Fetch-Site": {"same-origin"}})
	if w.Code != 405 || w.Header().Get("Allow") != "GET, POST" {
		t.Errorf("405: %d Allow %q", w.Code, w.Header().Get("Allow"))
	}
	w = a.do("PUT", "/api/v1/units/1", nil, nil)
	if w.Code != 405 || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("API 405: %d", w.Code)
	}
	// A 500 shows the request id and nothing of the cause.
	var logs bytes.Buffer
	e.srv.log = slog.New(slog.NewTextHandler(&logs, nil))
	in := &reqInfo{id: "abcd1234abcd1234", lang: langID}
	r := httptest.NewRequest("GET", "/x", nil)
	r = r.WithContext(context.WithValue(r.Context(), infoKey{}, in))
	rec := httptest.NewRecorder()
	e.srv.fail(rec, r, errors.New("pq: connection refused to 10.0.0.5"))
	wantBody(t, rec, 500, "abcd1234abcd1234")
	if strings.Contains(rec.Body.String(), "10.0.0.5") || !strings.Contains(logs.String(), "10.0.0.5") {
		t.Error("the 500 page leaks the cause, or the log misses it")
	}
}

func TestLanguage(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	c := e.anon()
	wantBody(t, c.get("/masuk"), 200, `<html lang="id">`, "Masuk sebagai petugas", `href="/bahasa/en?kembali=%2fmasuk"`)
	wantRedirect(t, c.get("/bahasa/en?kembali=/masuk"), "/masuk")
	wantBody(t, c.get("/masuk"), 200, `<html lang="en">`, "Staff sign-in")
	wantRedirect(t, c.get("/bahasa/id?kembali=//jahat.example"), "/")
	wantBody(t, c.get("/masuk"), 200, "Masuk sebagai petugas")
	d := e.anon()
	d.lang = "en-US,en;q=0.8,id;q=0.5"
	wantBody(t, d.get("/masuk"), 200, "Staff sign-in")
	d.lang = "fr-FR, en;q=0.3, id;q=0.9"
	wantBody(t, d.get("/masuk"), 200, "Masuk sebagai petugas")
	// Numbers and dates the Indonesian way, and the English way.
	for _, tc := range []struct{ lang, num, date string }{
		{"id", "1.500.000", "23 November 2026 14.05 WIB"},
		{"en", "1,500,000", "23 November 2026 14:05 WIB"},
	} {
		if got := formatInt(tc.lang, 1500000); got != tc.num {
			t.Errorf("%s: %s", tc.lang, got)
		}
		if got := formatDateTime(tc.lang, time.Date(2026, 11, 23, 7, 5, 0, 0, time.UTC)); got != tc.date {
			t.Errorf("%s: %s", tc.lang, got)
		}
	}
	if got := formatDate(langID, time.Date(2026, 8, 17, 0, 0, 0, 0, wib)); got != "17 Agustus 2026" {
		t.Errorf("Indonesian month: %s", got)
	}
	if got := formatInt(langID, -999); got != "-999" {
		t.Error(got)
	}
}
