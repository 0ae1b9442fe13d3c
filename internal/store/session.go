package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/netra-id/netra"
)

// Session stages: a session that has passed the password but not yet the
// second factor can do nothing but finish signing in.
const (
	StagePassword = "password" // password checked; TOTP (or its enrolment) pending
	StageFull     = "full"
)

// Session is a signed-in browser. Only the SHA-256 of its token is stored.
type Session struct {
	TokenHash  string
	UserID     int64
	Stage      string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, stage, created_at, expires_at, last_seen_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $4, $6, $7)`, ss.TokenHash, ss.UserID, ss.Stage, ms(ss.CreatedAt), ms(ss.ExpiresAt), ss.IP, ss.UserAgent)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByHash returns an unexpired session, with the touch SeenSession
// holds for it if it has not been written yet.
func (s *Store) SessionByHash(ctx context.Context, hash string, now time.Time) (*Session, error) {
	var ss Session
	var created, expires, seen int64
	err := s.readRow(ctx, `SELECT token_hash, user_id, stage, created_at, expires_at, last_seen_at, ip, user_agent
		FROM sessions WHERE token_hash = $1`, hash).Scan(
		&ss.TokenHash, &ss.UserID, &ss.Stage, &created, &expires, &seen, &ss.IP, &ss.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, netra.ErrUnauthenticated
	} else if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	s.touches.mu.Lock()
	if tc, ok := s.touches.pending[hash]; ok && tc.seen > seen {
		seen, expires = tc.seen, tc.expires
	}
	s.touches.mu.Unlock()
	if expires <= ms(now) {
		return nil, netra.ErrUnauthenticated
	}
	ss.CreatedAt, ss.ExpiresAt, ss.LastSeenAt = fromMS(created), fromMS(expires), fromMS(seen)
	return &ss, nil
}

// SessionUser returns the user of a session and their grants, as UserByID
// does, through statements prepared once on SQLite (every signed-in
// request reads them: parsing them each time cost more than running them).
func (s *Store) SessionUser(ctx context.Context, id int64) (*netra.User, error) {
	return s.userByWhere(ctx, preparedReads{s}, "us.id = $1", id)
}

// TouchSession moves a session's idle expiry forward (never past maxExpiry)
// and optionally promotes its stage.
func (s *Store) TouchSession(ctx context.Context, hash, stage string, now, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE sessions SET stage = $1, last_seen_at = $2, expires_at = $3 WHERE token_hash = $4`,
		stage, ms(now), ms(expires), hash)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// touchDelay is how long a session's touch (SeenSession) waits to be
// written together with the others of the moment.
const touchDelay = 250 * time.Millisecond

// sessionTouches holds the touches not yet written. Its zero value is
// ready.
type sessionTouches struct {
	mu      sync.Mutex
	pending map[string]sessionTouch // by token hash
	timer   *time.Timer             // set while touches wait
}

type sessionTouch struct{ seen, expires int64 }

// SeenSession records that a session was used at now and moves its idle
// expiry to expires, as TouchSession does, but deferred: the touches of the
// next quarter second are written together in one transaction. A storm of
// requests thus costs SQLite's single writer one write every quarter second
// instead of one per request (the web server touches a session at most
// once a minute, so each request of a storm may be some session's touch).
// A touch lost in a crash leaves its session the expiry of its previous
// touch, which the caller made at most a minute or so earlier: the session
// ends that much sooner, never later. A touch of a session deleted
// meanwhile changes nothing.
func (s *Store) SeenSession(hash string, now, expires time.Time) {
	t := &s.touches
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pending == nil {
		t.pending = map[string]sessionTouch{}
	}
	if old, ok := t.pending[hash]; !ok || old.seen < ms(now) {
		t.pending[hash] = sessionTouch{ms(now), ms(expires)}
	}
	if t.timer == nil {
		t.timer = time.AfterFunc(touchDelay, func() { _ = s.FlushSessionTouches(context.Background()) })
	}
}

// FlushSessionTouches writes the touches SeenSession holds, in one
// transaction. Close calls it; so does a timer a quarter second after the
// first touch held. Touches it fails to write are dropped (they only move
// expiries forward).
func (s *Store) FlushSessionTouches(ctx context.Context) error {
	t := &s.touches
	t.mu.Lock()
	pending := t.pending
	t.pending = nil
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: touch sessions: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3 AND last_seen_at < $1`)
	if err != nil {
		return fmt.Errorf("store: touch sessions: %w", err)
	}
	defer st.Close()
	for hash, tc := range pending {
		if _, err := st.ExecContext(ctx, tc.seen, tc.expires, hash); err != nil {
			return fmt.Errorf("store: touch sessions: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: touch sessions: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash)
	return err
}

// DeleteUserSessions ends every session of a user ("sign out everywhere")
// and returns how many there were.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.write(ctx, func(x *tx) error {
		res, err := x.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		if err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		// Signing out everywhere also forgets the browsers known for it.
		if _, err := x.ExecContext(ctx, `DELETE FROM known_devices WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("store: forget devices: %w", err)
		}
		return x.auditUser(ctx, "auth.logout_all", userID, map[string]int64{"sessions": n})
	})
	return n, err
}

// UserSessions lists a user's live sessions, newest first.
func (s *Store) UserSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT token_hash, user_id, stage, created_at, expires_at, last_seen_at, ip, user_agent
		FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`, userID, ms(now))
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var ss Session
		var created, expires, seen int64
		if err := rows.Scan(&ss.TokenHash, &ss.UserID, &ss.Stage, &created, &expires, &seen, &ss.IP, &ss.UserAgent); err != nil {
			return nil, err
		}
		ss.CreatedAt, ss.ExpiresAt, ss.LastSeenAt = fromMS(created), fromMS(expires), fromMS(seen)
		out = append(out, ss)
	}
	return out, rows.Err()
}

// DeleteExpiredSessions removes sessions and login codes past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ms(now))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	_, err = s.w.ExecContext(ctx, `DELETE FROM login_codes WHERE expires_at <= $1`, ms(now.Add(-24*time.Hour)))
	return n, err
}

// EmployeeLogin finds the active employee with a NIP and their user account,
// creating the account (with the employee role on the employee's tenant) on
// first use. It runs as the system: the person is not signed in yet.
func (s *Store) EmployeeLogin(ctx context.Context, nip string) (*netra.User, *netra.Employee, error) {
	nip = netra.NormalizeNIP(nip)
	var e netra.Employee
	err := scanEmployee(s.r.QueryRowContext(ctx, `SELECT `+employeeCols+` FROM employees e JOIN org_units u ON u.id = e.unit_id
		WHERE e.nip = $1`, nip), &e)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && e.Status != netra.StatusActive) {
		return nil, nil, fmt.Errorf("employee: %w", netra.ErrNotFound)
	} else if err != nil {
		return nil, nil, fmt.Errorf("store: employee login: %w", err)
	}
	u, err := s.userByWhere(ctx, s.r, "us.employee_id = $1", e.ID)
	if err == nil {
		return u, &e, nil
	} else if !errors.Is(err, netra.ErrNotFound) {
		return nil, nil, err
	}
	ctx = netra.WithActor(ctx, netra.System("auth"))
	err = s.write(ctx, func(x *tx) error {
		_, err := x.createEmployeeUser(ctx, &e)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	u, err = s.userByWhere(ctx, s.r, "us.employee_id = $1", e.ID)
	return u, &e, err
}

// createEmployeeUser adds an employee's user account, with the employee
// role on their government, and audits it: what a first sign-in makes.
func (x *tx) createEmployeeUser(ctx context.Context, e *netra.Employee) (int64, error) {
	var id int64
	err := x.QueryRowContext(ctx, `INSERT INTO users (username, name, email, employee_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, "nip."+e.NIP, e.Name, e.Email, e.ID, x.now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: employee user: %w", err)
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO role_grants (user_id, role, tenant_id, unit_id, created_at) VALUES ($1, $2, $3, NULL, $4)`,
		id, netra.RoleEmployee, e.TenantID, x.now); err != nil {
		return 0, fmt.Errorf("store: employee grant: %w", err)
	}
	return id, x.audit(ctx, e.TenantID, "user.create", "user", id, map[string]any{"employee_id": e.ID, "role": netra.RoleEmployee})
}

// LoginCode is a one-time code (and the magic link sent with it) for an
// employee's sign-in. Only hashes are stored.
type LoginCode struct {
	ID            int64
	UserID        int64
	CodeHash      string
	LinkTokenHash string
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// CreateLoginCode stores a code, replacing any unused earlier code of the user.
func (s *Store) CreateLoginCode(ctx context.Context, c *LoginCode) error {
	ctx = netra.WithActor(ctx, netra.System("auth"))
	return s.write(ctx, func(x *tx) error {
		if _, err := x.ExecContext(ctx, `UPDATE login_codes SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, x.now, c.UserID); err != nil {
			return err
		}
		return x.QueryRowContext(ctx, `INSERT INTO login_codes (user_id, code_hash, link_token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.UserID, c.CodeHash, c.LinkTokenHash, ms(c.CreatedAt), ms(c.ExpiresAt)).Scan(&c.ID)
	})
}

// RecentLoginCodes counts the codes sent to a user since a time, to limit
// how often codes can be requested.
func (s *Store) RecentLoginCodes(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_codes WHERE user_id = $1 AND created_at >= $2`, userID, ms(since)).Scan(&n)
	return n, err
}

// MaxCodeAttempts is how many wrong codes end a login code.
const MaxCodeAttempts = 5

// ConsumeLoginCode checks a code typed by the employee against their live
// code. A wrong code counts an attempt; after MaxCodeAttempts the code is
// dead. It returns the user id on success.
func (s *Store) ConsumeLoginCode(ctx context.Context, userID int64, codeHash string, now time.Time, equal func(a, b string) bool) (bool, error) {
	ok := false
	ctx = netra.WithActor(ctx, netra.System("auth"))
	err := s.write(ctx, func(x *tx) error {
		var id int64
		var h string
		var attempts int
		err := x.QueryRowContext(ctx, `SELECT id, code_hash, attempts FROM login_codes WHERE user_id = $1 AND used_at IS NULL
			AND expires_at > $2 ORDER BY id DESC LIMIT 1`, userID, ms(now)).Scan(&id, &h, &attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if attempts >= MaxCodeAttempts {
			return nil
		}
		if !equal(h, codeHash) {
			_, err := x.ExecContext(ctx, `UPDATE login_codes SET attempts = attempts + 1 WHERE id = $1`, id)
			return err
		}
		ok = true
		_, err = x.ExecContext(ctx, `UPDATE login_codes SET used_at = $1 WHERE id = $2`, x.now, id)
		return err
	})
	return ok, err
}

// ConsumeLoginLink redeems a magic link and returns its user.
func (s *Store) ConsumeLoginLink(ctx context.Context, linkHash string, now time.Time) (int64, error) {
	var userID int64
	ctx = netra.WithActor(ctx, netra.System("auth"))
	err := s.write(ctx, func(x *tx) error {
		var id int64
		err := x.QueryRowContext(ctx, `SELECT id, user_id FROM login_codes WHERE link_token_hash = $1 AND used_at IS NULL
			AND expires_at > $2 AND attempts < $3`, linkHash, ms(now), MaxCodeAttempts).Scan(&id, &userID)
		if errors.Is(err, sql.ErrNoRows) {
			return netra.ErrUnauthenticated
		} else if err != nil {
			return err
		}
		_, err = x.ExecContext(ctx, `UPDATE login_codes SET used_at = $1 WHERE id = $2`, x.now, id)
		return err
	})
	return userID, err
}
