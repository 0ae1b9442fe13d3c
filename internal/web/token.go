package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

// tokenPrefix marks Netra API tokens, so that secret scanners and people
// can tell one when it leaks into a repository or a ticket.
const tokenPrefix = "ntr_"

// createToken makes an API token with one grant and returns its secret,
// which exists only in this answer; the store keeps its hash.
func (s *Server) createToken(ctx context.Context, name string, role netra.Role, tenantID, unitID int64, days int) (string, *store.APIToken, error) {
	t := &store.APIToken{Name: strings.TrimSpace(name), Grant: netra.Grant{Role: role, TenantID: tenantID, UnitID: unitID}}
	if days > 0 {
		t.ExpiresAt = s.now().Add(time.Duration(days) * 24 * time.Hour)
	}
	secret := tokenPrefix + auth.RandomToken()
	if err := s.store.CreateAPIToken(ctx, t, auth.HashToken(secret)); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// tokenNameError is the field error of a missing or overlong token name
// (the store refuses the same), so that it is reported together with the
// grant's errors.
func tokenNameError(name string) error {
	if n := strings.TrimSpace(name); n == "" || len(n) > 100 {
		return netra.Invalid("name", netra.Msg("Nama token wajib diisi (paling panjang 100 karakter).", "The token name is required (at most 100 characters)."))
	}
	return nil
}

type tokenPage struct {
	*page
	Tokens []store.APIToken
	Fields []field
	Secret string
	Now    time.Time
}

func (s *Server) tokenData(r *http.Request) (*tokenPage, error) {
	ctx := r.Context()
	p := s.newPage(r, "tokens.title")
	ts, err := s.store.APITokens(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.grantFields(r, p, true)
	if err != nil {
		return nil, err
	}
	fields := append([]field{{Name: "name", Label: p.T("token.name"), Hint: p.T("token.name.hint"), Type: "text",
		Value: r.FormValue("name"), Required: true, MaxLength: 100}}, g...)
	fields = append(fields, field{Name: "days", Label: p.T("token.expires"), Type: "select",
		Options: options(r.FormValue("days"), "90", p.T("token.expires.days", 90), "365", p.T("token.expires.days", 365),
			"30", p.T("token.expires.days", 30), "0", p.T("token.expires.never"))})
	return &tokenPage{page: p, Tokens: ts, Fields: fields, Now: s.now()}, nil
}

// tokenList lists the API tokens in scope, with the form for a new one.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request) error {
	d, err := s.tokenData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tokens", d)
}

// tokenCreate makes a token and shows its secret once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	role, tenantID, unitID, err := s.grantFromForm(ctx, f)
	// Every field error at once: the name's with the grant's.
	err = joinInvalid(err, tokenNameError(f.get("name")))
	var secret string
	if err == nil {
		days, _ := strconv.Atoi(f.get("days")) // not a number: no expiry, as "0"
		secret, _, err = s.createToken(ctx, f.get("name"), role, tenantID, unitID, days)
	}
	if err != nil {
		return s.renderInvalid(w, r, err, "tokens", func() (formPage, []field, error) {
			d, err := s.tokenData(r)
			if err != nil {
				return nil, nil, err
			}
			return d, d.Fields, nil
		})
	}
	d, err := s.tokenData(r)
	if err != nil {
		return err
	}
	d.Secret, d.Flash = secret, d.T("flash.token_created")
	for i := range d.Fields {
		if d.Fields[i].Type == "text" {
			d.Fields[i].Value = ""
		}
	}
	return s.render(w, r, http.StatusOK, "tokens", d)
}

// tokenRevoke ends a token at once.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/token", "token_revoked")
}
