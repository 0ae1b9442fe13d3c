package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

const userCols = `us.id, us.username, us.name, us.email, COALESCE(us.employee_id, 0), us.password_hash, us.totp_secret,
	us.totp_enabled, us.totp_last_step, COALESCE(us.disabled_at, 0), us.failed_logins, us.locked_until, us.must_change_password, us.created_at`

func scanUser(row interface{ Scan(...any) error }, u *netra.User) error {
	var disabled, locked, created int64
	if err := row.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.EmployeeID, &u.PasswordHash, &u.TOTPSecret,
		&u.TOTPEnabled, &u.TOTPLastStep, &disabled, &u.FailedLogins, &locked, &u.MustChangePassword, &created); err != nil {
		return err
	}
	u.DisabledAt, u.LockedUntil, u.CreatedAt = fromMS(disabled), fromMS(locked), fromMS(created)
	return nil
}

// userByWhere loads a user and their grants without any scope check; it
// serves sign-in, which happens before there is an actor.
func (s *Store) userByWhere(ctx context.Context, q queryer, cond string, v any) (*netra.User, error) {
	var u netra.User
	err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users us WHERE `+cond, v), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user: %w", netra.ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store: user: %w", err)
	}
	if u.TOTPSecret, err = s.unseal(purposeTOTP, u.TOTPSecret); err != nil {
		return nil, err
	}
	if u.Grants, err = s.grants(ctx, q, u.ID); err != nil {
		return nil, err
	}
	return &u, nil
}

// LoginUser returns the user with the given username, for sign-in.
func (s *Store) LoginUser(ctx context.Context, username string) (*netra.User, error) {
	return s.userByWhere(ctx, s.r, "us.username = $1", strings.ToLower(strings.TrimSpace(username)))
}

// UserByID returns a user and their grants, for session loading.
func (s *Store) UserByID(ctx context.Context, id int64) (*netra.User, error) {
	return s.userByWhere(ctx, s.r, "us.id = $1", id)
}

func (s *Store) grants(ctx context.Context, q queryer, userID int64) ([]netra.Grant, error) {
	rows, err := q.QueryContext(ctx, `SELECT g.id, g.user_id, g.role, COALESCE(g.tenant_id, 0), COALESCE(t.code, ''),
		COALESCE(t.path, ''), COALESCE(g.unit_id, 0), COALESCE(u.path, ''), COALESCE(u.name, '')
		FROM role_grants g LEFT JOIN tenants t ON t.id = g.tenant_id LEFT JOIN org_units u ON u.id = g.unit_id
		WHERE g.user_id = $1 ORDER BY g.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: grants: %w", err)
	}
	defer rows.Close()
	var out []netra.Grant
	for rows.Next() {
		var g netra.Grant
		if err := rows.Scan(&g.ID, &g.UserID, &g.Role, &g.TenantID, &g.TenantCode, &g.TenantPath, &g.UnitID, &g.UnitPath, &g.UnitName); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// CreateUser adds a staff user with an already hashed password, and the
// roles in u.Grants (Role, TenantID, UnitID) in the same transaction, so a
// refused role leaves no user behind. A taken username is a validation error
// on "username".
func (s *Store) CreateUser(ctx context.Context, u *netra.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		err := x.QueryRowContext(ctx, `INSERT INTO users (username, name, email, employee_id, password_hash, must_change_password, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, u.Username, u.Name, u.Email, nullID(u.EmployeeID), u.PasswordHash,
			u.MustChangePassword, x.now).Scan(&u.ID)
		if isUniqueViolation(err) {
			return netra.Invalid("username", netra.Msg("Nama pengguna "+u.Username+" sudah dipakai.", "The username "+u.Username+" is taken."))
		} else if err != nil {
			return fmt.Errorf("store: insert user: %w", err)
		}
		u.CreatedAt = fromMS(x.now)
		var home int64 // the entry belongs to the government of the user's first role, where its auditors see it
		if len(u.Grants) > 0 {
			home = u.Grants[0].TenantID
		}
		if err := x.audit(ctx, home, "user.create", "user", u.ID, map[string]any{"username": u.Username, "name": u.Name}); err != nil {
			return err
		}
		for _, g := range u.Grants {
			if err := x.grant(ctx, sc, u.ID, g.Role, g.TenantID, g.UnitID); err != nil {
				return err
			}
		}
		return nil
	})
}

// Grant gives a user a role on a tenant (and optionally a unit subtree). The
// actor must manage users across the whole of that area, and may not hand
// out super admin unless they are one.
func (s *Store) Grant(ctx context.Context, userID int64, role netra.Role, tenantID, unitID int64) error {
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error { return x.grant(ctx, sc, userID, role, tenantID, unitID) })
}

func (x *tx) grant(ctx context.Context, sc netra.Scope, userID int64, role netra.Role, tenantID, unitID int64) error {
	if !role.Valid() {
		return netra.Invalid("role", netra.Msg("Peran tidak dikenal.", "Unknown role."))
	}
	if role == netra.RoleSuperAdmin {
		if !sc.All {
			return fmt.Errorf("grant super admin: %w", netra.ErrForbidden)
		}
		tenantID, unitID = 0, 0
	} else {
		if tenantID == 0 {
			return netra.Invalid("tenant", netra.Msg("Pilih instansi untuk peran ini.", "Choose a government for this role."))
		}
		tpath, err := x.s.tenantPath(ctx, x, tenantID)
		if err != nil {
			return netra.Invalid("tenant", netra.Msg("Instansi tidak ditemukan.", "Government not found."))
		}
		if unitID != 0 {
			var upath string
			err := x.QueryRowContext(ctx, `SELECT path FROM org_units WHERE id = $1 AND tenant_id = $2`, unitID, tenantID).Scan(&upath)
			if errors.Is(err, sql.ErrNoRows) {
				return netra.Invalid("unit", netra.Msg("Unit tidak ditemukan di instansi yang dipilih.", "The unit is not in the chosen government."))
			} else if err != nil {
				return fmt.Errorf("store: grant unit: %w", err)
			}
			if !sc.CoversUnit(tenantID, tpath, upath) {
				return fmt.Errorf("grant: %w", netra.ErrForbidden)
			}
		} else if !sc.CoversTenant(tpath) {
			return fmt.Errorf("grant: %w", netra.ErrForbidden)
		}
	}
	// ON CONFLICT rather than catching the violation: on PostgreSQL a failed
	// statement would abort the whole transaction.
	res, err := x.ExecContext(ctx, `INSERT INTO role_grants (user_id, role, tenant_id, unit_id, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, userID, role, nullID(tenantID), nullID(unitID), x.now)
	if isForeignKeyViolation(err) {
		return fmt.Errorf("user %d: %w", userID, netra.ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("store: grant: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already granted
	}
	return x.audit(ctx, tenantID, "user.grant", "user", userID, map[string]any{"role": role, "tenant_id": tenantID, "unit_id": unitID})
}

// Revoke removes one grant.
func (s *Store) Revoke(ctx context.Context, grantID int64) error {
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return err
	}
	return s.write(ctx, func(x *tx) error {
		var g netra.Grant
		err := x.QueryRowContext(ctx, `SELECT g.user_id, g.role, COALESCE(g.tenant_id, 0), COALESCE(t.path, ''),
			COALESCE(g.unit_id, 0), COALESCE(u.path, '') FROM role_grants g LEFT JOIN tenants t ON t.id = g.tenant_id
			LEFT JOIN org_units u ON u.id = g.unit_id WHERE g.id = $1`, grantID).Scan(&g.UserID, &g.Role, &g.TenantID, &g.TenantPath,
			&g.UnitID, &g.UnitPath)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("grant %d: %w", grantID, netra.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: grant: %w", err)
		}
		// The same rule as granting: a unit admin takes back the roles
		// inside their subtree.
		if !grantWithin(sc, g) {
			return fmt.Errorf("revoke: %w", netra.ErrForbidden)
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM role_grants WHERE id = $1`, grantID); err != nil {
			return fmt.Errorf("store: revoke: %w", err)
		}
		return x.audit(ctx, g.TenantID, "user.revoke", "user", g.UserID, map[string]any{"role": g.Role, "tenant_id": g.TenantID})
	})
}

// UserUpdate changes a user's account; nil fields stay as they are.
type UserUpdate struct {
	Name         *string
	Email        *string
	PasswordHash *string
	TOTPSecret   *string
	TOTPEnabled  *bool
	TOTPLastStep *int64
	Disabled     *bool
	FailedLogins *int
	LockedUntil  *time.Time
	// MustChangePassword: true when an administrator sets the password,
	// false when the user chooses their own.
	MustChangePassword *bool
}

// UpdateUser changes a user account. Managing another user needs the
// user.manage permission over every tenant the user holds a role in; a user
// changing their own credentials (password, TOTP) needs only to be signed
// in as that user, and sign-in bookkeeping runs as the system.
func (s *Store) UpdateUser(ctx context.Context, id int64, up UserUpdate, action string) error {
	return s.write(ctx, func(x *tx) error {
		u, err := s.userByWhere(ctx, x, "us.id = $1", id)
		if err != nil {
			return err
		}
		if x.actor.UserID != id && !x.actor.IsSuperAdmin() {
			sc := x.actor.ScopeFor(netra.PermUserManage)
			if err := forWrite("user", id, managesUser(sc, u), seesUser(sc, u)); err != nil {
				return err
			}
		}
		ch := map[string]any{}
		if up.Name != nil {
			u.Name = *up.Name
			ch["name"] = u.Name
		}
		if up.Email != nil {
			u.Email = *up.Email
			ch["email"] = "changed"
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if up.PasswordHash != nil {
			u.PasswordHash = *up.PasswordHash
			ch["password"] = "changed"
		}
		if up.MustChangePassword != nil {
			u.MustChangePassword = *up.MustChangePassword
			ch["must_change_password"] = u.MustChangePassword
		}
		if up.TOTPSecret != nil {
			u.TOTPSecret = *up.TOTPSecret
			ch["totp_secret"] = "changed"
		}
		if up.TOTPEnabled != nil {
			u.TOTPEnabled = *up.TOTPEnabled
			ch["totp_enabled"] = u.TOTPEnabled
		}
		if up.TOTPLastStep != nil {
			u.TOTPLastStep = *up.TOTPLastStep
		}
		disabled := ms(u.DisabledAt)
		if up.Disabled != nil {
			if *up.Disabled && disabled == 0 {
				disabled = x.now
			} else if !*up.Disabled {
				disabled = 0
			}
			ch["disabled"] = *up.Disabled
		}
		if up.FailedLogins != nil {
			u.FailedLogins = *up.FailedLogins
		}
		if up.LockedUntil != nil {
			u.LockedUntil = *up.LockedUntil
			if !u.LockedUntil.IsZero() {
				ch["locked_until"] = u.LockedUntil
			}
		}
		_, err = x.ExecContext(ctx, `UPDATE users SET name = $1, email = $2, password_hash = $3, totp_secret = $4,
			totp_enabled = $5, totp_last_step = $6, disabled_at = $7, failed_logins = $8, locked_until = $9, updated_at = $10,
			must_change_password = $11 WHERE id = $12`, u.Name, u.Email, u.PasswordHash, s.seal(purposeTOTP, u.TOTPSecret), u.TOTPEnabled, u.TOTPLastStep,
			nullID(disabled), u.FailedLogins, ms(u.LockedUntil), x.now, u.MustChangePassword, id)
		if err != nil {
			return fmt.Errorf("store: update user: %w", err)
		}
		if up.Disabled != nil && *up.Disabled {
			for _, q := range []string{`DELETE FROM sessions WHERE user_id = $1`, `DELETE FROM known_devices WHERE user_id = $1`} {
				if _, err := x.ExecContext(ctx, q, id); err != nil {
					return fmt.Errorf("store: end sessions: %w", err)
				}
			}
		}
		if up.FailedLogins != nil && *up.FailedLogins == 0 { // an administrator's reset forgets every source's failures
			if _, err := x.ExecContext(ctx, `DELETE FROM login_failures WHERE user_id = $1`, id); err != nil {
				return fmt.Errorf("store: clear failures: %w", err)
			}
		}
		if action == "" || len(ch) == 0 {
			return nil
		}
		return x.auditUser(ctx, action, id, ch)
	})
}

// grantWithin reports whether a grant lies within the scope: a grant on a
// whole government needs the scope to cover the government, a grant limited
// to a unit subtree needs the scope to cover that unit. A super admin grant
// lies within a super admin's scope only.
func grantWithin(sc netra.Scope, g netra.Grant) bool {
	switch {
	case g.Role == netra.RoleSuperAdmin:
		return sc.All
	case g.UnitID != 0:
		return sc.CoversUnit(g.TenantID, g.TenantPath, g.UnitPath)
	}
	return sc.CoversTenant(g.TenantPath)
}

// seesUser reports whether a user.manage scope shows the user: one of the
// user's roles lies within it (any user for a super admin). An admin
// limited to a unit subtree sees the users with a role inside that subtree.
func seesUser(sc netra.Scope, u *netra.User) bool {
	if sc.All {
		return true
	}
	for _, g := range u.Grants {
		if grantWithin(sc, g) {
			return true
		}
	}
	return false
}

// managesUser reports whether a user.manage scope may change the account:
// every one of the user's roles lies within it, so that no admin changes
// the password of someone who holds power beyond the admin's own.
func managesUser(sc netra.Scope, u *netra.User) bool {
	if sc.All {
		return true
	}
	if len(u.Grants) == 0 {
		return false // an account with no role is nobody's to manage but a super admin's
	}
	for _, g := range u.Grants {
		if !grantWithin(sc, g) {
			return false
		}
	}
	return true
}

// User returns a staff user the actor's user.manage scope shows (see
// seesUser) with their roles, and records the read in the audit log (the
// account holds an e-mail address). An employee's account, or a user out of
// scope, is ErrNotFound. Manages tells whether the actor may also change the
// account (see managesUser).
func (s *Store) User(ctx context.Context, id int64) (u *netra.User, manages bool, err error) {
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return nil, false, err
	}
	u, err = s.userByWhere(ctx, s.r, "us.id = $1", id)
	if err != nil {
		return nil, false, err
	}
	if u.EmployeeID != 0 || !seesUser(sc, u) {
		return nil, false, fmt.Errorf("user %d: %w", id, netra.ErrNotFound)
	}
	var home int64
	if len(u.Grants) > 0 {
		home = u.Grants[0].TenantID
	}
	if err := s.AuditRead(ctx, home, "user", u.ID, nil); err != nil {
		return nil, false, err
	}
	return u, managesUser(sc, u), nil
}

// Users lists the staff users the actor's user.manage scope shows (see
// seesUser; all users for a super admin), by username, at most 500, and
// records the list in the audit log (one entry: the search and the count).
func (s *Store) Users(ctx context.Context, search string) ([]netra.User, error) {
	sc, err := scopeOf(ctx, netra.PermUserManage)
	if err != nil {
		return nil, err
	}
	var a args
	cond := "TRUE"
	if !sc.All {
		cond = "us.id IN (SELECT g.user_id FROM role_grants g JOIN tenants t ON t.id = g.tenant_id " +
			"LEFT JOIN org_units u ON u.id = g.unit_id WHERE " +
			scopeSQL(sc, &a, "t.path", "t.id", "COALESCE(u.path, '')") + ")"
	}
	if q := strings.TrimSpace(strings.ToLower(search)); q != "" {
		p := a.add("%" + escapeLike(q) + "%")
		cond += " AND (us.username LIKE " + p + " ESCAPE '\\' OR LOWER(us.name) LIKE " + p + " ESCAPE '\\')"
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users us WHERE `+cond+` AND us.employee_id IS NULL ORDER BY us.username LIMIT 500`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	var out []netra.User
	for rows.Next() {
		var u netra.User
		if err := scanUser(rows, &u); err != nil {
			rows.Close()
			return nil, err
		}
		u.TOTPSecret = "" // lists never need it
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Grants, err = s.grants(ctx, s.r, out[i].ID); err != nil {
			return nil, err
		}
	}
	if len(out) > 0 {
		sum := map[string]any{"count": len(out)}
		if q := strings.TrimSpace(search); q != "" {
			sum["q"] = q
		}
		if err := s.auditList(ctx, homeTenant(sc), "user", sum); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReplaceRecoveryCodes stores new recovery code hashes for a user,
// invalidating the old ones.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	return s.write(ctx, func(x *tx) error {
		if _, err := x.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := x.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
				return fmt.Errorf("store: recovery code: %w", err)
			}
		}
		return x.auditUser(ctx, "auth.recovery_codes", userID, map[string]int{"count": len(hashes)})
	})
}

// UseRecoveryCode marks an unused recovery code as used; ok is false when
// the code is unknown or already used.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash string) (ok bool, err error) {
	err = s.write(ctx, func(x *tx) error {
		res, err := x.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
			x.now, userID, hash)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ok = n == 1
		if !ok {
			return nil
		}
		return x.auditUser(ctx, "auth.recovery_code_used", userID, nil)
	})
	return ok, err
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

// Audit appends an entry for an event that changes nothing in the store
// itself (a sign-in, a failed sign-in, an export).
func (s *Store) Audit(ctx context.Context, tenantID int64, action, objType string, objID int64, summary any) error {
	return s.write(ctx, func(x *tx) error { return x.audit(ctx, tenantID, action, objType, objID, summary) })
}

// AuditUser records an event about a user account (a sign-in, a sign-out)
// under the government the user works for, so that its auditors see it.
func (s *Store) AuditUser(ctx context.Context, action string, userID int64, summary any) error {
	return s.write(ctx, func(x *tx) error { return x.auditUser(ctx, action, userID, summary) })
}

// auditUser records an event about a user under the user's home government:
// the most specific government the user holds a role in (a city rather than
// its province), whose auditors and those above them see the entry. A user
// with no role left is recorded nationally (tenant 0: super admins only).
func (x *tx) auditUser(ctx context.Context, action string, userID int64, summary any) error {
	var home int64
	err := x.QueryRowContext(ctx, `SELECT g.tenant_id FROM role_grants g JOIN tenants t ON t.id = g.tenant_id
		WHERE g.user_id = $1 ORDER BY LENGTH(t.path) DESC, g.id LIMIT 1`, userID).Scan(&home)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: user's government: %w", err)
	}
	return x.audit(ctx, home, action, "user", userID, summary)
}

// ClaimTOTPStep records that a user's TOTP code for step was used and
// clears their failed sign-ins, in one conditional update: it reports false
// when that step (or a later one) was already used, so a code cannot be
// replayed, not even by two requests at once.
func (s *Store) ClaimTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE users SET totp_last_step = $1, failed_logins = 0, updated_at = $2
		WHERE id = $3 AND totp_last_step < $1`, step, ms(s.now()), userID)
	if err != nil {
		return false, fmt.Errorf("store: claim TOTP step: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
