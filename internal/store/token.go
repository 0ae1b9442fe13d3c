package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/netra-id/netra"
)

// APIToken is a credential for an integration, scoped like a role grant.
// Only the SHA-256 of the secret is stored; the secret is shown once.
type APIToken struct {
	ID         int64
	Name       string
	Grant      netra.Grant
	CreatedBy  int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CreateAPIToken stores a token whose role and area the actor may itself
// grant. The employee and super admin roles cannot be given to a token.
func (s *Store) CreateAPIToken(ctx context.Context, t *APIToken, tokenHash string) error {
	if t.Name == "" || len(t.Name) > 100 {
		return netra.Invalid("name", netra.Msg("Nama token wajib diisi (paling panjang 100 karakter).", "The token name is required (at most 100 characters)."))
	}
	if !t.Grant.Role.Valid() || t.Grant.Role == netra.RoleEmployee || t.Grant.Role == netra.RoleSuperAdmin {
		return netra.Invalid("role", netra.Msg("Peran token harus admin instansi, verifikator, pimpinan atau auditor.", "A token's role must be government admin, verifier, leader or auditor."))
	}
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		tpath, err := s.tenantPath(ctx, x, t.Grant.TenantID)
		if err != nil {
			return netra.Invalid("tenant", netra.Msg("Instansi tidak ditemukan.", "Government not found."))
		}
		if t.Grant.UnitID != 0 {
			var upath string
			if err := x.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = $1 AND tenant_id = $2`, t.Grant.UnitID, t.Grant.TenantID).Scan(&upath); err != nil {
				return netra.Invalid("unit", netra.Msg("Unit tidak ditemukan.", "Unit not found."))
			}
			if !sc.CoversUnit(t.Grant.TenantID, tpath, upath) {
				return fmt.Errorf("token: %w", netra.ErrForbidden)
			}
		} else if !sc.CoversTenant(tpath) {
			return fmt.Errorf("token: %w", netra.ErrForbidden)
		}
		t.CreatedBy, t.CreatedAt = x.actor.UserID, fromMS(x.now)
		if err := x.QueryRowContext(ctx, `INSERT INTO api_tokens (name, token_hash, role, tenant_id, unit_id, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, t.Name, tokenHash, t.Grant.Role, t.Grant.TenantID,
			nullID(t.Grant.UnitID), nullID(t.CreatedBy), x.now, ms(t.ExpiresAt)).Scan(&t.ID); err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return x.audit(ctx, t.Grant.TenantID, "token.create", "token", t.ID, map[string]any{
			"name": t.Name, "role": t.Grant.Role, "unit_id": t.Grant.UnitID})
	})
}

// APITokenByHash returns a live token for authentication and records its use.
func (s *Store) APITokenByHash(ctx context.Context, hash string, now time.Time) (*APIToken, error) {
	var t APIToken
	var created, expires, used int64
	err := s.r.QueryRowContext(ctx, `SELECT k.id, k.name, k.role, k.tenant_id, t.code, t.path, COALESCE(k.unit_id, 0),
		COALESCE(u.path, ''), COALESCE(u.name, ''), COALESCE(k.created_by, 0), k.created_at, k.expires_at, k.last_used_at
		FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN org_units u ON u.id = k.unit_id
		WHERE k.token_hash = $1 AND k.revoked_at IS NULL`, hash).Scan(&t.ID, &t.Name, &t.Grant.Role, &t.Grant.TenantID,
		&t.Grant.TenantCode, &t.Grant.TenantPath, &t.Grant.UnitID, &t.Grant.UnitPath, &t.Grant.UnitName, &t.CreatedBy,
		&created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, netra.ErrUnauthenticated
	} else if err != nil {
		return nil, fmt.Errorf("store: token: %w", err)
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromMS(created), fromMS(expires), fromMS(used)
	if !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) {
		return nil, netra.ErrUnauthenticated
	}
	// Recording every use would turn each API read into a write; once a
	// minute is enough to tell a live integration from a dead one.
	if now.Sub(t.LastUsedAt) > time.Minute {
		if _, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, ms(now), t.ID); err != nil {
			return nil, fmt.Errorf("store: token use: %w", err)
		}
	}
	return &t, nil
}

// APITokens lists the tokens within the actor's user.manage scope: for an
// admin limited to a unit subtree, the tokens limited to units inside it.
func (s *Store) APITokens(ctx context.Context) ([]APIToken, error) {
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return nil, err
	}
	var a args
	rows, err := s.r.QueryContext(ctx, `SELECT k.id, k.name, k.role, k.tenant_id, t.code, COALESCE(k.unit_id, 0),
		COALESCE(u.name, ''), k.created_at, k.expires_at, k.last_used_at, COALESCE(k.revoked_at, 0)
		FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN org_units u ON u.id = k.unit_id
		WHERE `+scopeSQL(sc, &a, "t.path", "t.id", "COALESCE(u.path, '')")+` ORDER BY k.id DESC`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var created, expires, used, revoked int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Grant.Role, &t.Grant.TenantID, &t.Grant.TenantCode, &t.Grant.UnitID,
			&t.Grant.UnitName, &created, &expires, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = fromMS(created), fromMS(expires), fromMS(used), fromMS(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken ends a token within the actor's scope (the rule of
// APITokens); any other is ErrNotFound.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		var g netra.Grant
		err := x.QueryRowContext(ctx, `SELECT k.role, k.tenant_id, t.path, COALESCE(k.unit_id, 0), COALESCE(u.path, '')
			FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id LEFT JOIN org_units u ON u.id = k.unit_id
			WHERE k.id = $1`, id).Scan(&g.Role, &g.TenantID, &g.TenantPath, &g.UnitID, &g.UnitPath)
		tid := g.TenantID
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !grantWithin(sc, g)) {
			return fmt.Errorf("token %d: %w", id, netra.ErrNotFound)
		} else if err != nil {
			return err
		}
		if _, err := x.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, x.now, id); err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		return x.audit(ctx, tid, "token.revoke", "token", id, nil)
	})
}
