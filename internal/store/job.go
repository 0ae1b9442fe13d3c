package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Job is a unit of background work: an e-mail to send, an import to run.
// Jobs live in the database so that they survive restarts and are shared by
// every Netra node.
type Job struct {
	ID          int64
	Kind        string
	UniqueKey   string // optional: a second job with the same key is not queued
	Payload     string // JSON
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	LastError   string
}

// EnqueueJob queues a job. A job whose UniqueKey is already queued or done
// is silently dropped.
//
// The payload is sealed with the master key (it may be an e-mail holding a
// sign-in code or link) and opened again by ClaimJobs: the jobs table never
// holds a usable secret, even while the mail server is down.
func (s *Store) EnqueueJob(ctx context.Context, j *Job) error {
	return enqueue(ctx, s.w, j, s.seal(purposeOutbox, j.Payload), s.now())
}

// enqueueTx queues a job inside a write transaction, so that the job exists
// exactly when the change that asked for it commits (the outbox pattern).
func (x *tx) enqueue(ctx context.Context, j *Job) error {
	return enqueue(ctx, x.queryer, j, x.s.seal(purposeOutbox, j.Payload), fromMS(x.now))
}

func enqueue(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, j *Job, payload string, now time.Time) error {
	if j.MaxAttempts == 0 {
		j.MaxAttempts = 8
	}
	if j.RunAt.IsZero() {
		j.RunAt = now
	}
	var key any
	if j.UniqueKey != "" {
		key = j.UniqueKey
	}
	_, err := q.ExecContext(ctx, `INSERT INTO jobs (kind, unique_key, payload, run_at, max_attempts, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unique_key) DO NOTHING`, j.Kind, key, payload, ms(j.RunAt), j.MaxAttempts, ms(now))
	if err != nil {
		return fmt.Errorf("store: enqueue %s: %w", j.Kind, err)
	}
	return nil
}

// ClaimJobs leases up to n due jobs of the given kinds to worker for lease,
// with their payloads opened. A job whose lease ran out (its worker died) is
// due again. A payload that does not open (sealed under another master key)
// is returned as it is: keyring.IsSealed tells the handler.
func (s *Store) ClaimJobs(ctx context.Context, worker string, kinds []string, n int, lease time.Duration) ([]Job, error) {
	now := s.now()
	var a args
	pw, pl := a.add(worker), a.add(ms(now.Add(lease)))
	pn := a.add(ms(now))
	var ks []string
	for _, k := range kinds {
		ks = append(ks, a.add(k))
	}
	pl2 := a.add(n)
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := s.w.QueryContext(ctx, `UPDATE jobs SET locked_by = `+pw+`, locked_until = `+pl+`, attempts = attempts + 1
		WHERE id IN (SELECT id FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= `+pn+`
			AND (locked_until IS NULL OR locked_until < `+pn+`) AND kind IN (`+strings.Join(ks, ", ")+`)
			ORDER BY run_at LIMIT `+pl2+lock+`)
		RETURNING id, kind, COALESCE(unique_key, ''), payload, run_at, attempts, max_attempts, last_error`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: claim jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var j Job
		var runAt int64
		if err := rows.Scan(&j.ID, &j.Kind, &j.UniqueKey, &j.Payload, &runAt, &j.Attempts, &j.MaxAttempts, &j.LastError); err != nil {
			return nil, err
		}
		j.RunAt = fromMS(runAt)
		if p, err := s.unseal(purposeOutbox, j.Payload); err == nil {
			j.Payload = p
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// CompleteJob marks a job done. With scrub its payload is blanked, for jobs
// whose payload must not outlive them (an e-mail holding a sign-in code).
func (s *Store) CompleteJob(ctx context.Context, id int64, scrub bool) error {
	_, err := s.w.ExecContext(ctx, `UPDATE jobs SET done_at = $1, locked_by = NULL, locked_until = NULL,
		payload = CASE WHEN $2 THEN '' ELSE payload END WHERE id = $3`, ms(s.now()), scrub, id)
	return err
}

// RetryJob records a failure. The job runs again at retryAt, or is marked
// failed for good when it has used all its attempts.
func (s *Store) RetryJob(ctx context.Context, j *Job, cause error, retryAt time.Time) error {
	msg := cause.Error()
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	if j.Attempts >= j.MaxAttempts {
		_, err := s.w.ExecContext(ctx, `UPDATE jobs SET failed_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL
			WHERE id = $3`, ms(s.now()), msg, j.ID)
		return err
	}
	_, err := s.w.ExecContext(ctx, `UPDATE jobs SET run_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL
		WHERE id = $3`, ms(retryAt), msg, j.ID)
	return err
}

// JobCounts returns the number of queued (due or later), running and failed
// jobs, for metrics.
func (s *Store) JobCounts(ctx context.Context) (queued, running, failed int64, err error) {
	now := ms(s.now())
	err = s.r.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN done_at IS NULL AND failed_at IS NULL AND (locked_until IS NULL OR locked_until < $1) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done_at IS NULL AND failed_at IS NULL AND locked_until >= $1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM jobs`, now).Scan(&queued, &running, &failed)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return
}

// MakeJobsDue makes every waiting job due now. Tests use it to skip a
// backoff; operators use it (netra jobs retry) after fixing an outage.
func (s *Store) MakeJobsDue(ctx context.Context) error {
	_, err := s.w.ExecContext(ctx, `UPDATE jobs SET run_at = $1, failed_at = NULL, attempts = CASE WHEN failed_at IS NULL
		THEN attempts ELSE 0 END WHERE done_at IS NULL`, ms(s.now()))
	return err
}
