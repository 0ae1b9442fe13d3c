package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
)

// errAuditBroken is returned when the log does not verify, so that the
// command exits non-zero for monitoring.
var errAuditBroken = errors.New("audit log does not verify")

const auditUsage = `Usage:
  netra audit verify [--checkpoint FILE|URL]... [--key FILE|KEY]... [--data DIR] [--db URL]
  netra audit checkpoint [--data DIR] [--db URL]
  netra audit redact --before DATE [--data DIR] [--db URL]`

func cmdAudit(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		args = []string{"verify", "-h"} // the flags of what audit mostly does
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, auditUsage)
		return errUsage
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], getenv, stdout, stderr)
	case "checkpoint":
		return auditCheckpoint(ctx, args[1:], getenv, stdout, stderr)
	case "redact":
		return auditRedact(ctx, args[1:], getenv, stdout, stderr)
	}
	fmt.Fprintln(stderr, auditUsage)
	return errUsage
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

var _ flag.Value = (*listFlag)(nil)

func auditVerify(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("audit verify", "audit verify [--checkpoint FILE|URL]... [--key FILE|KEY]... [--data DIR] [--db URL]", stderr)
	st := storageFlags(fs, getenv)
	var sources, keyArgs listFlag
	fs.Var(&sources, "checkpoint", "a published checkpoint to check the log against: a file or an http(s) URL (repeatable; default: the checkpoints in the data folder)")
	fs.Var(&keyArgs, "key", "the verifier key the checkpoints must be signed with: a key file or the key itself (repeatable; default: key.vkey beside the checkpoints)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := st.validate(); err != nil {
		return err
	}
	dir := checkpointDir(st.data, store.AuditLog)
	if len(sources) == 0 {
		names, _ := filepath.Glob(filepath.Join(dir, "*.note"))
		sources = names
	}
	keys, err := verifierKeys(ctx, keyArgs, sources, dir, stderr)
	if err != nil {
		return err
	}
	s, err := st.open(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()

	var cps []store.Checkpoint
	bad := false
	seen := map[string]bool{}
	for _, src := range sources {
		b, err := readSource(ctx, src)
		if err != nil {
			fmt.Fprintf(stdout, "CHECKPOINT UNREADABLE: %s: %v\n", src, err)
			bad = true
			continue
		}
		if seen[string(b)] {
			continue // latest.note repeats the newest of the history
		}
		seen[string(b)] = true
		c, keyID, err := signlog.Open(b, keys...)
		if err != nil {
			fmt.Fprintf(stdout, "CHECKPOINT REJECTED: %s is not signed by the published key (%v)\n", src, err)
			bad = true
			continue
		}
		cps = append(cps, store.Checkpoint{Checkpoint: c, KeyID: keyID, Note: b, Source: src})
	}
	p, n, err := s.VerifyAuditLog(ctx, cps, func(n int64) { fmt.Fprintf(stderr, "checked %d entries…\n", n) })
	if err != nil {
		return err
	}
	if p != nil {
		fmt.Fprintf(stdout, "AUDIT LOG BROKEN at entry %d (%s): %s\n", p.Seq, p.Reason, p.Detail)
		fmt.Fprintf(stdout, "%d entries before it verify.\n", n)
		return errAuditBroken
	}
	fmt.Fprintf(stdout, "audit log OK: %d entries, hash chain intact\n", n)
	if len(cps) == 0 {
		fmt.Fprintf(stdout, "no published checkpoint to check against (looked in %s): removal of the newest entries cannot be ruled out; netra serve publishes checkpoints, or run netra audit checkpoint\n", dir)
	} else {
		newest := slices.MaxFunc(cps, func(a, b store.Checkpoint) int { return cmp.Compare(a.Size, b.Size) })
		fmt.Fprintf(stdout, "consistent with %d published checkpoints (newest: %d entries, %s, key %s)\n",
			len(cps), newest.Size, newest.Time.Format(time.DateTime+" UTC"), newest.KeyID)
	}
	if bad {
		return errAuditBroken
	}
	return nil
}

// verifierKeys collects the verifier keys: those given, else the key file
// beside the first checkpoint file or in the data folder, else — for a
// checkpoint URL only — the key published beside it (with a warning: the
// same server then vouches for both).
func verifierKeys(ctx context.Context, args []string, sources []string, dir string, stderr io.Writer) ([]string, error) {
	var keys []string
	for _, a := range args {
		if ks, err := readKeys(a); err == nil {
			keys = append(keys, ks...)
		} else if strings.Count(a, "+") >= 2 {
			keys = append(keys, a)
		} else {
			return nil, fmt.Errorf("--key %s: %v", a, err)
		}
	}
	if len(keys) > 0 || len(sources) == 0 {
		return keys, nil
	}
	var places []string
	for _, src := range sources {
		if !isURL(src) {
			places = append(places, filepath.Join(filepath.Dir(src), keyFile))
			break
		}
	}
	places = append(places, filepath.Join(dir, keyFile))
	for _, p := range places {
		if ks, err := readKeys(p); err == nil {
			return ks, nil
		}
	}
	for _, src := range sources {
		if isURL(src) {
			u := src[:strings.LastIndex(src, "/")+1] + "key"
			b, err := readSource(ctx, u)
			if err != nil {
				return nil, fmt.Errorf("no verifier key: none in %s, and %s: %v (give one with --key)", strings.Join(places, " or "), u, err)
			}
			fmt.Fprintf(stderr, "warning: using the verifier key from %s, the server that publishes the checkpoint; pass --key for an independent check\n", u)
			for _, l := range strings.Split(string(b), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					keys = append(keys, l)
				}
			}
			return keys, nil
		}
	}
	return nil, fmt.Errorf("no verifier key in %s (give one with --key)", strings.Join(places, " or "))
}

func isURL(s string) bool { return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") }

// readSource reads a checkpoint (or key) from a file or an http(s) URL.
func readSource(ctx context.Context, src string) ([]byte, error) {
	if !isURL(src) {
		return os.ReadFile(src)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", src, nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", src, res.Status)
	}
	return io.ReadAll(io.LimitReader(res.Body, 1<<20))
}

func auditCheckpoint(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("audit checkpoint", "audit checkpoint [--mail ADDR,…] [--data DIR] [--db URL]", stderr)
	st := storageFlags(fs, getenv)
	mailTo := fs.String("mail", getenv("NETRA_CHECKPOINT_MAIL"), "also queue the checkpoint for mailing to these auditors, comma-separated (NETRA_CHECKPOINT_MAIL; sent by netra serve)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := st.open(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	p := newPublisher(s, st.data, *mailTo, newLogger(stderr))
	c, done, err := p.publish(ctx)
	if err != nil {
		return err
	}
	if !done {
		fmt.Fprintf(stdout, "the audit log has not grown since its last published checkpoint (%d entries)\n", c.Size)
		return nil
	}
	fmt.Fprintf(stdout, "published a checkpoint of %d audit entries to %s (key %s)\n", c.Size, p.dir, c.KeyID)
	return nil
}

func auditRedact(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := newFlags("audit redact", "audit redact --before DATE [--data DIR] [--db URL]", stderr)
	st := storageFlags(fs, getenv)
	beforeText := fs.String("before", "", "remove the personal fields (actor name, IP address, summary) of entries written before this date (YYYY-MM-DD, UTC) or time (RFC 3339)")
	if err := parse(fs, args); err != nil {
		return err
	}
	before, err := time.Parse(time.DateOnly, *beforeText)
	if err != nil {
		if before, err = time.Parse(time.RFC3339, *beforeText); err != nil {
			fmt.Fprintln(stderr, "netra audit redact: --before wants a date (2025-01-31) or a time (2025-01-31T00:00:00Z)")
			return errUsage
		}
	}
	s, err := st.open(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.RedactAudit(netra.WithActor(ctx, netra.System("cli")), before)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "redacted the personal fields of %d audit entries written before %s; the log still verifies\n", n, before.UTC().Format(time.RFC3339))
	return nil
}
