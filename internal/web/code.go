package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/store"
)

// Employee sign-in, made for a phone: the employee types their NIP, gets a
// six-digit code and a sign-in link by e-mail, and types the code (or opens
// the link). The answer to a NIP is always the same, whether or not it is
// registered and has an e-mail address, so the form cannot be used to find
// out who works where.
const (
	codeDigits    = 6
	codeLifetime  = 10 * time.Minute
	codeWindow    = 15 * time.Minute
	codesInWindow = 3 // codes an employee may request per window
	nipCookie     = "netra_nip"
)

type nipPage struct {
	*page
	Fields []field
	Back   string
}

type codePage struct {
	*page
	Fields []field
	Back   string
}

type linkPage struct {
	*page
	Action string
}

func (s *Server) nipFields(p *page, nip string) []field {
	return []field{{Name: "nip", Label: p.T("code.nip"), Hint: p.T("code.nip.hint"), Type: "text", Value: nip,
		InputMode: "numeric", Autocomplete: "username", Required: true, Autofocus: true, MaxLength: 30}}
}

// employeeSignInForm asks for the NIP.
func (s *Server) employeeSignInForm(w http.ResponseWriter, r *http.Request) error {
	back := safeReturn(r.URL.Query().Get("kembali"))
	if info(r).actor != nil {
		return s.redirect(w, r, back, "")
	}
	p := s.newPage(r, "code.title")
	return s.render(w, r, http.StatusOK, "signin_employee", &nipPage{page: p, Fields: s.nipFields(p, ""), Back: back})
}

// codeHash binds a code to its user, so that equal codes of two users do
// not share a hash.
func codeHash(userID int64, code string) string {
	return auth.HashToken(strconv.FormatInt(userID, 10) + ":" + code)
}

// requestCode sends a code to the employee with the NIP, if there is one
// with an e-mail address, and always answers the same way.
func (s *Server) requestCode(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	ctx, in, now := r.Context(), info(r), s.now()
	back := safeReturn(r.PostFormValue("kembali"))
	nip := netra.NormalizeNIP(r.PostFormValue("nip"))
	if len(nip) < 16 || len(nip) > 18 || strings.Trim(nip, "0123456789") != "" {
		p := s.newPage(r, "code.title")
		fields := s.nipFields(p, r.PostFormValue("nip"))
		p.setErrors(map[string]string{"nip": p.T("code.nip.invalid")}, fields)
		return s.render(w, r, http.StatusUnprocessableEntity, "signin_employee", &nipPage{page: p, Fields: fields, Back: back})
	}
	u, e, err := s.store.EmployeeLogin(ctx, nip)
	switch {
	case errors.Is(err, netra.ErrNotFound):
	case err != nil:
		return err
	case e.Email == "" || u.Disabled():
	default:
		n, err := s.store.RecentLoginCodes(ctx, u.ID, now.Add(-codeWindow))
		if err != nil {
			return err
		}
		if n >= codesInWindow {
			s.log.Info("login code limit", "user_id", u.ID, "request_id", in.id)
			break
		}
		if err := s.sendCode(r, u, e, now); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: nipCookie, Value: nip, Path: "/masuk", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(codeWindow.Seconds())})
	return s.redirect(w, r, "/masuk/pegawai/kode?kembali="+url.QueryEscape(back), "code_sent")
}

// sendCode stores a new code and link for u and queues the e-mail carrying
// them, in the language the employee is using.
func (s *Server) sendCode(r *http.Request, u *netra.User, e *netra.Employee, now time.Time) error {
	ctx, lang := r.Context(), info(r).lang
	code := auth.NumericCode(codeDigits)
	link := auth.RandomToken()
	lc := &store.LoginCode{UserID: u.ID, CodeHash: codeHash(u.ID, code), LinkTokenHash: auth.HashToken(link),
		CreatedAt: now, ExpiresAt: now.Add(codeLifetime)}
	if err := s.store.CreateLoginCode(ctx, lc); err != nil {
		return err
	}
	m := mail.Message{
		To:      []string{e.Email},
		Subject: s.cat.T(lang, "mail.code.subject"),
		Text:    s.cat.T(lang, "mail.code.text", e.FullName(), code, s.baseURL+"/masuk/tautan/"+link, int(codeLifetime.Minutes())),
	}
	return jobs.EnqueueMail(ctx, s.store, m)
}

func (s *Server) codeFields(p *page) []field {
	return []field{{Name: "code", Label: p.T("code.code"), Hint: p.T("code.code.hint"), Type: "text",
		InputMode: "numeric", Autocomplete: "one-time-code", Required: true, Autofocus: true, MaxLength: 6}}
}

// codeForm asks for the e-mailed code.
func (s *Server) codeForm(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(nipCookie); err != nil || c.Value == "" {
		return s.redirect(w, r, "/masuk/pegawai", "")
	}
	p := s.newPage(r, "code.enter.title")
	return s.render(w, r, http.StatusOK, "code", &codePage{page: p, Fields: s.codeFields(p), Back: safeReturn(r.URL.Query().Get("kembali"))})
}

// codeSubmit signs the employee in with the code. The store counts wrong
// attempts and kills the code after a few.
func (s *Server) codeSubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	c, err := r.Cookie(nipCookie)
	if err != nil || c.Value == "" {
		return s.redirect(w, r, "/masuk/pegawai", "session_expired")
	}
	ctx, now := r.Context(), s.now()
	back := safeReturn(r.PostFormValue("kembali"))
	code := strings.Join(strings.Fields(r.PostFormValue("code")), "")
	u, _, err := s.store.EmployeeLogin(ctx, c.Value)
	ok := false
	switch {
	case errors.Is(err, netra.ErrNotFound):
	case err != nil:
		return err
	case len(code) == codeDigits && !u.Disabled():
		if ok, err = s.store.ConsumeLoginCode(ctx, u.ID, codeHash(u.ID, code), now, auth.ConstantTimeEqual); err != nil {
			return err
		}
	}
	if !ok {
		p := s.newPage(r, "code.enter.title")
		fields := s.codeFields(p)
		p.setErrors(map[string]string{"code": p.T("code.wrong")}, fields)
		return s.render(w, r, http.StatusUnauthorized, "code", &codePage{page: p, Fields: fields, Back: back})
	}
	if err := s.completeSignIn(w, r, u, "email_code"); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: nipCookie, Value: "", Path: "/masuk", MaxAge: -1, HttpOnly: true, Secure: s.secure})
	if back == "/" {
		back = "/saya"
	}
	return s.redirect(w, r, back, "")
}

// linkForm shows a button that signs in with an e-mailed link. Opening the
// link does not sign in by itself: mail scanners that fetch every link
// would otherwise use it up.
func (s *Server) linkForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "link.title")
	return s.render(w, r, http.StatusOK, "link", &linkPage{page: p, Action: r.URL.Path})
}

// linkSubmit signs in with an e-mailed link.
func (s *Server) linkSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	uid, err := s.store.ConsumeLoginLink(ctx, auth.HashToken(r.PathValue("token")), now)
	var u *netra.User
	if err == nil {
		u, err = s.store.UserByID(ctx, uid)
		if err == nil && u.Disabled() {
			err = netra.ErrUnauthenticated
		}
	}
	if errors.Is(err, netra.ErrUnauthenticated) || errors.Is(err, netra.ErrNotFound) {
		p := s.newPage(r, "link.title")
		p.FormError = p.T("link.expired")
		return s.render(w, r, http.StatusUnauthorized, "link", &linkPage{page: p, Action: r.URL.Path})
	} else if err != nil {
		return err
	}
	if err := s.completeSignIn(w, r, u, "email_link"); err != nil {
		return err
	}
	return s.redirect(w, r, "/saya", "")
}
