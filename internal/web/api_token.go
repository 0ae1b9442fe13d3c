package web

import (
	"net/http"
	"strconv"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

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
