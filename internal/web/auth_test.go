package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

func (c *client) password(username, pw string) *httptest.ResponseRecorder {
	return c.post("/masuk", url.Values{"username": {username}, "password": {pw}, "kembali": {"/pegawai"}})
}

func (c *client) totp(code string) *httptest.ResponseRecorder {
	return c.post("/masuk/totp", url.Values{"code": {code}, "kembali": {"/pegawai"}})
}

func (e *env) code(username string) string {
	e.t.Helper()
	c, err := auth.TOTPCode(totpSecretFor(username), e.now())
	must(e.t, err)
	return c
}

func wantRedirect(t *testing.T, w *httptest.ResponseRecorder, prefix string) {
	t.Helper()
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("got %d to %q, want 303 to %s…\n%s", w.Code, loc, prefix, w.Body.String())
	}
}

func wantBody(t *testing.T, w *httptest.ResponseRecorder, status int, parts ...string) {
	t.Helper()
	if w.Code != status {
		t.Errorf("status %d, want %d", w.Code, status)
	}
	for _, p := range parts {
		if !strings.Contains(w.Body.String(), p) {
			t.Errorf("body lacks %q:\n%s", p, w.Body.String())
		}
	}
}

// TestStaffSignIn walks the password and TOTP steps and checks that the
// session token changes at each step and the old one dies.
func TestStaffSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.anon()
		wantRedirect(t, c.get("/pegawai"), "/masuk?kembali=%2Fpegawai")
		wantRedirect(t, c.password("admin", testPassword), "/masuk/totp?kembali=%2Fpegawai")
		pending := c.cookies[sessionCookie].Value
		// Half signed in is not signed in.
		wantRedirect(t, c.get("/pegawai"), "/masuk")
		wantBody(t, c.get("/masuk/totp"), 200, `autocomplete="one-time-code"`, `inputmode="numeric"`)
		wantRedirect(t, c.totp(e.code("admin")), "/pegawai")
		full := c.cookies[sessionCookie]
		if full == nil || full.Value == pending {
			t.Fatal("the session token did not change after the second factor")
		}
		if !full.HttpOnly || full.SameSite != http.SameSiteLaxMode || full.Secure {
			t.Errorf("cookie flags: HttpOnly %v SameSite %v Secure %v (http base URL)", full.HttpOnly, full.SameSite, full.Secure)
		}
		wantBody(t, c.get("/pegawai"), 200, "Siti Aminah")
		old := e.anon()
		old.cookies[sessionCookie] = &http.Cookie{Name: sessionCookie, Value: pending}
		wantRedirect(t, old.get("/pegawai"), "/masuk")
		// The sign-in is in the audit log, by the user, with the address.
		es, err := st.AuditEntries(sys, netra.AuditFilter{Action: "auth.login", Limit: 5})
		must(t, err)
		if len(es) != 1 || es[0].ActorID != e.users["admin"].ID || es[0].IP != "198.51.100.7" {
			t.Errorf("audit: %+v", es)
		}
		// Sign out ends the session.
		wantRedirect(t, c.post("/keluar", nil), "/masuk")
		c.cookies[sessionCookie] = full
		wantRedirect(t, c.get("/pegawai"), "/masuk")
	})
}

// TestTOTPReplay checks that a TOTP code works once.
func TestTOTPReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		code := e.code("admin")
		c := e.anon()
		wantRedirect(t, c.password("admin", testPassword), "/masuk/totp")
		wantRedirect(t, c.totp(code), "/pegawai")
		d := e.anon()
		wantRedirect(t, d.password("admin", testPassword), "/masuk/totp")
		wantBody(t, d.totp(code), http.StatusUnauthorized, "sudah dipakai")
		wantRedirect(t, d.get("/pegawai"), "/masuk")
	})
}

// TestLockout checks that five wrong passwords lock an account for 15
// minutes with a clear message, that an unknown username answers exactly
// the same way, and that the lock lifts after its time.
func TestLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC) // 10.00 WIB
		try := func(c *client, user string) *httptest.ResponseRecorder { return c.password(user, "salah sama sekali") }
		var real, ghost [5]*httptest.ResponseRecorder
		rc, gc := e.anon(), e.anon()
		gc.ip = "203.0.113.9"
		for i := range 5 {
			real[i], ghost[i] = try(rc, "admin"), try(gc, "tidak.ada")
		}
		for i := range 4 {
			wantBody(t, real[i], http.StatusUnauthorized, "Nama pengguna atau kata sandi salah.")
			wantBody(t, ghost[i], http.StatusUnauthorized, "Nama pengguna atau kata sandi salah.")
		}
		locked := "Akun ini dikunci sementara karena terlalu banyak percobaan yang gagal. Coba lagi setelah 23 November 2026 10.15 WIB"
		wantBody(t, real[4], http.StatusTooManyRequests, locked)
		wantBody(t, ghost[4], http.StatusTooManyRequests, locked)
		// Locked: even the right password is refused, with the same words.
		wantBody(t, rc.password("admin", testPassword), http.StatusTooManyRequests, locked)
		u, err := st.LoginUser(context.Background(), "admin")
		must(t, err)
		if !u.LockedUntil.Equal(e.clock.Add(lockFor)) {
			t.Errorf("locked until %v", u.LockedUntil)
		}
		es, err := st.AuditEntries(sys, netra.AuditFilter{Action: "auth.", Limit: 50})
		must(t, err)
		n := 0
		for _, x := range es {
			if x.Action == "auth.login_failed" {
				n++
			}
		}
		if n != 10 {
			t.Errorf("%d failed sign-ins audited, want 10", n)
		}
		e.clock = e.clock.Add(lockFor + time.Second)
		wantRedirect(t, rc.password("admin", testPassword), "/masuk/totp")
	})
}

// TestDisabledUser checks a disabled account cannot sign in.
func TestDisabledUser(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	wantRedirect(t, e.as("admin").post("/pengguna/"+id(e.users["verifier"].ID)+"/status", url.Values{"status": {"disable"}}), "/pengguna/")
	wantBody(t, e.anon().password("verifier", testPassword), http.StatusForbidden, "dinonaktifkan")
}

var (
	secretRe   = regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`)
	recoveryRe = regexp.MustCompile(`<li>([a-z0-9]{4}-[a-z0-9]{4})</li>`)
)

// TestEnrolAndRecovery signs a new user in for the first time: TOTP
// enrolment with a QR code, ten recovery codes shown once, and a recovery
// code accepted once instead of a TOTP code.
func TestEnrolAndRecovery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		h, err := e.srv.hasher.Hash(context.Background(), testPassword)
		must(t, err)
		u := &netra.User{Username: "baru", Name: "Pengguna Baru", PasswordHash: h}
		must(t, st.CreateUser(sys, u))
		must(t, st.Grant(sys, u.ID, netra.RoleAuditor, e.palangka.ID, 0))

		c := e.anon()
		wantRedirect(t, c.password("baru", testPassword), "/masuk/totp/daftar")
		page := c.get("/masuk/totp/daftar")
		wantBody(t, page, 200, `src="data:image/png;base64,`, `class="secret"`)
		m := secretRe.FindStringSubmatch(page.Body.String())
		if m == nil {
			t.Fatal("no secret on the enrolment page")
		}
		secret := m[1]
		wantBody(t, c.post("/masuk/totp/daftar", url.Values{"secret": {secret}, "code": {"000000"}}), http.StatusUnprocessableEntity, "Kode salah")
		code, err := auth.TOTPCode(secret, e.now())
		must(t, err)
		w := c.post("/masuk/totp/daftar", url.Values{"secret": {secret}, "code": {code}, "kembali": {"/audit"}})
		wantBody(t, w, 200, "Simpan kode pemulihan Anda")
		codes := recoveryRe.FindAllStringSubmatch(w.Body.String(), -1)
		if len(codes) != recoveryCount {
			t.Fatalf("%d recovery codes shown", len(codes))
		}
		wantBody(t, c.get("/audit"), 200)

		// With the password only, the second factor cannot be replaced.
		d := e.anon()
		wantRedirect(t, d.password("baru", testPassword), "/masuk/totp?")
		wantRedirect(t, d.post("/masuk/totp/daftar", url.Values{"secret": {"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"}, "code": {"123456"}}), "/masuk/totp")
		// A recovery code works once, typed with spaces and upper case.
		rc := strings.ToUpper(strings.ReplaceAll(codes[3][1], "-", " "))
		w = d.totp(rc)
		wantRedirect(t, w, "/pegawai")
		wantBody(t, d.get("/akun"), 200, "Kode pemulihan yang belum dipakai: 9.")
		f := e.anon()
		wantRedirect(t, f.password("baru", testPassword), "/masuk/totp?")
		wantBody(t, f.totp(codes[3][1]), http.StatusUnauthorized, "Kode salah")
	})
}

// TestSessionLifetimes checks the idle and absolute limits of a staff session.
func TestSessionLifetimes(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	e.clock = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	c := e.anon()
	wantRedirect(t, c.password("leader", testPassword), "/masuk/totp")
	wantRedirect(t, c.totp(e.code("leader")), "/pegawai")
	// Active every 20 minutes: the session lives until the absolute limit.
	for i := 0; i < 35; i++ {
		e.clock = e.clock.Add(20 * time.Minute)
		if w := c.get("/"); w.Code != 200 {
			t.Fatalf("after %v: %d", time.Duration(i+1)*20*time.Minute, w.Code)
		}
	}
	e.clock = e.clock.Add(20 * time.Minute) // 12 h after signing in
	wantRedirect(t, c.get("/"), "/masuk")
	// Idle for 31 minutes: gone.
	d := e.anon()
	e.clock = e.clock.Add(time.Minute)
	wantRedirect(t, d.password("leader", testPassword), "/masuk/totp")
	wantRedirect(t, d.totp(e.code("leader")), "/pegawai")
	e.clock = e.clock.Add(31 * time.Minute)
	wantRedirect(t, d.get("/"), "/masuk")
}

// TestAccount covers the account page: password change (with field errors),
// ending one session, and signing out everywhere.
func TestAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		a, b := e.as("admin"), e.as("admin")
		wantBody(t, a.get("/akun"), 200, "Perangkat ini")
		w := a.post("/akun/sandi", url.Values{"current_password": {"salah"}, "new_password": {"pendek"}, "confirm_password": {"x"}})
		wantBody(t, w, http.StatusUnprocessableEntity, `href="#f-current_password"`, "Kata sandi sekarang salah.", "paling sedikit 12 karakter")
		w = a.post("/akun/sandi", url.Values{"current_password": {testPassword}, "new_password": {"kalimat baru yang panjang"}, "confirm_password": {"kalimat baru yang panjang"}})
		wantRedirect(t, w, "/akun")
		wantBody(t, a.get("/akun"), 200, "Kata sandi diganti")
		wantRedirect(t, b.get("/akun"), "/masuk") // the other session ended
		wantRedirect(t, e.anon().password("admin", "kalimat baru yang panjang"), "/masuk/totp")

		c := e.as("admin")
		wantRedirect(t, a.post("/akun/keluar-semua", nil), "/masuk")
		wantRedirect(t, c.get("/"), "/masuk")
		wantRedirect(t, a.get("/"), "/masuk")
	})
}
