package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

type userListPage struct {
	*page
	Query string
	Users []netra.User
	Now   time.Time
}

// userList lists the staff users within the actor's user.manage scope.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	us, err := s.store.Users(r.Context(), q)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "users", &userListPage{page: s.newPage(r, "users.title"), Query: q, Users: us, Now: s.now()})
}

// grantFields is the role, government and optional unit of a grant (of a
// new user, a user, or an API token).
func (s *Server) grantFields(r *http.Request, p *page, forToken bool) ([]field, error) {
	a := info(r).actor
	ts, err := s.store.Tenants(r.Context())
	if err != nil {
		return nil, err
	}
	sc := a.ScopeFor(netra.PermUserManage)
	var tenants []store.TenantSummary
	for _, t := range ts {
		if sc.ReachesTenant(t.ID, t.Path()) {
			tenants = append(tenants, t)
		}
	}
	cur := func(n string) string { return r.FormValue(n) }
	return []field{
		// Least privilege: no role is chosen until the admin chooses one (the
		// empty first option; submitting it is a field error).
		{Name: "role", Label: p.T("grant.role"), Type: "select", Required: true,
			Options: roleOptions(p, cur("role"), p.T("grant.role.choose"), !forToken && a.IsSuperAdmin())},
		{Name: "tenant", Label: p.T("grant.tenant"), Hint: p.T("grant.tenant.hint"), Type: "select", Options: tenantOptions(tenants, cur("tenant"), "", true)},
		{Name: "unit", Label: p.T("grant.unit"), Hint: p.T("grant.unit.hint"), Type: "text", Value: cur("unit"), MaxLength: 64},
	}, nil
}

// grantFromForm reads a grant's role, government and unit (by code).
func (s *Server) grantFromForm(ctx context.Context, f *form) (netra.Role, int64, int64, error) {
	role := netra.Role(f.get("role"))
	tenantID := f.id("tenant")
	if !role.Valid() || role == netra.RoleEmployee {
		f.invalid("role", netra.Msg("Pilih peran.", "Choose a role."))
	}
	if role != netra.RoleSuperAdmin && tenantID == 0 {
		f.invalid("tenant", netra.Msg("Pilih instansi untuk peran ini.", "Choose a government for this role."))
	}
	var unitID int64
	if code := f.trim("unit"); code != "" && tenantID != 0 {
		u, err := s.store.UnitByCode(ctx, tenantID, code)
		if err != nil {
			f.invalid("unit", netra.Msg("Tidak ada unit dengan kode "+code+" di instansi ini.", "No unit has the code "+code+" in this government."))
		} else {
			unitID = u.ID
		}
	}
	return role, tenantID, unitID, f.err()
}

type userFormPage struct {
	*page
	Fields []field
	Grant  []field
}

func userFields(p *page, r *http.Request) []field {
	return []field{
		{Name: "username", Label: p.T("user.username"), Hint: p.T("user.username.hint"), Type: "text", Value: r.FormValue("username"),
			Required: true, Autocomplete: "off", MaxLength: 64},
		{Name: "name", Label: p.T("user.name"), Type: "text", Value: r.FormValue("name"), Required: true, MaxLength: 150},
		{Name: "email", Label: p.T("user.email"), Type: "email", Value: r.FormValue("email"), Autocomplete: "off", MaxLength: 200},
	}
}

// userNewForm shows the form for a new staff user with their first role.
func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) error {
	p := s.newPage(r, "user.new.title")
	g, err := s.grantFields(r, p, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user_form", &userFormPage{page: p, Fields: userFields(p, r), Grant: g})
}

// newPassword returns a random initial password, shown once to the admin.
func newPassword() string {
	c := auth.NewRecoveryCodes(2)
	return c[0] + "-" + c[1]
}

// userCreate adds a staff user with a generated initial password and their
// first role, and shows the password once.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u := &netra.User{Username: f.get("username"), Name: f.get("name"), Email: f.get("email"),
		MustChangePassword: true} // the administrator sees the password: the user replaces it first
	role, tenantID, unitID, err := s.grantFromForm(ctx, f)
	if err := joinInvalid(u.Validate(), err); err != nil {
		return s.userFormFailed(w, r, err)
	}
	pw := newPassword()
	if u.PasswordHash, err = s.hasher.Hash(ctx, pw); err != nil {
		return err
	}
	u.Grants = []netra.Grant{{Role: role, TenantID: tenantID, UnitID: unitID}}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return s.userFormFailed(w, r, err)
	}
	return s.showUser(w, r, u.ID, pw, "user_created")
}

func (s *Server) userFormFailed(w http.ResponseWriter, r *http.Request, err error) error {
	return s.renderInvalid(w, r, err, "user_form", func() (formPage, []field, error) {
		p := s.newPage(r, "user.new.title")
		g, err := s.grantFields(r, p, false)
		if err != nil {
			return nil, nil, err
		}
		// One array behind both groups, so that the errors land on both
		// and the summary lists the user's fields before the grant's.
		all := append(userFields(p, r), g...)
		n := len(all) - len(g)
		return &userFormPage{page: p, Fields: all[:n:n], Grant: all[n:]}, all, nil
	})
}

type userPage struct {
	*page
	Target    *netra.User
	Grant     []field
	Password  string // a new password, shown once
	Locked    bool
	CanManage bool
}

// managedUser loads a staff user the actor's user.manage scope shows (one
// holding a role inside it); the store checks the scope and audits the read.
func (s *Server) managedUser(r *http.Request, id int64) (*netra.User, error) {
	u, _, err := s.store.User(r.Context(), id)
	return u, err
}

// showUser renders a user's page, with a new password shown once.
func (s *Server) showUser(w http.ResponseWriter, r *http.Request, id int64, password, flash string) error {
	u, manages, err := s.store.User(r.Context(), id)
	if err != nil {
		return err
	}
	p := s.newPage(r, "")
	p.Title = u.Name
	if flash != "" {
		p.Flash = p.T("flash." + flash)
	}
	g, err := s.grantFields(r, p, false)
	if err != nil {
		return err
	}
	d := &userPage{page: p, Target: u, Grant: g, Password: password, Locked: s.now().Before(u.LockedUntil),
		CanManage: manages && u.ID != info(r).actor.UserID}
	return s.render(w, r, http.StatusOK, "user", d)
}

// userPage shows a user with their roles and the actions on the account.
func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.showUser(w, r, id, "", "")
}

// userGrant gives a user another role.
func (s *Server) userGrant(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.managedUser(r, id); err != nil {
		return err
	}
	ctx := r.Context()
	role, tenantID, unitID, err := s.grantFromForm(ctx, f)
	if err == nil {
		err = s.store.Grant(ctx, id, role, tenantID, unitID)
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "user", func() (formPage, []field, error) {
			u, manages, err := s.store.User(ctx, id)
			if err != nil {
				return nil, nil, err
			}
			p := s.newPage(r, "")
			p.Title = u.Name
			g, err := s.grantFields(r, p, false)
			if err != nil {
				return nil, nil, err
			}
			return &userPage{page: p, Target: u, Grant: g, CanManage: manages && u.ID != info(r).actor.UserID}, g, nil
		})
	}
	return s.redirect(w, r, "/pengguna/"+strconv.FormatInt(id, 10), "role_granted")
}

// revokeGrant removes the grant {grant} of the user {id}, a user the actor
// manages, and returns the user's id.
func (s *Server) revokeGrant(r *http.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	gid, err := pathID(r, "grant")
	if err != nil {
		return 0, err
	}
	u, err := s.managedUser(r, id)
	if err != nil {
		return 0, err
	}
	if !slices.ContainsFunc(u.Grants, func(g netra.Grant) bool { return g.ID == gid }) {
		return 0, errNotFound
	}
	return id, s.store.Revoke(r.Context(), gid)
}

// userRevoke removes one of a user's roles.
func (s *Server) userRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := s.revokeGrant(r)
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/pengguna/"+strconv.FormatInt(id, 10), "role_revoked")
}

// userResetPassword gives a user a new generated password (shown once),
// lifts a lock and ends their sessions.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := s.otherUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	pw := newPassword()
	h, err := s.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	zero, never, must := 0, time.Time{}, true
	if err := s.store.UpdateUser(ctx, id, store.UserUpdate{PasswordHash: &h, FailedLogins: &zero, LockedUntil: &never,
		MustChangePassword: &must}, "user.password_reset"); err != nil {
		return err
	}
	if _, err := s.store.DeleteUserSessions(ctx, id); err != nil {
		return err
	}
	return s.showUser(w, r, id, pw, "password_reset")
}

// otherUser reads the {id} of a user the actor manages and may act on: not themself.
func (s *Server) otherUser(r *http.Request) (int64, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	if _, err := s.managedUser(r, id); err != nil {
		return 0, err
	}
	if id == info(r).actor.UserID {
		return 0, netra.Userf(netra.ErrForbidden, "Ubah akun Anda sendiri di halaman Akun.", "Change your own account on the Account page.")
	}
	return id, nil
}

// userResetTOTP removes a user's second factor, so they enrol a new one at
// their next sign-in (a lost phone), and ends their sessions.
func (s *Server) userResetTOTP(w http.ResponseWriter, r *http.Request) error {
	id, err := s.otherUser(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	empty, off, step := "", false, int64(0)
	if err := s.store.UpdateUser(ctx, id, store.UserUpdate{TOTPSecret: &empty, TOTPEnabled: &off, TOTPLastStep: &step}, "user.totp_reset"); err != nil {
		return err
	}
	if err := s.store.ReplaceRecoveryCodes(ctx, id, nil); err != nil {
		return err
	}
	if _, err := s.store.DeleteUserSessions(ctx, id); err != nil {
		return err
	}
	return s.redirect(w, r, "/pengguna/"+strconv.FormatInt(id, 10), "totp_reset")
}

// userSetStatus disables or enables an account; disabling ends its sessions.
func (s *Server) userSetStatus(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id, err := s.otherUser(r)
	if err != nil {
		return err
	}
	var disable bool
	switch f.get("status") {
	case "disable":
		disable = true
	case "enable":
	default:
		return errBadRequest("Status tidak dikenal.", "Unknown status.")
	}
	action, flash := "user.enable", "user_enabled"
	if disable {
		action, flash = "user.disable", "user_disabled"
	}
	if err := s.store.UpdateUser(r.Context(), id, store.UserUpdate{Disabled: &disable}, action); err != nil {
		return err
	}
	return s.redirect(w, r, "/pengguna/"+strconv.FormatInt(id, 10), flash)
}
