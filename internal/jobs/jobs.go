// Package jobs runs Netra's background work from the database-backed queue
// (store.Job): e-mails from the outbox, roster imports. Every node may run a
// worker; the store's claim hands each job to one worker at a time, and a
// job whose worker died is claimed again when its lease runs out.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/store"
)

// Job kinds.
const (
	KindMail   = "mail.send"
	KindImport = "import.run"
)

// Handler does one job. Returning an error retries the job later with
// backoff; a Permanent error fails it at once.
type Handler func(ctx context.Context, j *store.Job) error

// Permanent marks an error that retrying will not cure.
type Permanent struct{ Err error }

func (p Permanent) Error() string { return p.Err.Error() }
func (p Permanent) Unwrap() error { return p.Err }

// Worker claims and runs jobs.
type Worker struct {
	store    *store.Store
	handlers map[string]Handler
	log      *slog.Logger
	id       string
	// Poll is how long an idle worker waits before looking again.
	Poll time.Duration
	// Lease is how long a claimed job is reserved for this worker.
	Lease time.Duration
	// Concurrency is how many jobs run at once.
	Concurrency int
}

// NewWorker returns a worker for the given kinds of job.
func NewWorker(s *store.Store, handlers map[string]Handler, log *slog.Logger) *Worker {
	host, _ := os.Hostname()
	return &Worker{store: s, handlers: handlers, log: log,
		id:   host + ":" + strconv.Itoa(os.Getpid()) + ":" + strconv.FormatUint(rand.Uint64()%1e6, 10),
		Poll: time.Second, Lease: 10 * time.Minute, Concurrency: 2}
}

func (w *Worker) kinds() []string {
	ks := make([]string, 0, len(w.handlers))
	for k := range w.handlers {
		ks = append(ks, k)
	}
	return ks
}

// Run claims and runs jobs until ctx ends, then waits for running jobs.
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	sem := make(chan struct{}, max(1, w.Concurrency))
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		free := cap(sem) - len(sem)
		var claimed []store.Job
		if free > 0 {
			var err error
			claimed, err = w.store.ClaimJobs(ctx, w.id, w.kinds(), free, w.Lease)
			if err != nil && ctx.Err() == nil {
				w.log.Error("claim jobs", "err", err)
			}
		}
		for i := range claimed {
			j := claimed[i]
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				// A job in flight finishes even while the server shuts
				// down, within its own deadline.
				w.run(context.WithoutCancel(ctx), &j)
			}()
		}
		next := w.Poll
		if len(claimed) > 0 {
			next = 10 * time.Millisecond
		}
		t.Reset(next)
	}
}

// RunOnce claims and runs the jobs due now, one after another, and returns
// how many ran. Tests and the command line use it.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	n := 0
	for {
		claimed, err := w.store.ClaimJobs(ctx, w.id, w.kinds(), 10, w.Lease)
		if err != nil {
			return n, err
		}
		if len(claimed) == 0 {
			return n, nil
		}
		for i := range claimed {
			w.run(ctx, &claimed[i])
			n++
		}
	}
}

func (w *Worker) run(ctx context.Context, j *store.Job) {
	ctx, cancel := context.WithTimeout(ctx, w.Lease)
	defer cancel()
	h := w.handlers[j.Kind]
	start := time.Now()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = Permanent{fmt.Errorf("panic: %v", r)}
			}
		}()
		return h(ctx, j)
	}()
	if err == nil {
		// A sent e-mail may hold a sign-in code: keep no copy of it.
		if err := w.store.CompleteJob(ctx, j.ID, j.Kind == KindMail); err != nil {
			w.log.Error("complete job", "job", j.ID, "kind", j.Kind, "err", err)
		}
		w.log.Info("job done", "job", j.ID, "kind", j.Kind, "ms", time.Since(start).Milliseconds())
		return
	}
	var p Permanent
	if errors.As(err, &p) {
		j.Attempts = j.MaxAttempts
	}
	// Exponential backoff with jitter: 2 s, 4 s, 8 s… capped at an hour.
	delay := min(time.Hour, time.Duration(1<<min(j.Attempts, 12))*time.Second)
	delay += time.Duration(rand.Int64N(int64(delay/4) + 1))
	if rerr := w.store.RetryJob(ctx, j, err, w.store.Clock().Now().Add(delay)); rerr != nil {
		w.log.Error("retry job", "job", j.ID, "err", rerr)
	}
	w.log.Warn("job failed", "job", j.ID, "kind", j.Kind, "attempt", j.Attempts, "of", j.MaxAttempts, "err", err)
}

// WorkerGone reports whether the worker named id (as NewWorker names them:
// host:pid:random) is known to be dead: it ran on this host in a process that
// no longer exists. A worker on another host is never known to be dead; its
// lease runs out instead.
func WorkerGone(id string) bool {
	parts := strings.Split(id, ":")
	host, _ := os.Hostname()
	if len(parts) != 3 || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 {
		return false
	}
	if pid == os.Getpid() {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// EnqueueMail puts an e-mail in the outbox; a worker sends it.
func EnqueueMail(ctx context.Context, s *store.Store, m mail.Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.EnqueueJob(ctx, &store.Job{Kind: KindMail, Payload: string(b), MaxAttempts: 10})
}

// MailHandler sends queued e-mails through sender. A message the server
// refuses for good (a 5xx answer) is not retried.
func MailHandler(sender mail.Sender) Handler {
	return func(ctx context.Context, j *store.Job) error {
		var m mail.Message
		if keyring.IsSealed(j.Payload) {
			return Permanent{fmt.Errorf("mail job %d: sealed under another master key", j.ID)}
		}
		if err := json.Unmarshal([]byte(j.Payload), &m); err != nil {
			return Permanent{fmt.Errorf("mail job %d: %w", j.ID, err)}
		}
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := sender.Send(ctx, m); err != nil {
			if !mail.IsTemporary(err) {
				return Permanent{err}
			}
			return err
		}
		return nil
	}
}
