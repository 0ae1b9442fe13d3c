package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
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

// TestSignInThrottle checks the rule that replaced the lockout: failures
// from one address slow that address down progressively (and an unknown
// username exactly alike), failures from many addresses throttle the account
// softly, and the owner's right password from a known device passes all the
// same; every counted failure is audited, and the clock lifts every wait.
func TestSignInThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
		const wrong = "salah sama sekali"
		retry := func(w *httptest.ResponseRecorder) string { return w.Header().Get("Retry-After") }
		failed := func() int {
			t.Helper()
			es, err := st.AuditEntries(sys, netra.AuditFilter{Action: "auth.login_failed", Limit: 500})
			must(t, err)
			return len(es)
		}

		// The owner signs in on their own browser, which becomes a known device.
		owner := e.anon()
		wantRedirect(t, owner.password("admin", testPassword), "/masuk/totp")
		wantRedirect(t, owner.totp(e.code("admin")), "/pegawai")
		if owner.cookies[deviceCookie] == nil {
			t.Fatal("no known-device cookie after a full sign-in")
		}
		wantRedirect(t, owner.post("/keluar", nil), "/masuk")

		// A stranger guesses from one address; someone else tries a name
		// that does not exist from another. Two free failures, then waits
		// that double: 5 s, 10 s, 20 s, 40 s.
		attacker, ghost := e.anon(), e.anon()
		attacker.ip, ghost.ip = "203.0.113.9", "203.0.113.10"
		for i, want := range []string{"", "", "5", "10", "20", "40"} {
			a, g := attacker.password("admin", wrong), ghost.password("tidak.ada", wrong)
			status := http.StatusUnauthorized
			if want != "" {
				status = http.StatusTooManyRequests
			}
			for who, w := range map[string]*httptest.ResponseRecorder{"admin": a, "unknown": g} {
				if w.Code != status || retry(w) != want {
					t.Fatalf("failure %d on %s: %d, Retry-After %q; want %d, %q", i+1, who, w.Code, retry(w), status, want)
				}
			}
			if want == "" {
				wantBody(t, a, status, "Nama pengguna atau kata sandi salah.")
				continue
			}
			wantBody(t, a, status, "Tunggu "+want+" detik")
			wantBody(t, g, status, "Tunggu "+want+" detik")
			// Trying again before the time is up is refused unread and not
			// counted, even with the right password.
			before := failed()
			e.clock = e.clock.Add(time.Second)
			wantBody(t, attacker.password("admin", testPassword), http.StatusTooManyRequests, "Tunggu")
			wantBody(t, ghost.password("tidak.ada", testPassword), http.StatusTooManyRequests, "Tunggu")
			if n := failed(); n != before {
				t.Errorf("a refused attempt was counted: %d failures audited, then %d", before, n)
			}
			secs, _ := strconv.Atoi(want)
			e.clock = e.clock.Add(time.Duration(secs)*time.Second - time.Second)
		}
		// 6 for admin, 6 for the unknown name, each in its own audit entry.
		if n := failed(); n != 12 {
			t.Errorf("%d failed sign-ins audited, want 12", n)
		}
		// The owner, elsewhere, is not slowed by the stranger's address.
		elsewhere := e.anon()
		elsewhere.ip = "198.51.100.50"
		wantRedirect(t, elsewhere.password("admin", testPassword), "/masuk/totp")

		// Many addresses together: the account as a whole is throttled for
		// unknown browsers, softly (at most a minute)…
		// (one attempt from each of many addresses, each waiting as long as
		// it is told to)
		for i := range 12 {
			c := e.anon()
			c.ip = "192.0.2." + strconv.Itoa(10+i)
			w := c.password("admin", wrong)
			if w.Code == http.StatusUnauthorized {
				continue
			}
			secs, _ := strconv.Atoi(retry(w))
			if w.Code != http.StatusTooManyRequests || secs < 1 || secs > int(accountMax.Seconds()) {
				t.Fatalf("a fresh address: %d, waits %q s", w.Code, retry(w))
			}
			if i < 11 {
				e.clock = e.clock.Add(time.Duration(secs) * time.Second)
			}
		}
		stranger := e.anon()
		stranger.ip = "198.51.100.51"
		w := stranger.password("admin", testPassword)
		if secs, _ := strconv.Atoi(retry(w)); w.Code != http.StatusTooManyRequests || secs < 1 || secs > 60 {
			t.Fatalf("right password from an unknown browser while the account is throttled: %d, Retry-After %q", w.Code, retry(w))
		}
		// …while the owner's known device lets the right password through.
		e.clock = e.clock.Add(30 * time.Second) // a fresh TOTP step
		wantRedirect(t, owner.password("admin", testPassword), "/masuk/totp")
		wantRedirect(t, owner.totp(e.code("admin")), "/pegawai")
		// The stranger's address still counts its failures after the owner
		// signed in: the seventh waits 80 s.
		if w := attacker.password("admin", wrong); w.Code != http.StatusTooManyRequests || retry(w) != "80" {
			t.Errorf("the stranger's seventh failure: %d, Retry-After %q, want 80", w.Code, retry(w))
		}

		// No wait lasts: the longest, from one address, ends after 15 minutes.
		for range 20 {
			e.clock = e.clock.Add(sourceMax)
			attacker.password("admin", wrong)
		}
		w = attacker.password("admin", testPassword)
		if secs, _ := strconv.Atoi(retry(w)); w.Code != http.StatusTooManyRequests || secs != int(sourceMax.Seconds()) {
			t.Errorf("after 27 failures: %d, Retry-After %q, want 429 for %v", w.Code, retry(w), sourceMax)
		}
		e.clock = e.clock.Add(sourceMax)
		wantRedirect(t, attacker.password("admin", testPassword), "/masuk/totp")
		u, err := st.LoginUser(context.Background(), "admin")
		must(t, err)
		if !u.LockedUntil.IsZero() {
			t.Errorf("the account was locked until %v", u.LockedUntil)
		}
	})
}

// TestKnownDeviceBehindSharedAddress checks that a stranger behind the
// owner's own address (an office NAT) slows down that address, not the
// owner's known device, and that the device cookie is stored only hashed.
func TestKnownDeviceBehindSharedAddress(t *testing.T) {
	st := storetest.Engines(t)[0].Open(t)
	e := newEnv(t, st)
	e.clock = time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	owner := e.anon()
	wantRedirect(t, owner.password("admin", testPassword), "/masuk/totp")
	wantRedirect(t, owner.totp(e.code("admin")), "/pegawai")
	device := owner.cookies[deviceCookie]
	if device == nil || device.Path != "/masuk" || !device.HttpOnly {
		t.Fatalf("device cookie %+v", device)
	}
	if ok, err := st.KnownDevice(context.Background(), e.users["admin"].ID, device.Value, e.now()); err != nil || ok {
		t.Errorf("the raw cookie value is a stored device key (%v, %v): it must be stored hashed", ok, err)
	}
	colleague := e.anon() // same address
	for range 6 {
		colleague.password("admin", "salah sama sekali")
	}
	if w := colleague.password("admin", testPassword); w.Code != http.StatusTooManyRequests {
		t.Fatalf("the shared address is not slowed: %d", w.Code)
	}
	e.clock = e.clock.Add(30 * time.Second)
	colleague.password("admin", "salah sama sekali") // the fourth failure: 10 s
	wantRedirect(t, owner.password("admin", testPassword), "/masuk/totp")
	// Without its cookie the same browser is just the address.
	delete(owner.cookies, deviceCookie)
	wantBody(t, owner.password("admin", testPassword), http.StatusTooManyRequests, "Tunggu")
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

var shownPasswordRe = regexp.MustCompile(`<p class="secret">([^<]+)</p>`)

// TestMustChangePassword checks that a password an administrator set must
// be replaced at the next sign-in before anything else can be done.
func TestMustChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		v := e.users["verifier"]
		w := e.as("admin").post("/pengguna/"+id(v.ID)+"/sandi", nil)
		m := shownPasswordRe.FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatalf("no password shown:\n%s", w.Body.String())
		}
		c := e.anon()
		wantRedirect(t, c.password("verifier", m[1]), "/masuk/totp")
		wantRedirect(t, c.totp(e.code("verifier")), "/pegawai")
		for _, path := range []string{"/pegawai", "/", "/akun/totp", "/api/v1/pegawai"} {
			wantRedirect(t, c.get(path), "/akun#sandi")
		}
		wantBody(t, c.get("/akun"), 200, "Kata sandi Anda dibuat oleh admin")
		const mine = "kalimat pilihan saya sendiri"
		wantRedirect(t, c.post("/akun/sandi", url.Values{"current_password": {m[1]}, "new_password": {mine}, "confirm_password": {mine}}), "/akun")
		if w := c.get("/pegawai"); w.Code != http.StatusOK {
			t.Errorf("after choosing a password: GET /pegawai %d", w.Code)
		}
		u, err := st.UserByID(context.Background(), v.ID)
		must(t, err)
		if u.MustChangePassword {
			t.Error("the flag is still set after the change")
		}
	})
}
