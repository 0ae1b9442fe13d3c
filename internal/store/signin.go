package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/netra-id/netra"
)

// LoginFailures is what the store knows about an account's recent failed
// sign-ins: from one source (an address, or a known device) and from
// anywhere. Failures older than the since given to the calls count as none.
type LoginFailures struct {
	Source      int       // failures from this source
	SourceLast  time.Time // the last of them
	Account     int       // failures from anywhere
	AccountLast time.Time
}

// LoginFailures reads the failures counted for a user, from source and in
// all, since a time.
func (s *Store) LoginFailures(ctx context.Context, userID int64, source string, since time.Time) (LoginFailures, error) {
	return loginFailures(ctx, s.r, userID, source, since)
}

func loginFailures(ctx context.Context, q queryer, userID int64, source string, since time.Time) (LoginFailures, error) {
	var f LoginFailures
	var last int64
	err := q.QueryRowContext(ctx, `SELECT failed_logins, last_failed_at FROM users WHERE id = $1`, userID).Scan(&f.Account, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("user %d: %w", userID, netra.ErrNotFound)
	} else if err != nil {
		return f, fmt.Errorf("store: login failures: %w", err)
	}
	if f.AccountLast = fromMS(last); f.AccountLast.Before(since) {
		f.Account = 0
	}
	err = q.QueryRowContext(ctx, `SELECT failures, last_at FROM login_failures WHERE user_id = $1 AND source = $2`,
		userID, source).Scan(&f.Source, &last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("store: login failures: %w", err)
	}
	if f.SourceLast = fromMS(last); f.SourceLast.Before(since) {
		f.Source = 0
	}
	return f, nil
}

// RecordLoginFailure counts a failed sign-in of a user (a wrong password or
// second factor, reason says which) from source, forgetting failures before
// since, and audits it, in one transaction. It returns the counts with this
// failure included. The actor is the system acting for the client's address.
func (s *Store) RecordLoginFailure(ctx context.Context, userID int64, source, reason string, since time.Time) (LoginFailures, error) {
	var f LoginFailures
	err := s.write(ctx, func(x *tx) error {
		var err error
		if f, err = loginFailures(ctx, x, userID, source, since); err != nil {
			return err
		}
		f.Source, f.Account = f.Source+1, f.Account+1
		f.SourceLast, f.AccountLast = fromMS(x.now), fromMS(x.now)
		if _, err := x.ExecContext(ctx, `UPDATE users SET failed_logins = $1, last_failed_at = $2 WHERE id = $3`,
			f.Account, x.now, userID); err != nil {
			return fmt.Errorf("store: count failure: %w", err)
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO login_failures (user_id, source, failures, last_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, source) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at`,
			userID, source, f.Source, x.now); err != nil {
			return fmt.Errorf("store: count failure: %w", err)
		}
		// Old rows of other sources go, so the table stays as small as the
		// number of recent attackers.
		if _, err := x.ExecContext(ctx, `DELETE FROM login_failures WHERE user_id = $1 AND last_at < $2`, userID, ms(since)); err != nil {
			return fmt.Errorf("store: count failure: %w", err)
		}
		return x.auditUser(ctx, "auth.login_failed", userID, map[string]any{"reason": reason, "failures": f.Account,
			"failures_from_source": f.Source})
	})
	return f, err
}

// SignedIn records a complete sign-in of a user from source, in one
// transaction: the failures of that source and of the account are forgotten
// and the sign-in (by method) is audited, by the user in ctx.
func (s *Store) SignedIn(ctx context.Context, userID int64, source, method string) error {
	return s.write(ctx, func(x *tx) error {
		if _, err := x.ExecContext(ctx, `DELETE FROM login_failures WHERE user_id = $1 AND source = $2`, userID, source); err != nil {
			return fmt.Errorf("store: clear failures: %w", err)
		}
		if _, err := x.ExecContext(ctx, `UPDATE users SET failed_logins = 0, last_failed_at = 0 WHERE id = $1 AND failed_logins <> 0`,
			userID); err != nil {
			return fmt.Errorf("store: clear failures: %w", err)
		}
		return x.auditUser(ctx, "auth.login", userID, map[string]string{"method": method})
	})
}

// RememberDevice records a browser that completed a full sign-in as a known
// device of the user until expires (only the hash of its cookie token), and
// audits it. Expired devices of the user go at the same time.
func (s *Store) RememberDevice(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	return s.write(ctx, func(x *tx) error {
		if _, err := x.ExecContext(ctx, `DELETE FROM known_devices WHERE user_id = $1 AND expires_at <= $2`, userID, x.now); err != nil {
			return fmt.Errorf("store: known devices: %w", err)
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO known_devices (token_hash, user_id, created_at, last_used_at, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, tokenHash, userID, x.now, ms(expires)); err != nil {
			return fmt.Errorf("store: remember device: %w", err)
		}
		return x.auditUser(ctx, "auth.device_remembered", userID, nil)
	})
}

// KnownDevice reports whether tokenHash is a live known device of the user.
func (s *Store) KnownDevice(ctx context.Context, userID int64, tokenHash string, now time.Time) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM known_devices WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3`,
		tokenHash, userID, ms(now)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: known device: %w", err)
	}
	return n == 1, nil
}
