package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/netra-id/netra"
)

// CreatePasswordReset stores an e-mailed password reset link for a user
// (only the hash of its token), ending the user's earlier unused links, and
// audits the request. It runs as the system for the client's address: the
// person is not signed in.
func (s *Store) CreatePasswordReset(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	return s.write(ctx, func(x *tx) error {
		if _, err := x.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, x.now, userID); err != nil {
			return fmt.Errorf("store: password reset: %w", err)
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			userID, tokenHash, x.now, ms(expires)); err != nil {
			return fmt.Errorf("store: password reset: %w", err)
		}
		return x.auditUser(ctx, "auth.password_reset_requested", userID, nil)
	})
}

// RecentPasswordResets counts the reset links sent to a user since a time,
// to limit how often they can be requested.
func (s *Store) RecentPasswordResets(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at >= $2`, userID, ms(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: password resets: %w", err)
	}
	return n, nil
}

// PasswordResetUser returns the user of a live (unused, unexpired) reset
// link; ErrUnauthenticated when there is none.
func (s *Store) PasswordResetUser(ctx context.Context, tokenHash string) (*netra.User, error) {
	var userID int64
	err := s.r.QueryRowContext(ctx, `SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		tokenHash, ms(s.now())).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, netra.ErrUnauthenticated
	} else if err != nil {
		return nil, fmt.Errorf("store: password reset: %w", err)
	}
	return s.UserByID(ctx, userID)
}

// CompletePasswordReset uses a live reset link to give its user a new
// password hash, in one transaction: the link is spent (a second use, even
// racing, finds none: ErrUnauthenticated), the password is the user's own
// choice (no change needed at sign-in), failed sign-ins are forgotten, every
// session ends, and the reset is audited by the user.
func (s *Store) CompletePasswordReset(ctx context.Context, tokenHash string, userID int64, passwordHash string) error {
	return s.write(ctx, func(x *tx) error {
		res, err := x.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND user_id = $3
			AND used_at IS NULL AND expires_at > $1`, x.now, tokenHash, userID)
		if err != nil {
			return fmt.Errorf("store: password reset: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return netra.ErrUnauthenticated
		}
		if _, err := x.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0,
			last_failed_at = 0, updated_at = $3 WHERE id = $4`, passwordHash, false, x.now, userID); err != nil {
			return fmt.Errorf("store: password reset: %w", err)
		}
		for _, q := range []string{`DELETE FROM sessions WHERE user_id = $1`, `DELETE FROM login_failures WHERE user_id = $1`} {
			if _, err := x.ExecContext(ctx, q, userID); err != nil {
				return fmt.Errorf("store: password reset: %w", err)
			}
		}
		return x.auditUser(ctx, "auth.password_reset_email", userID, map[string]string{"password": "changed"})
	})
}
