package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
)

// The files a published log keeps in its folder (<data>/checkpoints/<log>/):
// the newest checkpoint, the verifier keys (one a line, never removed), and
// every checkpoint published, by size.
const (
	latestFile = "latest.note"
	keyFile    = "key.vkey"
)

// checkpointDir is where the checkpoints of a log are published in the
// data folder: beside the database, never inside it.
func checkpointDir(data, logName string) string {
	return filepath.Join(data, "checkpoints", filepath.FromSlash(logName))
}

// publisher makes signed checkpoints of a log and publishes them outside
// the database: as files in the data folder (the latest and the history,
// with the verifier keys) and, optionally, by mail to auditors through the
// outbox. It never publishes a checkpoint smaller than the last one it
// published: a log that shrank was truncated, and saying so is the point.
//
// The audit log's publisher also publishes, each time, the pledge log of
// every government that has one (publishAll), as files only: their
// checkpoints are what a certificate's verifier compares against.
type publisher struct {
	store  *store.Store
	log    string
	data   string
	dir    string
	mailTo []string
	logger *slog.Logger
}

func newPublisher(s *store.Store, data string, mailTo string, logger *slog.Logger) *publisher {
	p := &publisher{store: s, log: store.AuditLog, data: data, dir: checkpointDir(data, store.AuditLog), logger: logger}
	for _, a := range strings.Split(mailTo, ",") {
		if a = strings.TrimSpace(a); a != "" {
			p.mailTo = append(p.mailTo, a)
		}
	}
	return p
}

// errShrank is returned when the log holds fewer entries than the last
// checkpoint published.
var errShrank = errors.New("the log is shorter than its last published checkpoint: entries were removed (run netra audit verify)")

// publishAll publishes the audit log (see publish) and then the pledge log
// of every government, each in its own folder; a failing log does not stop
// the others. It returns the first error.
func (p *publisher) publishAll(ctx context.Context) error {
	var first error
	note := func(log string, c *store.Checkpoint, done bool, err error) {
		switch {
		case err != nil:
			p.logger.Error("checkpoint", "log", log, "err", err)
			if first == nil {
				first = err
			}
		case done:
			p.logger.Info("checkpoint published", "log", log, "size", c.Size, "dir", checkpointDir(p.data, log))
		}
	}
	c, done, err := p.publish(ctx)
	note(p.log, c, done, err)
	logs, err := p.store.PledgeLogs(ctx)
	if err != nil {
		note("pledge", nil, false, err)
		return first
	}
	for _, name := range logs {
		q := &publisher{store: p.store, log: name, data: p.data, dir: checkpointDir(p.data, name), logger: p.logger}
		c, done, err := q.publish(ctx)
		note(name, c, done, err)
	}
	return first
}

// publish makes a checkpoint of the log's head and publishes it if the log
// grew since the last one published. It reports whether it published.
func (p *publisher) publish(ctx context.Context) (*store.Checkpoint, bool, error) {
	c, err := p.store.MakeCheckpoint(ctx, p.log)
	if err != nil {
		return nil, false, err
	}
	vkeys, err := p.store.LogVerifierKeys(ctx, p.log)
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return nil, false, fmt.Errorf("publish checkpoint: %w", err)
	}
	if err := p.addKeys(vkeys); err != nil {
		return nil, false, err
	}
	if last, err := os.ReadFile(filepath.Join(p.dir, latestFile)); err == nil {
		body, _, _ := strings.Cut(string(last), "\n\n")
		if prev, err := signlog.ParseCheckpoint(body + "\n"); err == nil {
			if prev.Size > c.Size {
				return c, false, fmt.Errorf("%w: %s has %d entries, the checkpoint of %s recorded %d", errShrank, p.log, c.Size, prev.Time.Format(time.DateTime+" UTC"), prev.Size)
			}
			if prev.Size == c.Size {
				return c, false, nil
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("publish checkpoint: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(p.dir, strconv.FormatInt(c.Size, 10)+".note"), c.Note); err != nil {
		return nil, false, err
	}
	if err := writeFileAtomic(filepath.Join(p.dir, latestFile), c.Note); err != nil {
		return nil, false, err
	}
	if len(p.mailTo) > 0 {
		err := jobs.EnqueueMail(ctx, p.store, mail.Message{To: p.mailTo,
			Subject: fmt.Sprintf("Netra: checkpoint log audit (%d entri)", c.Size),
			Text: "Checkpoint bertanda tangan dari log audit Netra. Simpan pesan ini: dengan checkpoint dan kunci publik di bawah,\n" +
				"siapa pun dapat memeriksa bahwa log audit tidak dipotong atau ditulis ulang (netra audit verify --checkpoint FILE).\n\n" +
				"A signed checkpoint of Netra's audit log. Keep this message: with it and the public key below anyone can\n" +
				"check that the audit log was not truncated or rewritten (netra audit verify --checkpoint FILE).\n\n" +
				string(c.Note) + "\n" + strings.Join(vkeys, "\n") + "\n"})
		if err != nil {
			return c, true, fmt.Errorf("mail checkpoint: %w", err)
		}
	}
	return c, true, nil
}

// addKeys adds to the key file the verifier keys it lacks. Keys are never
// removed from it, so that checkpoints signed by a rotated key still verify.
func (p *publisher) addKeys(vkeys []string) error {
	path := filepath.Join(p.dir, keyFile)
	have, err := readKeys(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var add []string
	for _, k := range vkeys {
		if !slices.Contains(have, k) {
			add = append(add, k)
		}
	}
	if len(add) == 0 {
		return nil
	}
	return writeFileAtomic(path, []byte(strings.Join(append(have, add...), "\n")+"\n"))
}

// readKeys reads a verifier key file: one key a line, # comments.
func readKeys(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

// run publishes at start, every interval, and once more when ctx ends
// (shutdown), logging what fails.
func (p *publisher) run(ctx context.Context, every time.Duration) {
	once := func(ctx context.Context) { _ = p.publishAll(ctx) }
	once(ctx)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			once(final)
			cancel()
			return
		case <-t.C:
			once(ctx)
		}
	}
}

// writeFileAtomic writes b to path through a temporary file and a rename,
// so that a reader never sees half a checkpoint.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	f, err := os.Open(tmp)
	if err == nil {
		err = f.Sync()
		f.Close()
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}
