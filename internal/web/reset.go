package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
)

// Password reset by e-mail, for staff who lost their password: the sign-in
// page's "Lupa kata sandi?" asks for the username and e-mails a single-use
// link, valid resetLifetime, to the address on the account (only the
// link's hash is stored). The link's page asks for the new password and,
// when the account has TOTP, a code from the app or a recovery code: the
// mailbox alone does not give the account away. The answer to a username is
// always the same, so the form cannot tell who has an account.
const (
	resetLifetime  = 30 * time.Minute
	resetWindow    = time.Hour
	resetsInWindow = 3 // links a user may be sent per window
)

type forgotPage struct {
	*page
	Fields []field
}

type resetPage struct {
	*page
	Fields []field // nil: the link is dead
	Action string
}

func (s *Server) forgotFields(p *page, username string) []field {
	return []field{{Name: "username", Label: p.T("signin.username"), Type: "text", Value: username, Autocomplete: "username",
		Required: true, Autofocus: true, MaxLength: 64}}
}

// forgotForm asks for the username whose password is lost.
func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "forgot.title")
	return s.render(w, r, http.StatusOK, "forgot", &forgotPage{page: p, Fields: s.forgotFields(p, "")})
}

// forgotSubmit e-mails a reset link to a staff account with an e-mail
// address, within the limit, and always answers the same way.
func (s *Server) forgotSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	ctx, in, now := r.Context(), info(r), s.now()
	username := strings.TrimSpace(r.PostFormValue("username"))
	if username == "" {
		p := s.newPage(r, "forgot.title")
		fields := s.forgotFields(p, "")
		p.setErrors(map[string]string{"username": p.T("forgot.missing")}, fields)
		return s.render(w, r, http.StatusUnprocessableEntity, "forgot", &forgotPage{page: p, Fields: fields})
	}
	u, err := s.store.LoginUser(ctx, username)
	switch {
	case errors.Is(err, netra.ErrNotFound):
	case err != nil:
		return err
	case !staffUser(u) || u.Email == "" || u.Disabled():
	default:
		n, err := s.store.RecentPasswordResets(ctx, u.ID, now.Add(-resetWindow))
		if err != nil {
			return err
		}
		if n >= resetsInWindow {
			s.log.Info("password reset limit", "user_id", u.ID, "request_id", in.id)
			break
		}
		tok := auth.RandomToken()
		sys := netra.WithActor(ctx, systemActor(in.ip))
		if err := s.store.CreatePasswordReset(sys, u.ID, auth.HashToken(tok), now.Add(resetLifetime)); err != nil {
			return err
		}
		m := mail.Message{
			To:      []string{u.Email},
			Subject: s.cat.T(in.lang, "mail.reset.subject"),
			Text:    s.cat.T(in.lang, "mail.reset.text", u.Name, s.baseURL+"/masuk/sandi-baru/"+tok, int(resetLifetime.Minutes())),
		}
		if err := jobs.EnqueueMail(ctx, s.store, m); err != nil {
			return err
		}
	}
	return s.redirect(w, r, "/masuk", "reset_sent")
}

func (s *Server) resetFields(p *page, u *netra.User) []field {
	f := []field{
		{Name: "new_password", Label: p.T("account.password.new"), Hint: p.T("account.password.hint"), Type: "password",
			Autocomplete: "new-password", Required: true, Autofocus: true, MaxLength: 1024},
		{Name: "confirm_password", Label: p.T("account.password.confirm"), Type: "password", Autocomplete: "new-password",
			Required: true, MaxLength: 1024},
	}
	if u.TOTPEnabled {
		f = append(f, field{Name: "code", Label: p.T("totp.code"), Hint: p.T("reset.code.hint"), Type: "text",
			Autocomplete: "one-time-code", InputMode: "numeric", Required: true, MaxLength: 20})
	}
	return f
}

// resetForm shows the new-password form of a live reset link. Opening the
// link changes nothing, so mail scanners that fetch it use nothing up.
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "reset.title")
	u, err := s.store.PasswordResetUser(r.Context(), auth.HashToken(r.PathValue("token")))
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) || (err == nil && u.Disabled()) {
		p.FormError = p.T("reset.expired")
		return s.render(w, r, http.StatusNotFound, "reset", &resetPage{page: p})
	} else if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reset", &resetPage{page: p, Fields: s.resetFields(p, u), Action: r.URL.Path})
}

// resetSubmit sets the new password when the link is live and, for an
// account with TOTP, the second factor is right. A wrong code counts as a
// failed sign-in, with the same slow-down.
func (s *Server) resetSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	ctx, in, now := r.Context(), info(r), s.now()
	p := s.newPage(r, "reset.title")
	hash := auth.HashToken(r.PathValue("token"))
	u, err := s.store.PasswordResetUser(ctx, hash)
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) || (err == nil && u.Disabled()) {
		p.FormError = p.T("reset.expired")
		return s.render(w, r, http.StatusNotFound, "reset", &resetPage{page: p})
	} else if err != nil {
		return err
	}
	fields := s.resetFields(p, u)
	refuse := func(status int, msgs map[string]string) error {
		p.setErrors(msgs, fields)
		return s.render(w, r, status, "reset", &resetPage{page: p, Fields: fields, Action: r.URL.Path})
	}
	pw, confirm := r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	if ve, ok := netra.AsValidation(netra.ValidatePassword(pw, u.Username)); ok {
		return refuse(http.StatusUnprocessableEntity, map[string]string{"new_password": ve.Fields["password"].In(p.Lang)})
	} else if pw != confirm {
		return refuse(http.StatusUnprocessableEntity, map[string]string{"confirm_password": p.T("reset.confirm")})
	}
	userCtx := netra.WithActor(ctx, actorFor(u, in.ip))
	if u.TOTPEnabled {
		sys := netra.WithActor(ctx, systemActor(in.ip))
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
			p.FormError = s.waitMessage(w, p, until, now)
			return s.render(w, r, http.StatusTooManyRequests, "reset", &resetPage{page: p, Fields: fields, Action: r.URL.Path})
		}
		code, ok := strings.TrimSpace(r.PostFormValue("code")), false
		if looksLikeRecoveryCode(code) {
			if ok, err = s.store.UseRecoveryCode(userCtx, u.ID, auth.HashToken(auth.NormalizeRecoveryCode(code))); err != nil {
				return err
			}
		} else if step, good := auth.CheckTOTP(u.TOTPSecret, code, now, u.TOTPLastStep); good {
			if ok, err = s.store.ClaimTOTPStep(sys, u.ID, step); err != nil {
				return err
			}
		}
		if !ok {
			if _, err := s.store.RecordLoginFailure(sys, u.ID, source, "reset_totp", since); err != nil {
				return err
			}
			return refuse(http.StatusUnauthorized, map[string]string{"code": p.T("totp.wrong")})
		}
	}
	h, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	if err := s.store.CompletePasswordReset(userCtx, hash, u.ID, h); errors.Is(err, netra.ErrUnauthenticated) {
		p.FormError = p.T("reset.expired")
		return s.render(w, r, http.StatusNotFound, "reset", &resetPage{page: p})
	} else if err != nil {
		return err
	}
	return s.redirect(w, r, "/masuk", "password_reset_done")
}
