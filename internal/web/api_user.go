package web

import (
	"net/http"
	"strconv"

	"github.com/netra-id/netra"
)

type apiMeBody struct {
	UserID      *int64     `json:"user_id"`
	Username    string     `json:"username,omitempty"`
	Name        string     `json:"name,omitempty"`
	EmployeeID  *int64     `json:"employee_id"`
	TokenID     *int64     `json:"token_id"`
	Label       string     `json:"label"`
	Grants      []apiGrant `json:"grants"`
	Permissions []string   `json:"permissions"`
}

// apiMe says who the caller is and what they may do.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	in := info(r)
	a := in.actor
	b := apiMeBody{UserID: optID(a.UserID), EmployeeID: optID(a.EmployeeID), TokenID: optID(a.TokenID), Label: a.Label,
		Grants: []apiGrant{}, Permissions: []string{}}
	if in.user != nil {
		b.Username, b.Name = in.user.Username, in.user.Name
	}
	for _, g := range a.Grants {
		b.Grants = append(b.Grants, grantJSON(g))
	}
	for _, p := range netra.Permissions {
		if a.Can(p) {
			b.Permissions = append(b.Permissions, string(p))
		}
	}
	return writeJSON(w, http.StatusOK, b)
}

type apiGrant struct {
	ID         int64  `json:"id"`
	Role       string `json:"role"`
	TenantID   *int64 `json:"tenant_id"`
	TenantCode string `json:"tenant_code"`
	UnitID     *int64 `json:"unit_id"`
	UnitName   string `json:"unit_name"`
}

func grantJSON(g netra.Grant) apiGrant {
	return apiGrant{ID: g.ID, Role: string(g.Role), TenantID: optID(g.TenantID), TenantCode: g.TenantCode,
		UnitID: optID(g.UnitID), UnitName: g.UnitName}
}

type apiUser struct {
	ID              int64      `json:"id"`
	Username        string     `json:"username"`
	Name            string     `json:"name"`
	Email           string     `json:"email"`
	TOTPEnabled     bool       `json:"totp_enabled"`
	Disabled        bool       `json:"disabled"`
	LockedUntil     *string    `json:"locked_until"`
	Grants          []apiGrant `json:"grants"`
	CreatedAt       string     `json:"created_at"`
	InitialPassword string     `json:"initial_password,omitempty"`
}

func (s *Server) userJSON(u *netra.User) apiUser {
	out := apiUser{ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email, TOTPEnabled: u.TOTPEnabled,
		Disabled: u.Disabled(), Grants: []apiGrant{}, CreatedAt: ts(u.CreatedAt)}
	if s.now().Before(u.LockedUntil) {
		out.LockedUntil = optTS(u.LockedUntil)
	}
	for _, g := range u.Grants {
		out.Grants = append(out.Grants, grantJSON(g))
	}
	return out
}

// apiUsers lists the staff users in the caller's user.manage scope.
func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := s.store.Users(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	out := list[apiUser]{Items: []apiUser{}}
	for i := range us {
		out.Items = append(out.Items, s.userJSON(&us[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiUser returns one staff user.
func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.managedUser(r, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.userJSON(u))
}

type apiGrantInput struct {
	Role     netra.Role `json:"role"`
	TenantID int64      `json:"tenant_id"`
	UnitID   int64      `json:"unit_id"`
}

func (in apiGrantInput) validate() error {
	var v netra.ValidationError
	switch {
	case in.Role == "":
		v.Add("role", netra.Msg("Pilih peran; tidak ada peran bawaan.", "Choose a role; there is no default role."))
	case !in.Role.Valid() || in.Role == netra.RoleEmployee:
		v.Add("role", netra.Msg("Peran tidak dikenal.", "Unknown role."))
	}
	if in.Role != netra.RoleSuperAdmin && in.TenantID == 0 {
		v.Add("tenant_id", netra.Msg("Pilih instansi untuk peran ini.", "Choose a government for this role."))
	}
	return v.Err()
}

// apiUserCreate adds a staff user with a first role. Without a password
// one is generated and returned once as initial_password.
func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Name     string `json:"name"`
		Email    string `json:"email"`
		Password string `json:"password"`
		apiGrantInput
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	u := &netra.User{Username: in.Username, Name: in.Name, Email: in.Email}
	var all netra.ValidationError
	if ve, ok := netra.AsValidation(joinInvalid(u.Validate(), in.validate())); ok {
		for f, m := range ve.Fields {
			all.Add(f, m)
		}
	}
	pw, generated := in.Password, in.Password == ""
	if generated {
		pw = newPassword()
	} else if ve, ok := netra.AsValidation(netra.ValidatePassword(pw, u.Username)); ok {
		all.Add("password", ve.Fields["password"])
	}
	if err := all.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	var err error
	if u.PasswordHash, err = s.hasher.Hash(ctx, pw); err != nil {
		return err
	}
	u.Grants = []netra.Grant{{Role: in.Role, TenantID: in.TenantID, UnitID: in.UnitID}}
	u.MustChangePassword = true // set by someone else: the user replaces it at first sign-in
	if err := s.store.CreateUser(ctx, u); err != nil {
		return err
	}
	if u, _, err = s.store.User(ctx, u.ID); err != nil {
		return err
	}
	out := s.userJSON(u)
	if generated {
		out.InitialPassword = pw
	}
	return created(w, "/api/v1/users/"+strconv.FormatInt(u.ID, 10), out)
}

// apiGrantCreate gives a user another role.
func (s *Server) apiGrantCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.managedUser(r, id); err != nil {
		return err
	}
	var in apiGrantInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	if err := s.store.Grant(r.Context(), id, in.Role, in.TenantID, in.UnitID); err != nil {
		return err
	}
	u, _, err := s.store.User(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.userJSON(u))
}

// apiGrantDelete removes one of a user's roles.
func (s *Server) apiGrantDelete(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.revokeGrant(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
