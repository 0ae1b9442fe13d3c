// Package signlog is the pure logic of Netra's signed, append-only logs: a
// Merkle tree over the log's records (golang.org/x/mod/sumdb/tlog, the
// tree of the Go checksum database and of Certificate Transparency), and
// checkpoints of its head — origin, size, root hash, time — signed with
// Ed25519 in the note format (golang.org/x/mod/sumdb/note). The audit log
// is one such log; each government's pledge log is another, whose key
// also signs the pledge records whose hashes it holds (pledge.go).
//
// A checkpoint published where the database cannot reach it pins the log:
// a later log that is shorter (truncated) or whose first Size records hash
// to another root (rewritten) no longer matches it, and a consistency proof
// (tlog.ProveTree) shows a reader with only two checkpoints and the public
// key that the newer log extends the older one.
//
// The package keeps no state and does no I/O; internal/store keeps the
// hashes, keys and checkpoints.
package signlog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Hash is a node of the tree (SHA-256).
type Hash = tlog.Hash

// RecordHash returns the leaf hash of a record's data.
func RecordHash(data []byte) Hash { return tlog.RecordHash(data) }

// Append returns the hashes to store when leaf h becomes record n (counted
// from 0) of a log that holds n records: h itself and the roots of the
// subtrees it completes, to be stored from index StoredIndex(n). It reads
// at most log₂ n earlier hashes through r.
func Append(n int64, h Hash, r tlog.HashReader) ([]Hash, error) {
	return tlog.StoredHashesForRecordHash(n, h, r)
}

// StoredIndex is where the hashes of record n start in the stored sequence.
func StoredIndex(n int64) int64 { return tlog.StoredHashIndex(0, n) }

// TreeHash returns the root of the tree of the first n records.
func TreeHash(n int64, r tlog.HashReader) (Hash, error) { return tlog.TreeHash(n, r) }

// ProveConsistency returns the proof that the tree of size n extends the
// tree of size old (old <= n).
func ProveConsistency(old, n int64, r tlog.HashReader) (tlog.TreeProof, error) {
	return tlog.ProveTree(n, old, r)
}

// CheckConsistency checks a proof that the tree (n, h) extends (old, oldH).
func CheckConsistency(p tlog.TreeProof, n int64, h Hash, old int64, oldH Hash) error {
	return tlog.CheckTree(p, n, h, old, oldH)
}

// Builder computes the root of a growing tree from its leaves in order,
// keeping only the roots of its complete subtrees (at most log₂ n hashes),
// so that a verifier streams millions of records in constant memory.
type Builder struct {
	n     int64
	stack []Hash // roots of complete subtrees, largest first
}

// Add appends the next leaf.
func (b *Builder) Add(h Hash) {
	for m := b.n; m&1 == 1; m >>= 1 {
		top := b.stack[len(b.stack)-1]
		b.stack = b.stack[:len(b.stack)-1]
		h = tlog.NodeHash(top, h)
	}
	b.stack = append(b.stack, h)
	b.n++
}

// Size is the number of leaves added.
func (b *Builder) Size() int64 { return b.n }

// Root returns the tree hash of the leaves added so far (the zero hash for
// none), equal to TreeHash(Size()).
func (b *Builder) Root() Hash {
	if len(b.stack) == 0 {
		return Hash{}
	}
	h := b.stack[len(b.stack)-1]
	for i := len(b.stack) - 2; i >= 0; i-- {
		h = tlog.NodeHash(b.stack[i], h)
	}
	return h
}

// Checkpoint is a log's head at one moment: Size records whose tree hashes
// to Hash. Origin names the log ("netra.example.go.id/audit") so that a
// checkpoint of one log is never taken for another's.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   Hash
	Time   time.Time // when it was made, UTC, to the second
}

// Text returns the checkpoint body in the C2SP tlog-checkpoint layout —
// origin, size, base64 root hash — with the time as an extension line.
func (c Checkpoint) Text() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\ntime %s\n", c.Origin, c.Size, c.Hash, c.Time.UTC().Format(time.RFC3339))
}

var errMalformed = errors.New("signlog: malformed checkpoint")

// ParseCheckpoint parses Text's output.
func ParseCheckpoint(text string) (Checkpoint, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 || lines[0] == "" {
		return Checkpoint{}, errMalformed
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || lines[1] != strconv.FormatInt(n, 10) {
		return Checkpoint{}, errMalformed
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return Checkpoint{}, errMalformed
	}
	c := Checkpoint{Origin: lines[0], Size: n, Hash: h}
	for _, l := range lines[3:] {
		if v, ok := strings.CutPrefix(l, "time "); ok {
			if c.Time, err = time.Parse(time.RFC3339, v); err != nil {
				return Checkpoint{}, errMalformed
			}
		}
	}
	return c, nil
}

// GenerateKey makes an Ed25519 signing key named name (the log's origin)
// and returns it in note's encodings: the private signer key and the
// public verifier key "name+hash+base64".
func GenerateKey(name string) (skey, vkey string, err error) {
	return note.GenerateKey(rand.Reader, name)
}

// KeyID returns the short id of a verifier key: its name and key hash as
// written in a signature line ("netra/audit+1a2b3c4d").
func KeyID(vkey string) string {
	name, rest, _ := strings.Cut(vkey, "+")
	hash, _, _ := strings.Cut(rest, "+")
	return name + "+" + hash
}

// VerifierKey returns the verifier key of an Ed25519 public key.
func VerifierKey(name string, pub ed25519.PublicKey) (string, error) {
	return note.NewEd25519VerifierKey(name, pub)
}

// Sign signs the checkpoint with the signer key and returns the note.
func Sign(c Checkpoint, skey string) ([]byte, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("signlog: signing key: %w", err)
	}
	if s.Name() != c.Origin {
		return nil, fmt.Errorf("signlog: key %q cannot sign for origin %q", s.Name(), c.Origin)
	}
	return note.Sign(&note.Note{Text: string(c.Text())}, s)
}

// ErrSignature is returned for a note that no given key signed.
var ErrSignature = errors.New("signlog: the checkpoint is not signed by a known key")

// Open checks that a signed checkpoint carries a valid signature by one of
// the verifier keys and returns it with the id of the key that signed it.
// Any old key of a rotated log still opens the checkpoints it signed.
func Open(msg []byte, vkeys ...string) (Checkpoint, string, error) {
	var vs []note.Verifier
	for _, k := range vkeys {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return Checkpoint{}, "", fmt.Errorf("signlog: verifier key %q: %w", k, err)
		}
		vs = append(vs, v)
	}
	n, err := note.Open(bytes.TrimLeft(msg, "\n"), note.VerifierList(vs...))
	if err != nil {
		var unknown *note.UnverifiedNoteError
		if errors.As(err, &unknown) {
			return Checkpoint{}, "", ErrSignature
		}
		return Checkpoint{}, "", fmt.Errorf("signlog: %w", err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, "", err
	}
	sig := n.Sigs[0]
	if sig.Name != c.Origin {
		return Checkpoint{}, "", fmt.Errorf("signlog: checkpoint of %q signed by key %q", c.Origin, sig.Name)
	}
	return c, fmt.Sprintf("%s+%08x", sig.Name, sig.Hash), nil
}

// SignData signs data with the signer key (Ed25519 over the bytes as they
// are) and returns the signature and the id of the key, as KeyID writes
// it. A log's key signs its checkpoints and, for the pledge logs, the
// records whose hashes it holds: a record is one line of JSON starting
// with '{', a checkpoint text begins with its origin and holds several
// lines, so neither can pass for the other.
func SignData(skey string, data []byte) (sig []byte, keyID string, err error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("signlog: signing key: %w", err)
	}
	sig, err = s.Sign(data)
	if err != nil {
		return nil, "", fmt.Errorf("signlog: sign: %w", err)
	}
	return sig, fmt.Sprintf("%s+%08x", s.Name(), s.KeyHash()), nil
}

// VerifyData reports whether sig is the signature of data by the verifier
// key vkey.
func VerifyData(vkey string, data, sig []byte) (bool, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return false, fmt.Errorf("signlog: verifier key %q: %w", vkey, err)
	}
	return v.Verify(data, sig), nil
}

// ProveInclusion returns the proof that record i (from 0) is in the tree
// of the first n records.
func ProveInclusion(n, i int64, r tlog.HashReader) (tlog.RecordProof, error) {
	return tlog.ProveRecord(n, i, r)
}

// CheckInclusion checks a proof that leaf is record i of the tree (n, h).
func CheckInclusion(p tlog.RecordProof, n int64, h Hash, i int64, leaf Hash) error {
	return tlog.CheckRecord(p, n, h, i, leaf)
}
