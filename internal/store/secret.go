package store

import (
	"context"
	"fmt"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/keyring"
)

// Keyring purposes: a value sealed for one does not open for another.
const (
	purposeTOTP   = "totp"   // users.totp_secret
	purposeOutbox = "outbox" // jobs.payload: queued e-mails carry sign-in codes and links
)

// seal encrypts a secret for the database with the master key kept outside
// it; the empty string stays empty.
func (s *Store) seal(purpose, v string) string {
	if v == "" {
		return ""
	}
	return s.keys.Seal(purpose, []byte(v))
}

// unseal reverses seal. A value stored in the clear by an older version is
// returned as it is (sealClearSecrets seals those at start).
func (s *Store) unseal(purpose, v string) (string, error) {
	if !keyring.IsSealed(v) {
		return v, nil
	}
	b, err := s.keys.Open(purpose, v)
	if err != nil {
		return "", fmt.Errorf("store: %s secret (master key %s): %w", purpose, s.keys.ID(), err)
	}
	return string(b), nil
}

// sealClearSecrets seals the TOTP secrets and queued job payloads that an
// older version stored in the clear. Migrations cannot do it: the master key
// is not in the database. It runs at every start and finds nothing to do
// after the first.
func (s *Store) sealClearSecrets(ctx context.Context) error {
	type clear struct {
		id int64
		v  string
	}
	find := func(q string) ([]clear, error) {
		rows, err := s.w.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []clear
		for rows.Next() {
			var c clear
			if err := rows.Scan(&c.id, &c.v); err != nil {
				return nil, err
			}
			if !keyring.IsSealed(c.v) {
				out = append(out, c)
			}
		}
		return out, rows.Err()
	}
	users, err := find(`SELECT id, totp_secret FROM users WHERE employee_id IS NULL AND totp_secret <> ''`)
	if err != nil {
		return fmt.Errorf("store: find clear TOTP secrets: %w", err)
	}
	jobs, err := find(`SELECT id, payload FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND payload <> ''`)
	if err != nil {
		return fmt.Errorf("store: find clear job payloads: %w", err)
	}
	if len(users) == 0 && len(jobs) == 0 {
		return nil
	}
	ctx = netra.WithActor(ctx, netra.System("keyring"))
	return s.write(ctx, func(x *tx) error {
		for _, u := range users {
			if _, err := x.ExecContext(ctx, `UPDATE users SET totp_secret = $1 WHERE id = $2`, s.seal(purposeTOTP, u.v), u.id); err != nil {
				return fmt.Errorf("store: seal TOTP secret: %w", err)
			}
		}
		for _, j := range jobs {
			if _, err := x.ExecContext(ctx, `UPDATE jobs SET payload = $1 WHERE id = $2`, s.seal(purposeOutbox, j.v), j.id); err != nil {
				return fmt.Errorf("store: seal job payload: %w", err)
			}
		}
		return x.audit(ctx, 0, "system.secrets_sealed", "keyring", 0,
			map[string]any{"totp_secrets": len(users), "job_payloads": len(jobs), "key": s.keys.ID()})
	})
}
