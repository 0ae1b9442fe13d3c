package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

// sessionCookie holds the random session token; the database keeps only its SHA-256.
const sessionCookie = "netra_session"

// Session lifetimes. Staff sessions end after 30 idle minutes and at most
// 12 hours after sign-in; employees, who sign in on their own phone with an
// e-mailed code, stay signed in longer. A session that has passed only the
// password lives just long enough to type the TOTP code.
const (
	staffIdle       = 30 * time.Minute
	staffMax        = 12 * time.Hour
	employeeIdle    = 3 * 24 * time.Hour
	employeeMax     = 7 * 24 * time.Hour
	pendingLifetime = 10 * time.Minute
	touchEvery      = time.Minute // how stale last_seen may get before a request writes it
)

// lifetimes returns the idle and absolute limits for a user's sessions.
func lifetimes(u *netra.User) (idle, max time.Duration) {
	for _, g := range u.Grants {
		if g.Role.Staff() {
			return staffIdle, staffMax
		}
	}
	return employeeIdle, employeeMax
}

// actorFor builds the actor of a signed-in user.
func actorFor(u *netra.User, ip string) *netra.Actor {
	return &netra.Actor{UserID: u.ID, EmployeeID: u.EmployeeID, Label: "user:" + u.Username, IP: ip, Grants: u.Grants}
}

// systemActor is the actor for sign-in bookkeeping, which happens before
// anyone is signed in; it carries the client's address into the audit log.
func systemActor(ip string) *netra.Actor {
	a := netra.System("auth")
	a.IP = ip
	return a
}

// loadSession finds who is calling: an API token (Authorization: Bearer,
// on /api/ only) or the session cookie. A full session makes its user the
// actor in the request context; a session that passed only the password is
// remembered as pending and gives no actor.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := info(r)
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" && isAPI(r) {
			if err := s.tokenActor(ctx, in, h); err != nil {
				s.fail(w, r, err)
				return
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			ok, err := s.resume(ctx, in, c.Value)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !ok {
				s.clearSessionCookie(w)
			}
		}
		if in.user != nil && in.user.MustChangePassword && !passwordChangeRoute(r) {
			// An administrator chose this password: nothing else until the user chooses their own.
			_ = s.redirect(w, r, "/akun#sandi", "password_must_change")
			return
		}
		if in.actor != nil {
			r = r.WithContext(netra.WithActor(ctx, in.actor))
		}
		next.ServeHTTP(w, r)
	})
}

// passwordChangeRoute reports whether a user who must change their password
// may reach r: the account page and its password form, signing out, and
// what pages are made of.
func passwordChangeRoute(r *http.Request) bool {
	switch r.Method + " " + r.URL.Path {
	case "GET /akun", "POST /akun/sandi", "POST /keluar":
		return true
	}
	return r.Method == http.MethodGet && (strings.HasPrefix(r.URL.Path, "/static/") || strings.HasPrefix(r.URL.Path, "/bahasa/") ||
		r.URL.Path == "/healthz")
}

// tokenActor authenticates an API token: its single grant becomes the actor's.
func (s *Server) tokenActor(ctx context.Context, in *reqInfo, header string) error {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return netra.ErrUnauthenticated
	}
	t, err := s.store.APITokenByHash(ctx, auth.HashToken(strings.TrimSpace(tok)), s.now())
	if err != nil {
		return err
	}
	in.actor = &netra.Actor{TokenID: t.ID, Label: "token:" + t.Name, IP: in.ip, Grants: []netra.Grant{t.Grant}}
	return nil
}

// resume loads the session behind a cookie token and moves its idle expiry
// forward. ok is false when the cookie names no live session.
func (s *Server) resume(ctx context.Context, in *reqInfo, token string) (ok bool, err error) {
	now := s.now()
	hash := auth.HashToken(token)
	ss, err := s.store.SessionByHash(ctx, hash, now)
	if errors.Is(err, netra.ErrUnauthenticated) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	u, err := s.store.SessionUser(ctx, ss.UserID)
	if errors.Is(err, netra.ErrNotFound) || (err == nil && u.Disabled()) {
		return false, s.store.DeleteSession(ctx, hash)
	} else if err != nil {
		return false, err
	}
	in.session = ss
	if ss.Stage != store.StageFull {
		in.pending = true
		return true, nil
	}
	in.user, in.actor = u, actorFor(u, in.ip)
	// At most once a minute per session, and deferred: the store writes
	// the touches of many sessions together (SeenSession).
	if now.Sub(ss.LastSeenAt) >= touchEvery {
		idle, max := lifetimes(u)
		exp := now.Add(idle)
		if end := ss.CreatedAt.Add(max); exp.After(end) {
			exp = end
		}
		s.store.SeenSession(hash, now, exp)
	}
	return true, nil
}

// startSession gives the browser a new session token for u at stage,
// ending the session it had: the token changes at every step up in
// privilege (anonymous → password → second factor), so a token seen before
// a step is worthless after it.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *netra.User, stage string) error {
	ctx := r.Context()
	in := info(r)
	if in.session != nil {
		if err := s.store.DeleteSession(ctx, in.session.TokenHash); err != nil {
			return err
		}
	}
	now := s.now()
	idle, max := lifetimes(u)
	ss := &store.Session{UserID: u.ID, Stage: stage, CreatedAt: now, ExpiresAt: now.Add(idle),
		IP: in.ip, UserAgent: netra.Truncate(r.UserAgent(), 300)}
	cookieAge := max
	if stage != store.StageFull {
		ss.ExpiresAt, cookieAge = now.Add(pendingLifetime), pendingLifetime
	}
	token := auth.RandomToken()
	ss.TokenHash = auth.HashToken(token)
	if err := s.store.CreateSession(ctx, ss); err != nil {
		return err
	}
	in.session, in.pending = ss, stage != store.StageFull
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(cookieAge.Seconds())})
	return nil
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// signOut ends this browser's session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	if in.session != nil {
		if err := s.store.DeleteSession(r.Context(), in.session.TokenHash); err != nil {
			return err
		}
		if in.user != nil {
			ctx := netra.WithActor(r.Context(), actorFor(in.user, in.ip))
			if err := s.store.AuditUser(ctx, "auth.logout", in.user.ID, nil); err != nil {
				return err
			}
		}
	}
	s.clearSessionCookie(w)
	target := "/masuk"
	if in.user != nil && !isStaff(in.actor) {
		target = "/masuk/pegawai"
	}
	return s.redirect(w, r, target, "signed_out")
}

// pendingUser returns the user of a session that has passed the password
// but not the second factor; without one the browser starts over.
func (s *Server) pendingUser(r *http.Request) (*netra.User, error) {
	in := info(r)
	if in.session == nil || !in.pending {
		return nil, netra.ErrUnauthenticated
	}
	return s.store.UserByID(r.Context(), in.session.UserID)
}

// setLang remembers the chosen language and goes back where the user was.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if lang != langID && lang != langEN {
		return errNotFound
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.secure, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	info(r).lang = lang
	return s.redirect(w, r, safeReturn(r.URL.Query().Get("kembali")), "")
}
