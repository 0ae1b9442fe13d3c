package web

import (
	"net/http"
	"strconv"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

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

type apiToken struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Role       string  `json:"role"`
	TenantID   int64   `json:"tenant_id"`
	TenantCode string  `json:"tenant_code"`
	UnitID     *int64  `json:"unit_id"`
	UnitName   string  `json:"unit_name"`
	CreatedAt  string  `json:"created_at"`
	ExpiresAt  *string `json:"expires_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
	Token      string  `json:"token,omitempty"`
}

func tokenJSON(t *store.APIToken) apiToken {
	return apiToken{ID: t.ID, Name: t.Name, Role: string(t.Grant.Role), TenantID: t.Grant.TenantID, TenantCode: t.Grant.TenantCode,
		UnitID: optID(t.Grant.UnitID), UnitName: t.Grant.UnitName, CreatedAt: ts(t.CreatedAt), ExpiresAt: optTS(t.ExpiresAt),
		LastUsedAt: optTS(t.LastUsedAt), RevokedAt: optTS(t.RevokedAt)}
}

// apiTokens lists the API tokens in scope (never their secrets).
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) error {
	tl, err := s.store.APITokens(r.Context())
	if err != nil {
		return err
	}
	out := list[apiToken]{Items: []apiToken{}}
	for i := range tl {
		out.Items = append(out.Items, tokenJSON(&tl[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiTokenCreate makes a token; its secret is in this answer only.
func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name          string `json:"name"`
		ExpiresInDays int    `json:"expires_in_days"`
		apiGrantInput
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var days error
	if in.ExpiresInDays < 0 || in.ExpiresInDays > 3650 {
		days = netra.Invalid("expires_in_days", netra.Msg("Masa berlaku 0 (tanpa batas) sampai 3650 hari.", "Validity is 0 (unlimited) to 3650 days."))
	}
	// Every field error at once; a missing role is one of them (least
	// privilege: there is no default role).
	if err := joinInvalid(tokenNameError(in.Name), in.validate(), days); err != nil {
		return err
	}
	secret, t, err := s.createToken(r.Context(), in.Name, in.Role, in.TenantID, in.UnitID, in.ExpiresInDays)
	if err != nil {
		return err
	}
	out := tokenJSON(t)
	out.Token = secret
	return created(w, "/api/v1/tokens/"+strconv.FormatInt(t.ID, 10), out)
}

// apiTokenRevoke ends a token at once.
func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
