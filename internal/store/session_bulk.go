package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/netra-id/netra"
)

// Accounts and sessions in bulk, for load tests and benchmarks that need
// thousands of signed-in employees without running thousands of sign-ins.

// EmployeeAccounts gives every active employee among employeeIDs the user
// account a first sign-in makes (EmployeeLogin: the employee role on their
// government, audited), in transactions of 500, and returns the user id of
// each active employee, whether its account is new or not. Employees not
// active, or that do not exist, are left out. The actor must be a super
// admin.
func (s *Store) EmployeeAccounts(ctx context.Context, employeeIDs []int64) (map[int64]int64, error) {
	if a := netra.ActorFrom(ctx); a == nil || !a.IsSuperAdmin() {
		return nil, fmt.Errorf("store: employee accounts: %w", netra.ErrForbidden)
	}
	out := make(map[int64]int64, len(employeeIDs))
	for part := range slices.Chunk(employeeIDs, 500) {
		err := s.write(ctx, func(x *tx) error {
			emps, err := pledgeEmployees(ctx, bq{queryer: x}, part)
			if err != nil {
				return err
			}
			var a args
			rows, err := x.QueryContext(ctx, `SELECT employee_id, id FROM users WHERE employee_id IN (`+a.list(part)+`)`, a.v...)
			if err != nil {
				return fmt.Errorf("store: employee accounts: %w", err)
			}
			for rows.Next() {
				var emp, id int64
				if err := rows.Scan(&emp, &id); err != nil {
					rows.Close()
					return fmt.Errorf("store: employee accounts: %w", err)
				}
				out[emp] = id
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return fmt.Errorf("store: employee accounts: %w", err)
			}
			for _, id := range part {
				e := emps[id]
				if e == nil || e.Status != netra.StatusActive {
					delete(out, id)
					continue
				}
				if out[id] != 0 {
					continue
				}
				if out[id], err = x.createEmployeeUser(ctx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreateSessions stores many sessions, as CreateSession does one, in
// transactions of 1,000.
func (s *Store) CreateSessions(ctx context.Context, ss []Session) error {
	for part := range slices.Chunk(ss, 1000) {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: create sessions: %w", err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO sessions (token_hash, user_id, stage, created_at, expires_at, last_seen_at, ip, user_agent)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`)
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("store: create sessions: %w", err)
		}
		for _, x := range part {
			seen := x.LastSeenAt
			if seen.IsZero() {
				seen = x.CreatedAt
			}
			if _, err := st.ExecContext(ctx, x.TokenHash, x.UserID, x.Stage, ms(x.CreatedAt), ms(x.ExpiresAt), ms(seen), x.IP, x.UserAgent); err != nil {
				st.Close()
				tx.Rollback()
				return fmt.Errorf("store: create sessions: %w", err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: create sessions: %w", err)
		}
	}
	return nil
}
