package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
)

// AuditLog is the name of the signed log whose leaves are the audit
// entries' hashes. Each government's pledge log is named
// netra.PledgeLogName(code), "pledge/<tenant code>" (pledge.go).
const AuditLog = "audit"

// signLog is a signed log's row.
type signLog struct {
	id     int64
	name   string
	origin string
	size   int64
}

func (s *Store) signLog(ctx context.Context, q queryer, name string) (signLog, error) {
	l := signLog{name: name}
	err := q.QueryRowContext(ctx, `SELECT id, origin, size FROM signlogs WHERE name = $1`, name).Scan(&l.id, &l.origin, &l.size)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("store: signed log %q: %w", name, netra.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("store: signed log %q: %w", name, err)
	}
	return l, nil
}

// ensureLog returns the signed log called name, creating it (empty, with
// the given origin) on first use, as an audited write of the system.
func (s *Store) ensureLog(ctx context.Context, name, origin string) (signLog, error) {
	l, err := s.signLog(ctx, s.r, name)
	if !errors.Is(err, netra.ErrNotFound) {
		return l, err
	}
	err = s.write(netra.WithActor(ctx, netra.System("signlog")), func(x *tx) error {
		var id int64
		err := x.QueryRowContext(ctx, `INSERT INTO signlogs (name, origin, size) VALUES ($1, $2, 0)
			ON CONFLICT (name) DO NOTHING RETURNING id`, name, origin).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // another node made it first
		} else if err != nil {
			return fmt.Errorf("store: create signed log %q: %w", name, err)
		}
		return x.audit(ctx, 0, "signlog.create", "signlog", id, map[string]string{"log": name, "origin": origin})
	})
	if err != nil {
		return l, err
	}
	return s.signLog(ctx, s.w, name)
}

// lockLog reads a signed log's row inside a write transaction, locking it
// on PostgreSQL so that concurrent appenders to the log take turns (SQLite
// has one writer anyway). Take it before x.audit, which locks the audit
// log's head: every transaction then locks in the same order.
func (x *tx) lockLog(ctx context.Context, name string) (signLog, error) {
	lock := ""
	if x.s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	l := signLog{name: name}
	err := x.QueryRowContext(ctx, `SELECT id, origin, size FROM signlogs WHERE name = $1`+lock, name).Scan(&l.id, &l.origin, &l.size)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("store: signed log %q: %w", name, netra.ErrNotFound)
	} else if err != nil {
		return l, fmt.Errorf("store: signed log %q: %w", name, err)
	}
	return l, nil
}

// hashReader reads a log's stored tree hashes through q (inside a write
// transaction, so that it sees the hashes the transaction added).
type hashReader struct {
	ctx   context.Context
	q     queryer
	logID int64
}

func (h hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	var a args
	ph := make([]string, len(indexes))
	logPH := a.add(h.logID)
	for i, x := range indexes {
		ph[i] = a.add(x)
	}
	rows, err := h.q.QueryContext(h.ctx, `SELECT idx, hash FROM signlog_hashes WHERE log_id = `+logPH+
		` AND idx IN (`+strings.Join(ph, ", ")+`)`, a.v...)
	if err != nil {
		return nil, fmt.Errorf("store: read tree hashes: %w", err)
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var idx int64
		var b []byte
		if err := rows.Scan(&idx, &b); err != nil {
			return nil, fmt.Errorf("store: read tree hashes: %w", err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("store: tree hash %d has %d bytes", idx, len(b))
		}
		got[idx] = tlog.Hash(b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read tree hashes: %w", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		v, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("store: tree hash %d of log %d is missing", x, h.logID)
		}
		out[i] = v
	}
	return out, nil
}

// appendLeaf adds leaf as record n of the log (which must hold n records),
// storing the O(1) amortised new tree hashes; it reads at most log₂ n
// earlier ones.
func appendLeaf(ctx context.Context, q queryer, l signLog, n int64, leaf tlog.Hash) error {
	if l.size != n {
		return fmt.Errorf("store: log %q holds %d records, cannot add record %d", l.name, l.size, n)
	}
	hs, err := signlog.Append(n, leaf, hashReader{ctx, q, l.id})
	if err != nil {
		return err
	}
	var a args
	vals := make([]string, len(hs))
	start := signlog.StoredIndex(n)
	for i, h := range hs {
		vals[i] = "(" + a.add(l.id) + ", " + a.add(start+int64(i)) + ", " + a.add(h[:]) + ")"
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO signlog_hashes (log_id, idx, hash) VALUES `+strings.Join(vals, ", "), a.v...); err != nil {
		return fmt.Errorf("store: add to log %q: %w", l.name, err)
	}
	if _, err := q.ExecContext(ctx, `UPDATE signlogs SET size = $1 WHERE id = $2`, n+1, l.id); err != nil {
		return fmt.Errorf("store: add to log %q: %w", l.name, err)
	}
	return nil
}

// LogSize returns the number of records in a signed log.
func (s *Store) LogSize(ctx context.Context, name string) (int64, error) {
	l, err := s.signLog(ctx, s.r, name)
	return l.size, err
}

// LogRoot returns the root hash of the first n records of a signed log, from
// the hashes stored in the database.
func (s *Store) LogRoot(ctx context.Context, name string, n int64) (tlog.Hash, error) {
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return tlog.Hash{}, err
	}
	if n > l.size {
		return tlog.Hash{}, fmt.Errorf("store: log %q holds %d records, not %d: %w", name, l.size, n, netra.ErrNotFound)
	}
	return signlog.TreeHash(n, hashReader{ctx, s.r, l.id})
}

// LogConsistencyProof returns the proof that the log's tree of size n
// extends its tree of size old (0 < old <= n <= the log's size).
func (s *Store) LogConsistencyProof(ctx context.Context, name string, old, n int64) (tlog.TreeProof, error) {
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return nil, err
	}
	if old < 1 || old > n || n > l.size {
		var v netra.ValidationError
		v.Add("old", netra.Msg("signlog.proof.range", fmt.Sprintf("want 1 <= old <= new <= %d", l.size)))
		return nil, v.Err()
	}
	return signlog.ProveConsistency(old, n, hashReader{ctx, s.r, l.id})
}

// LogInclusionProof returns the proof that record index (from 0) is in the
// log's tree of size n (index < n <= the log's size).
func (s *Store) LogInclusionProof(ctx context.Context, name string, index, n int64) (tlog.RecordProof, error) {
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= n || n > l.size {
		var v netra.ValidationError
		v.Add("index", netra.Msg("signlog.proof.range", fmt.Sprintf("want 0 <= index < size <= %d", l.size)))
		return nil, v.Err()
	}
	return signlog.ProveInclusion(n, index, hashReader{ctx, s.r, l.id})
}

// signingKey is a log's current key, opened.
type signingKey struct {
	keyID, vkey, skey string
}

// currentKey returns the log's unretired signing key, creating one on first
// use. A log has one unretired key at most (a unique index): when another
// node made the first key at the same moment, that one is read.
func (s *Store) currentKey(ctx context.Context, l signLog) (signingKey, error) {
	var k signingKey
	var sealed string
	read := func() error {
		return s.r.QueryRowContext(ctx, `SELECT key_id, vkey, skey FROM signlog_keys WHERE log_id = $1 AND retired_at = 0
		ORDER BY id DESC LIMIT 1`, l.id).Scan(&k.keyID, &k.vkey, &sealed)
	}
	err := read()
	if errors.Is(err, sql.ErrNoRows) {
		nk, nerr := s.newKey(netra.WithActor(ctx, netra.System("signlog")), l, false)
		if !errors.Is(nerr, errKeyExists) {
			return nk, nerr
		}
		err = read()
	}
	if err != nil {
		return k, fmt.Errorf("store: signing key of %q: %w", l.name, err)
	}
	b, err := s.keys.Open(keyPurpose(l.name), sealed)
	if err != nil {
		return k, fmt.Errorf("store: signing key %s of log %q: %w", k.keyID, l.name, err)
	}
	k.skey = string(b)
	return k, nil
}

func keyPurpose(log string) string { return "signlog/" + log }

// errKeyExists is returned by newKey when the log got a current key first.
var errKeyExists = errors.New("store: the log already has a current signing key")

// newKey makes a signing key for the log, sealed with the master key, and
// retires the current one when rotate is set. It is audited.
func (s *Store) newKey(ctx context.Context, l signLog, rotate bool) (signingKey, error) {
	skey, vkey, err := signlog.GenerateKey(l.origin)
	if err != nil {
		return signingKey{}, err
	}
	k := signingKey{keyID: signlog.KeyID(vkey), vkey: vkey, skey: skey}
	err = s.write(ctx, func(x *tx) error {
		if rotate {
			if _, err := x.ExecContext(ctx, `UPDATE signlog_keys SET retired_at = $1 WHERE log_id = $2 AND retired_at = 0`, x.now, l.id); err != nil {
				return err
			}
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO signlog_keys (log_id, key_id, vkey, skey, created_at) VALUES ($1, $2, $3, $4, $5)`,
			l.id, k.keyID, vkey, s.keys.Seal(keyPurpose(l.name), []byte(skey)), x.now); isUniqueViolation(err) && !rotate {
			return errKeyExists
		} else if err != nil {
			return err
		}
		action := "signlog.key.create"
		if rotate {
			action = "signlog.key.rotate"
		}
		return x.audit(ctx, 0, action, "signlog", l.id, map[string]string{"log": l.name, "key": k.keyID})
	})
	if errors.Is(err, errKeyExists) {
		return signingKey{}, err
	} else if err != nil {
		return signingKey{}, fmt.Errorf("store: new signing key for %q: %w", l.name, err)
	}
	return k, nil
}

// RotateLogKey retires the log's signing key and makes a new one; the old
// verifier key stays listed by LogVerifierKeys so that the checkpoints it
// signed remain checkable. It returns the new verifier key. The actor in ctx
// must be a super admin.
func (s *Store) RotateLogKey(ctx context.Context, name string) (string, error) {
	if a := netra.ActorFrom(ctx); a == nil || !a.IsSuperAdmin() {
		return "", fmt.Errorf("store: rotate signing key: %w", netra.ErrForbidden)
	}
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return "", err
	}
	k, err := s.newKey(ctx, l, true)
	return k.vkey, err
}

// LogVerifierKeys returns the public verifier keys of every signing key the
// log has had, oldest first — only those whose private half opens with the
// master key, so a key slipped into the database by someone without the
// master key is never published.
func (s *Store) LogVerifierKeys(ctx context.Context, name string) ([]string, error) {
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT vkey, skey FROM signlog_keys WHERE log_id = $1 ORDER BY id`, l.id)
	if err != nil {
		return nil, fmt.Errorf("store: verifier keys of %q: %w", name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var vkey, sealed string
		if err := rows.Scan(&vkey, &sealed); err != nil {
			return nil, fmt.Errorf("store: verifier keys of %q: %w", name, err)
		}
		if _, err := s.keys.Open(keyPurpose(name), sealed); err == nil {
			out = append(out, vkey)
		}
	}
	return out, rows.Err()
}

// Checkpoint is a signed checkpoint of a log.
type Checkpoint struct {
	signlog.Checkpoint
	KeyID  string
	Note   []byte // the signed note, as published
	Source string // where a verifier found it (a file, a URL), for its messages
}

// MakeCheckpoint signs the log's current head with its signing key
// (created on first use) and keeps a copy. When the log has not grown since
// the last checkpoint, that one is returned and nothing is signed. The copy
// in the database is a convenience (for the public URL); only copies
// published outside it protect the log.
func (s *Store) MakeCheckpoint(ctx context.Context, name string) (*Checkpoint, error) {
	l, err := s.signLog(ctx, s.r, name)
	if err != nil {
		return nil, err
	}
	if last, err := s.LatestCheckpoint(ctx, name); err == nil && last.Size == l.size {
		return last, nil
	} else if err != nil && !errors.Is(err, netra.ErrNotFound) {
		return nil, err
	}
	k, err := s.currentKey(ctx, l)
	if err != nil {
		return nil, err
	}
	// Creating the key appended an audit entry; sign the head as it is now.
	if l, err = s.signLog(ctx, s.r, name); err != nil {
		return nil, err
	}
	root, err := signlog.TreeHash(l.size, hashReader{ctx, s.r, l.id})
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{Checkpoint: signlog.Checkpoint{Origin: l.origin, Size: l.size, Hash: root,
		Time: s.now().UTC().Truncate(time.Second)}, KeyID: k.keyID}
	if c.Note, err = signlog.Sign(c.Checkpoint, k.skey); err != nil {
		return nil, err
	}
	// Not an audited write: recording a checkpoint of the audit log in the
	// audit log would grow the log it pins. ON CONFLICT: another node made
	// this size's checkpoint first; either signature is as good.
	if _, err := s.w.ExecContext(ctx, `INSERT INTO signlog_checkpoints (log_id, size, at, key_id, note) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (log_id, size) DO NOTHING`, l.id, c.Size, ms(c.Time), c.KeyID, string(c.Note)); err != nil {
		return nil, fmt.Errorf("store: keep checkpoint of %q: %w", name, err)
	}
	return c, nil
}

// LatestCheckpoint returns the newest checkpoint made of the log, or an
// ErrNotFound error when none was made yet.
func (s *Store) LatestCheckpoint(ctx context.Context, name string) (*Checkpoint, error) {
	var text string
	c := &Checkpoint{}
	err := s.r.QueryRowContext(ctx, `SELECT c.key_id, c.note FROM signlog_checkpoints c JOIN signlogs l ON l.id = c.log_id
		WHERE l.name = $1 ORDER BY c.size DESC LIMIT 1`, name).Scan(&c.KeyID, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: no checkpoint of log %q yet: %w", name, netra.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest checkpoint of %q: %w", name, err)
	}
	c.Note = []byte(text)
	body, _, _ := strings.Cut(text, "\n\n")
	if c.Checkpoint, err = signlog.ParseCheckpoint(body + "\n"); err != nil {
		return nil, fmt.Errorf("store: latest checkpoint of %q: %w", name, err)
	}
	return c, nil
}
