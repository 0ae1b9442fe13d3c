package web

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

// Staff sign-in: a password, then a TOTP code from an authenticator app (or
// a recovery code). A first sign-in without TOTP goes through enrolment.
//
// Wrong passwords and codes never lock an account: anyone could keep its
// owner out that way. They slow down, counted in the store per account and
// source (the client's address, or a known device) and per account:
//
//   - from one source, the first sourceFree failures are free; after that
//     each next attempt waits sourceBase, doubling with every failure, up to
//     sourceMax (5 s, 10 s, 20 s … 15 min);
//   - the account as a whole, failures from anywhere added up, gets a softer
//     throttle after accountFree failures: accountBase doubling up to
//     accountMax, so that many addresses together still guess slowly, while
//     the owner waits at most a minute;
//   - a known device (a browser that completed a full sign-in for the account,
//     recognised by a long-lived cookie whose token the store keeps hashed) is
//     its own source and is exempt from the account throttle: a stranger's
//     failures from elsewhere do not stop the owner there.
//
// Failures older than failureMemory are forgotten; a complete sign-in clears
// its source's and the account's. Unknown usernames are counted the same way
// in memory (phantoms), so the answers never tell whether an account exists.
const (
	failureMemory  = 24 * time.Hour
	sourceFree     = 3
	sourceBase     = 5 * time.Second
	sourceMax      = 15 * time.Minute
	accountFree    = 10
	accountBase    = time.Second
	accountMax     = time.Minute
	deviceCookie   = "netra_device"
	deviceLifetime = 180 * 24 * time.Hour
	totpIssuer     = "Netra"
	recoveryCount  = 10
	maxFormBytes   = 64 << 10
)

// backoff is how long to wait after n failures when the first free are free.
func backoff(n, free int, base, max time.Duration) time.Duration {
	if n < free {
		return 0
	}
	return min(max, base<<min(n-free, 20))
}

// waitUntil returns when the next attempt may be made after failures f
// (the zero time or a past one: now). A known device skips the account throttle.
func waitUntil(f store.LoginFailures, known bool) time.Time {
	var t time.Time
	if d := backoff(f.Source, sourceFree, sourceBase, sourceMax); d > 0 {
		t = f.SourceLast.Add(d)
	}
	if d := backoff(f.Account, accountFree, accountBase, accountMax); d > 0 && !known {
		if a := f.AccountLast.Add(d); a.After(t) {
			t = a
		}
	}
	return t
}

// signInSource names where an attempt on the account comes from: the known
// device whose cookie the browser sends, or else the client's address.
func (s *Server) signInSource(r *http.Request, userID int64) (source string, known bool, err error) {
	if c, err := r.Cookie(deviceCookie); err == nil && c.Value != "" {
		h := auth.HashToken(c.Value)
		ok, err := s.store.KnownDevice(r.Context(), userID, h, s.now())
		if err != nil {
			return "", false, err
		}
		if ok {
			return "device:" + h[:16], true, nil
		}
	}
	return "ip:" + info(r).ip, false, nil
}

// rememberDevice makes this browser a known device of u after a full
// sign-in, unless it is one already.
func (s *Server) rememberDevice(w http.ResponseWriter, r *http.Request, u *netra.User, known bool) error {
	if known {
		return nil
	}
	tok := auth.RandomToken()
	ctx := netra.WithActor(r.Context(), actorFor(u, info(r).ip))
	if err := s.store.RememberDevice(ctx, u.ID, auth.HashToken(tok), s.now().Add(deviceLifetime)); err != nil {
		return err
	}
	// Only the sign-in pages need it.
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: tok, Path: "/masuk", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(deviceLifetime.Seconds())})
	return nil
}

// waitMessage is the answer while a source or account must wait.
func (s *Server) waitMessage(w http.ResponseWriter, p *page, until, now time.Time) string {
	secs := int((until.Sub(now) + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return p.T("signin.wait", secs)
}

type signInPage struct {
	*page
	Fields []field
	Back   string
}

type totpPage struct {
	*page
	Fields []field
	Back   string
}

type enrolPage struct {
	*page
	Fields       []field
	Action       string
	Back         string
	Secret       string
	SecretGroups string
	QR           string // a data: URL of the QR code PNG
}

type recoveryPage struct {
	*page
	Codes []string
	Next  string
}

func (s *Server) signInFields(p *page, username string) []field {
	return []field{
		{Name: "username", Label: p.T("signin.username"), Type: "text", Value: username, Autocomplete: "username",
			Required: true, Autofocus: username == "", MaxLength: 64},
		{Name: "password", Label: p.T("signin.password"), Type: "password", Autocomplete: "current-password",
			Required: true, Autofocus: username != "", MaxLength: 1024},
	}
}

// signInForm shows the staff sign-in form.
func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	back := safeReturn(r.URL.Query().Get("kembali"))
	if info(r).actor != nil {
		return s.redirect(w, r, back, "")
	}
	p := s.newPage(r, "signin.title")
	return s.render(w, r, http.StatusOK, "signin", &signInPage{page: p, Fields: s.signInFields(p, ""), Back: back})
}

// dummyVerify spends the time of a password check on nothing, so that an
// unknown or locked username answers as slowly as a wrong password.
func (s *Server) dummyVerify(ctx context.Context, pw string) {
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.hasher.Hash(context.WithoutCancel(ctx), auth.RandomToken()) })
	_, _ = s.hasher.Verify(ctx, s.dummyHash, pw)
}

// staffUser reports whether u signs in with a password.
func staffUser(u *netra.User) bool {
	if u.EmployeeID != 0 || u.PasswordHash == "" {
		return false
	}
	for _, g := range u.Grants {
		if g.Role.Staff() {
			return true
		}
	}
	return false
}

// signIn checks a username and password and, when they are right, starts
// a pending session that still needs the second factor.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	ctx, in, now := r.Context(), info(r), s.now()
	username := strings.TrimSpace(r.PostFormValue("username"))
	pw := r.PostFormValue("password")
	back := safeReturn(r.PostFormValue("kembali"))
	sys := netra.WithActor(ctx, systemActor(in.ip))
	p := s.newPage(r, "signin.title")
	refuse := func(status int, msg string) error {
		p.FormError = msg
		return s.render(w, r, status, "signin", &signInPage{page: p, Fields: s.signInFields(p, username), Back: back})
	}
	wait := func(until time.Time) error {
		return refuse(http.StatusTooManyRequests, s.waitMessage(w, p, until, now))
	}
	since := now.Add(-failureMemory)
	if username == "" || pw == "" {
		return refuse(http.StatusUnprocessableEntity, p.T("signin.missing"))
	}
	u, err := s.store.LoginUser(ctx, username)
	if err != nil && !errors.Is(err, netra.ErrNotFound) {
		return err
	}
	if u == nil || !staffUser(u) {
		key, source := strings.ToLower(username), "ip:"+in.ip
		if until := waitUntil(s.phantoms.get(key, source, since), false); now.Before(until) {
			s.dummyVerify(ctx, pw)
			return wait(until)
		}
		s.dummyVerify(ctx, pw)
		// The attempted name is not recorded: people type passwords into it.
		if err := s.store.Audit(sys, 0, "auth.login_failed", "user", 0, map[string]string{"reason": "unknown_user"}); err != nil {
			return err
		}
		if until := waitUntil(s.phantoms.fail(key, source, now, since), false); now.Before(until) {
			return wait(until)
		}
		return refuse(http.StatusUnauthorized, p.T("signin.wrong"))
	}
	source, known, err := s.signInSource(r, u.ID)
	if err != nil {
		return err
	}
	f, err := s.store.LoginFailures(ctx, u.ID, source, since)
	if err != nil {
		return err
	}
	if until := waitUntil(f, known); now.Before(until) {
		s.dummyVerify(ctx, pw)
		return wait(until)
	}
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, pw)
	if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
		return err
	}
	if !ok {
		f, err := s.store.RecordLoginFailure(sys, u.ID, source, "password", since)
		if err != nil {
			return err
		}
		if until := waitUntil(f, known); now.Before(until) {
			return wait(until)
		}
		return refuse(http.StatusUnauthorized, p.T("signin.wrong"))
	}
	if u.Disabled() {
		if err := s.store.AuditUser(sys, "auth.login_failed", u.ID, map[string]string{"reason": "disabled"}); err != nil {
			return err
		}
		return refuse(http.StatusForbidden, p.T("signin.disabled"))
	}
	up := store.UserUpdate{}
	if auth.NeedsRehash(u.PasswordHash) {
		h, err := s.hasher.Hash(ctx, pw)
		if err != nil {
			return err
		}
		up.PasswordHash = &h
	}
	if up != (store.UserUpdate{}) {
		if err := s.store.UpdateUser(sys, u.ID, up, ""); err != nil {
			return err
		}
	}
	if err := s.startSession(w, r, u, store.StagePassword); err != nil {
		return err
	}
	next := "/masuk/totp"
	if !u.TOTPEnabled {
		next = "/masuk/totp/daftar"
	}
	return s.redirect(w, r, next+"?kembali="+url.QueryEscape(back), "")
}

func (s *Server) totpFields(p *page) []field {
	return []field{{Name: "code", Label: p.T("totp.code"), Hint: p.T("totp.code.hint"), Type: "text",
		Autocomplete: "one-time-code", InputMode: "numeric", Required: true, Autofocus: true, MaxLength: 20}}
}

// totpForm asks for the second factor.
func (s *Server) totpForm(w http.ResponseWriter, r *http.Request) error {
	back := safeReturn(r.URL.Query().Get("kembali"))
	u, err := s.pendingUser(r)
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) {
		return s.redirect(w, r, "/masuk", "session_expired")
	} else if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return s.redirect(w, r, "/masuk/totp/daftar?kembali="+url.QueryEscape(back), "")
	}
	p := s.newPage(r, "totp.title")
	return s.render(w, r, http.StatusOK, "totp", &totpPage{page: p, Fields: s.totpFields(p), Back: back})
}

// looksLikeRecoveryCode tells a recovery code ("k7m2-9xqp") from a TOTP code.
func looksLikeRecoveryCode(code string) bool {
	return strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0 && len(strings.TrimSpace(code)) > 6
}

// totpSubmit checks the second factor: a TOTP code not used before, or an
// unused recovery code. Success rotates the session to a full one.
func (s *Server) totpSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	back := safeReturn(r.PostFormValue("kembali"))
	u, err := s.pendingUser(r)
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) {
		return s.redirect(w, r, "/masuk", "session_expired")
	} else if err != nil {
		return err
	}
	ctx, in, now := r.Context(), info(r), s.now()
	sys := netra.WithActor(ctx, systemActor(in.ip))
	p := s.newPage(r, "totp.title")
	refuse := func(status int, msg string) error {
		p.FormError = msg
		return s.render(w, r, status, "totp", &totpPage{page: p, Fields: s.totpFields(p), Back: back})
	}
	if !u.TOTPEnabled || u.Disabled() {
		return s.redirect(w, r, "/masuk", "session_expired")
	}
	source, known, err := s.signInSource(r, u.ID)
	if err != nil {
		return err
	}
	since := now.Add(-failureMemory)
	f, err := s.store.LoginFailures(ctx, u.ID, source, since)
	if err != nil {
		return err
	}
	if until := waitUntil(f, known); now.Before(until) {
		return refuse(http.StatusTooManyRequests, s.waitMessage(w, p, until, now))
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	ok, recovery := false, looksLikeRecoveryCode(code)
	if recovery {
		userCtx := netra.WithActor(ctx, actorFor(u, in.ip))
		if ok, err = s.store.UseRecoveryCode(userCtx, u.ID, auth.HashToken(auth.NormalizeRecoveryCode(code))); err != nil {
			return err
		}
	} else if step, good := auth.CheckTOTP(u.TOTPSecret, code, now, u.TOTPLastStep); good {
		// Claiming the step is one conditional update, so that two requests
		// racing with the same code cannot both pass.
		if ok, err = s.store.ClaimTOTPStep(sys, u.ID, step); err != nil {
			return err
		}
	}
	if !ok {
		f, err := s.store.RecordLoginFailure(sys, u.ID, source, "totp", since)
		if err != nil {
			return err
		}
		if until := waitUntil(f, known); now.Before(until) {
			return refuse(http.StatusTooManyRequests, s.waitMessage(w, p, until, now))
		}
		return refuse(http.StatusUnauthorized, p.T("totp.wrong"))
	}
	if err := s.completeSignIn(w, r, u, "totp"); err != nil {
		return err
	}
	flash := ""
	if recovery {
		flash = "recovery_used"
	}
	return s.redirect(w, r, back, flash)
}

// completeSignIn rotates the browser to a full session and audits the
// sign-in. For staff it clears the failures of this source and makes the
// browser a known device.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, u *netra.User, method string) error {
	if err := s.startSession(w, r, u, store.StageFull); err != nil {
		return err
	}
	in := info(r)
	in.user, in.actor = u, actorFor(u, in.ip)
	ctx := netra.WithActor(r.Context(), in.actor)
	if !staffUser(u) {
		return s.store.AuditUser(ctx, "auth.login", u.ID, map[string]string{"method": method})
	}
	source, known, err := s.signInSource(r, u.ID)
	if err != nil {
		return err
	}
	if err := s.store.SignedIn(ctx, u.ID, source, method); err != nil {
		return err
	}
	return s.rememberDevice(w, r, u, known)
}

var totpSecretRe = regexp.MustCompile(`^[A-Z2-7]{16,128}$`)

// totpURL is the otpauth:// URL an authenticator app enrols from.
func totpURL(username, secret string) string {
	v := url.Values{"secret": {secret}, "issuer": {totpIssuer}, "algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"}}
	return "otpauth://totp/" + url.PathEscape(totpIssuer+":"+username) + "?" + v.Encode()
}

// enrolData prepares the enrolment page for secret (a new one when empty).
func (s *Server) enrolData(r *http.Request, u *netra.User, secret, action, back string) (*enrolPage, error) {
	if secret == "" {
		var err error
		if secret, _, err = auth.NewTOTPKey(totpIssuer, u.Username); err != nil {
			return nil, err
		}
	}
	png, err := auth.TOTPQRCodePNG(totpURL(u.Username, secret), 240)
	if err != nil {
		return nil, err
	}
	var groups []string
	for i := 0; i < len(secret); i += 4 {
		groups = append(groups, secret[i:min(i+4, len(secret))])
	}
	p := s.newPage(r, "enrol.title")
	return &enrolPage{page: p, Action: action, Back: back, Secret: secret, SecretGroups: strings.Join(groups, " "),
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), Fields: s.totpFields(p)}, nil
}

// enrolForm starts TOTP enrolment at a first sign-in: a QR code and the key.
func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	back := safeReturn(r.URL.Query().Get("kembali"))
	u, err := s.pendingUser(r)
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) {
		return s.redirect(w, r, "/masuk", "session_expired")
	} else if err != nil {
		return err
	}
	if u.TOTPEnabled {
		return s.redirect(w, r, "/masuk/totp?kembali="+url.QueryEscape(back), "")
	}
	d, err := s.enrolData(r, u, "", "/masuk/totp/daftar", back)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "enrol", d)
}

// enrolSubmit confirms the enrolment with a code from the app, stores the
// secret, signs the user in and shows the recovery codes once.
func (s *Server) enrolSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	back := safeReturn(r.PostFormValue("kembali"))
	u, err := s.pendingUser(r)
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) {
		return s.redirect(w, r, "/masuk", "session_expired")
	} else if err != nil {
		return err
	}
	// Only a first enrolment may happen with the password alone; replacing
	// a working second factor needs it (see the account page).
	if u.TOTPEnabled || u.Disabled() {
		return s.redirect(w, r, "/masuk/totp?kembali="+url.QueryEscape(back), "")
	}
	codes, err := s.confirmTOTP(w, r, u, "/masuk/totp/daftar", back)
	if err != nil || codes == nil {
		return err
	}
	if err := s.completeSignIn(w, r, u, "totp_enrol"); err != nil {
		return err
	}
	p := s.newPage(r, "recovery.title")
	return s.render(w, r, http.StatusOK, "recovery", &recoveryPage{page: p, Codes: codes, Next: back})
}

// confirmTOTP checks the code typed for the secret in the form and, when it
// is right, stores the secret and a fresh set of recovery codes, which it
// returns. A wrong code re-renders the enrolment page and returns nil codes.
func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request, u *netra.User, action, back string) ([]string, error) {
	ctx, in := r.Context(), info(r)
	secret := strings.ToUpper(strings.TrimSpace(r.PostFormValue("secret")))
	if !totpSecretRe.MatchString(secret) {
		secret = ""
	}
	step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), s.now(), 0)
	if !ok {
		d, err := s.enrolData(r, u, secret, action, back)
		if err != nil {
			return nil, err
		}
		d.setErrors(map[string]string{"code": d.T("totp.wrong")}, d.Fields)
		return nil, s.render(w, r, http.StatusUnprocessableEntity, "enrol", d)
	}
	userCtx := netra.WithActor(ctx, actorFor(u, in.ip))
	on := true
	if err := s.store.UpdateUser(userCtx, u.ID, store.UserUpdate{TOTPSecret: &secret, TOTPEnabled: &on, TOTPLastStep: &step},
		"auth.totp_enrol"); err != nil {
		return nil, err
	}
	u.TOTPSecret, u.TOTPEnabled, u.TOTPLastStep = secret, true, step
	return s.newRecoveryCodes(userCtx, u.ID)
}

// newRecoveryCodes replaces a user's recovery codes and returns the new
// ones, to be shown once; only their hashes are kept.
func (s *Server) newRecoveryCodes(ctx context.Context, userID int64) ([]string, error) {
	codes := auth.NewRecoveryCodes(recoveryCount)
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = auth.HashToken(auth.NormalizeRecoveryCode(c))
	}
	if err := s.store.ReplaceRecoveryCodes(ctx, userID, hashes); err != nil {
		return nil, err
	}
	return codes, nil
}
