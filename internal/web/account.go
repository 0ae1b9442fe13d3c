package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

type homePage struct {
	*page
	Tenants        []store.TenantSummary
	MoreTenants    int
	TenantCount    int
	Units          int
	UnitsKnown     bool
	Employees      int
	EmployeesMore  bool
	EmployeesKnown bool
	Imports        []netra.Import
	ImportTenant   int64
	Transfers      []store.TransferCount // pending transfers the actor may decide
}

// home is the dashboard: what lies within the actor's scope, in numbers.
// Employees go to their own page instead.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	a := in.actor
	if !isStaff(a) {
		return s.redirect(w, r, "/saya", "")
	}
	ctx := r.Context()
	p := s.newPage(r, "home.title")
	d := &homePage{page: p}
	if a.Can(netra.PermTenantRead) {
		ts, err := s.store.Tenants(ctx)
		if err != nil {
			return err
		}
		d.TenantCount = len(ts)
		limited := false
		for _, g := range a.GrantsFor(netra.PermUnitRead) {
			limited = limited || g.UnitID != 0
		}
		if !limited {
			for _, t := range ts {
				d.Units += t.Units
			}
			d.UnitsKnown = true
		}
		if len(ts) > 12 {
			d.MoreTenants = len(ts) - 12
			ts = ts[:12]
		}
		// Employees are counted only for the governments shown.
		ids := make([]int64, len(ts))
		for i, t := range ts {
			ids[i] = t.ID
		}
		if d.Tenants, err = s.store.TenantsCounted(ctx, ids...); err != nil {
			return err
		}
	}
	if a.Can(netra.PermEmployeeRead) {
		n, more, err := s.store.CountEmployees(ctx, netra.EmployeeFilter{Status: netra.StatusActive})
		if err != nil {
			return err
		}
		d.Employees, d.EmployeesMore, d.EmployeesKnown = n, more, true
	}
	if gs := a.GrantsFor(netra.PermImport); len(gs) > 0 && gs[0].TenantID != 0 {
		ims, err := s.store.Imports(ctx, gs[0].TenantID)
		if err != nil && !errors.Is(err, netra.ErrForbidden) {
			return err
		}
		d.Imports, d.ImportTenant = ims[:min(5, len(ims))], gs[0].TenantID
	}
	ts, err := s.store.TransfersToDecide(ctx)
	if err != nil {
		return err
	}
	d.Transfers = ts
	return s.render(w, r, http.StatusOK, "home", d)
}

type mePage struct {
	*page
	Employee *netra.Employee
	Tenant   *netra.Tenant
	Inbox    *inboxPanel // duties and notices, shown first (inbox.go)
}

// me shows an employee their own record.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	a := info(r).actor
	if a.EmployeeID == 0 {
		return errNotFound
	}
	ctx := r.Context()
	e, err := s.store.Employee(ctx, a.EmployeeID)
	if err != nil {
		return err
	}
	t, err := s.store.Tenant(ctx, e.TenantID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "me.title")
	in, err := s.loadInbox(r, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "me", &mePage{page: p, Employee: e, Tenant: t, Inbox: in})
}

type accountPage struct {
	*page
	Staff         bool
	TOTPEnabled   bool
	RecoveryLeft  int
	Sessions      []sessionRow
	PasswordForm  []field
	PasswordSaved bool
	MustChange    bool // an administrator set the password: change it before anything else
}

type sessionRow struct {
	Ref       string
	Current   bool
	IP        string
	Device    string
	Created   string
	LastSeen  string
	ExpiresAt string
}

func (s *Server) passwordFields(p *page) []field {
	return []field{
		{Name: "current_password", Label: p.T("account.password.current"), Type: "password", Autocomplete: "current-password", Required: true},
		{Name: "new_password", Label: p.T("account.password.new"), Hint: p.T("account.password.hint"), Type: "password", Autocomplete: "new-password", Required: true},
		{Name: "confirm_password", Label: p.T("account.password.confirm"), Type: "password", Autocomplete: "new-password", Required: true},
	}
}

// account shows the signed-in user's sessions and second factor, and lets
// staff change their password.
func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "account.title")
	d, err := s.accountData(r, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account", d)
}

func (s *Server) accountData(r *http.Request, p *page) (*accountPage, error) {
	in := info(r)
	u := in.user
	d := &accountPage{page: p, Staff: staffUser(u), TOTPEnabled: u.TOTPEnabled, PasswordForm: s.passwordFields(p),
		MustChange: u.MustChangePassword}
	ctx := r.Context()
	if d.Staff {
		n, err := s.store.RecoveryCodesLeft(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		d.RecoveryLeft = n
	}
	ss, err := s.store.UserSessions(ctx, u.ID, s.now())
	if err != nil {
		return nil, err
	}
	for _, x := range ss {
		if x.Stage != store.StageFull {
			continue
		}
		d.Sessions = append(d.Sessions, sessionRow{Ref: x.TokenHash[:16], Current: in.session != nil && x.TokenHash == in.session.TokenHash,
			IP: x.IP, Device: deviceName(x.UserAgent), Created: p.DateTime(x.CreatedAt), LastSeen: p.DateTime(x.LastSeenAt),
			ExpiresAt: p.DateTime(x.ExpiresAt)})
	}
	return d, nil
}

// deviceName gives a short, recognisable name for a browser's user agent.
func deviceName(ua string) string {
	os := ""
	for _, k := range []string{"Android", "iPhone", "iPad", "Windows", "Mac OS X", "Linux"} {
		if strings.Contains(ua, k) {
			os = k
			break
		}
	}
	br := ""
	for _, k := range [][2]string{{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}} {
		if strings.Contains(ua, k[0]) {
			br = k[1]
			break
		}
	}
	switch {
	case os != "" && br != "":
		return br + " · " + os
	case br != "" || os != "":
		return br + os
	}
	return netra.Truncate(ua, 40)
}

// changePassword changes a staff user's own password after checking the
// current one, ends every other session and rotates this one.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	u := in.user
	if !staffUser(u) {
		return netra.ErrForbidden
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	cur, pw, confirm := f.get("current_password"), f.get("new_password"), f.get("confirm_password")
	ok, err := s.hasher.Verify(ctx, u.PasswordHash, cur)
	if err != nil {
		return err
	}
	if !ok {
		f.invalid("current_password", netra.Msg("Kata sandi sekarang salah.", "The current password is wrong."))
	}
	if ve, ok := netra.AsValidation(netra.ValidatePassword(pw, u.Username)); ok {
		f.invalid("new_password", ve.Fields["password"])
	} else if pw != confirm {
		f.invalid("confirm_password", netra.Msg("Ulangi kata sandi baru dengan sama persis.", "Repeat the new password exactly."))
	}
	if err := f.err(); err != nil {
		return s.renderInvalid(w, r, err, "account", func() (formPage, []field, error) {
			d, err := s.accountData(r, s.newPage(r, "account.title"))
			if err != nil {
				return nil, nil, err
			}
			return d, d.PasswordForm, nil
		})
	}
	h, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	chosen := false
	if err := s.store.UpdateUser(ctx, u.ID, store.UserUpdate{PasswordHash: &h, MustChangePassword: &chosen}, "auth.password_change"); err != nil {
		return err
	}
	if _, err := s.store.DeleteUserSessions(ctx, u.ID); err != nil {
		return err
	}
	in.session = nil
	if err := s.startSession(w, r, u, store.StageFull); err != nil {
		return err
	}
	return s.redirect(w, r, "/akun", "password_changed")
}

// totpChangeForm starts moving the second factor to a new authenticator.
func (s *Server) totpChangeForm(w http.ResponseWriter, r *http.Request) error {
	u := info(r).user
	if !staffUser(u) {
		return netra.ErrForbidden
	}
	d, err := s.enrolData(r, u, "", "/akun/totp", "/akun")
	if err != nil {
		return err
	}
	d.Title = d.T("enrol.change.title")
	return s.render(w, r, http.StatusOK, "enrol", d)
}

// totpChange confirms the new authenticator and shows new recovery codes.
func (s *Server) totpChange(w http.ResponseWriter, r *http.Request) error {
	u := info(r).user
	if !staffUser(u) {
		return netra.ErrForbidden
	}
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	codes, err := s.confirmTOTP(w, r, u, "/akun/totp", "/akun")
	if err != nil || codes == nil {
		return err
	}
	p := s.newPage(r, "recovery.title")
	return s.render(w, r, http.StatusOK, "recovery", &recoveryPage{page: p, Codes: codes, Next: "/akun"})
}

// regenerateRecovery replaces the recovery codes and shows the new ones once.
func (s *Server) regenerateRecovery(w http.ResponseWriter, r *http.Request) error {
	u := info(r).user
	if !staffUser(u) {
		return netra.ErrForbidden
	}
	codes, err := s.newRecoveryCodes(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "recovery.title")
	return s.render(w, r, http.StatusOK, "recovery", &recoveryPage{page: p, Codes: codes, Next: "/akun"})
}

// endSession signs out one of the user's sessions (a lost phone, a shared computer).
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	ctx := r.Context()
	ref := r.PathValue("ref")
	ss, err := s.store.UserSessions(ctx, in.user.ID, s.now())
	if err != nil {
		return err
	}
	for _, x := range ss {
		if len(ref) != 16 || !strings.HasPrefix(x.TokenHash, ref) {
			continue
		}
		if err := s.store.DeleteSession(ctx, x.TokenHash); err != nil {
			return err
		}
		if err := s.store.AuditUser(ctx, "auth.session_end", in.user.ID, map[string]string{"session": ref}); err != nil {
			return err
		}
		if in.session != nil && x.TokenHash == in.session.TokenHash {
			s.clearSessionCookie(w)
			return s.redirect(w, r, "/masuk", "signed_out")
		}
		return s.redirect(w, r, "/akun", "session_ended")
	}
	return errNotFound
}

// signOutEverywhere ends every session of the user, this one included.
func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	if _, err := s.store.DeleteUserSessions(r.Context(), in.user.ID); err != nil {
		return err
	}
	s.clearSessionCookie(w)
	target := "/masuk"
	if !isStaff(in.actor) {
		target = "/masuk/pegawai"
	}
	return s.redirect(w, r, target, "signed_out_all")
}
