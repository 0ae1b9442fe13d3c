// Package auth provides the credential primitives Netra's sign-in is built
// from: argon2id password hashes, TOTP second factors, recovery codes, random
// tokens and one-time codes. It keeps no state of its own and never touches
// storage; the store keeps what these functions return, and the web layer
// decides when to call them.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The current argon2id parameters: the OWASP minimum for argon2id (19 MiB,
// two passes, one lane). They are written into every hash, so raising them
// later only needs NeedsRehash and a re-hash at the next successful sign-in.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on what Verify accepts from a stored hash. A hash is data, and a
// tampered or corrupt one must not make us allocate gigabytes, spin for
// minutes or panic inside argon2.
const (
	maxArgonTime   = 64
	maxArgonMemory = 1024 * 1024 // KiB, 1 GiB
	minSaltLen     = 8
	maxSaltLen     = 64
	minKeyLen      = 16
	maxKeyLen      = 128
)

// ErrMalformedHash means a stored password hash is not an argon2id PHC string
// this package can verify. Verify wraps it with the reason.
var ErrMalformedHash = errors.New("malformed password hash")

// Hasher hashes and verifies passwords with argon2id while limiting how many
// run at once. Each hash holds about 19 MiB for tens of milliseconds, so a burst
// of sign-ins without a limit would exhaust memory rather than merely queue.
// A Hasher is safe for concurrent use; build one in main and pass it down.
type Hasher struct {
	sem chan struct{}
}

// NewHasher returns a Hasher that runs at most maxConcurrent hashes at a time;
// a value below 1 is treated as 1.
func NewHasher(maxConcurrent int) *Hasher {
	if maxConcurrent < 1 {
		maxConcurrent = 1
	}
	return &Hasher{sem: make(chan struct{}, maxConcurrent)}
}

// DefaultHasher returns a Hasher that allows one hash per CPU available to the
// program (GOMAXPROCS): argon2id with one lane is CPU-bound, so more at once
// would only add memory, not throughput.
func DefaultHasher() *Hasher {
	return NewHasher(runtime.GOMAXPROCS(0))
}

// acquire waits for a free slot; it gives up when ctx ends so that a request
// whose client has gone away does not keep a place in the queue.
func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting to hash password: %w", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the argon2id hash of pw as a PHC string,
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, with a fresh 16-byte random salt.
// It returns an error only when ctx ends before a hashing slot is free.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := argonParams{time: argonTime, memory: argonMemory, threads: argonThreads}
	p.salt = make([]byte, argonSaltLen)
	rand.Read(p.salt) // never fails: crypto/rand aborts the program instead (Go 1.24+)
	p.key = argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, argonKeyLen)
	return p.String(), nil
}

// Verify reports whether pw matches the PHC string phc. The parameters come
// from phc itself, so hashes made with older parameters keep verifying. A
// wrong password is (false, nil); a phc that cannot be parsed is (false, err)
// with err wrapping ErrMalformedHash; an ended ctx is (false, ctx error).
func (h *Hasher) Verify(ctx context.Context, phc, pw string) (bool, error) {
	p, err := parseArgon(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// NeedsRehash reports whether phc was made with parameters other than the
// current ones, so the caller should store a fresh Hash after the next
// successful Verify. A phc that cannot be parsed also needs replacing.
func NeedsRehash(phc string) bool {
	p, err := parseArgon(phc)
	if err != nil {
		return true
	}
	return p.time != argonTime || p.memory != argonMemory || p.threads != argonThreads ||
		len(p.salt) != argonSaltLen || len(p.key) != argonKeyLen
}

// argonParams is one parsed PHC string.
type argonParams struct {
	time, memory uint32
	threads      uint8
	salt, key    []byte
}

func (p argonParams) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads, b64().EncodeToString(p.salt), b64().EncodeToString(p.key))
}

// b64 is the PHC base64 flavour: standard alphabet, no padding, and strict so
// that a hash with altered trailing bits does not decode to the same bytes.
func b64() *base64.Encoding { return base64.RawStdEncoding.Strict() }

// parseArgon parses a PHC string strictly: the exact field order this package
// writes, and every number within the bounds above.
func parseArgon(phc string) (argonParams, error) {
	var p argonParams
	fields := strings.Split(phc, "$")
	if len(fields) != 6 || fields[0] != "" {
		return p, fmt.Errorf("%w: want 5 $-separated fields", ErrMalformedHash)
	}
	if fields[1] != "argon2id" {
		return p, fmt.Errorf("%w: algorithm %q is not argon2id", ErrMalformedHash, fields[1])
	}
	if fields[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, fields[2])
	}
	params := strings.Split(fields[3], ",")
	if len(params) != 3 {
		return p, fmt.Errorf("%w: want parameters m,t,p", ErrMalformedHash)
	}
	m, err := parseParam(params[0], "m", 1, maxArgonMemory)
	if err != nil {
		return p, err
	}
	t, err := parseParam(params[1], "t", 1, maxArgonTime)
	if err != nil {
		return p, err
	}
	threads, err := parseParam(params[2], "p", 1, 255)
	if err != nil {
		return p, err
	}
	if m < 8*threads {
		// argon2 needs at least 8 KiB per lane; below that it silently
		// rounds up, so the hash could never have come from us.
		return p, fmt.Errorf("%w: memory below 8 KiB per lane", ErrMalformedHash)
	}
	p.memory, p.time, p.threads = m, t, uint8(threads)
	if p.salt, err = b64().DecodeString(fields[4]); err != nil {
		return p, fmt.Errorf("%w: salt: %w", ErrMalformedHash, err)
	}
	if len(p.salt) < minSaltLen || len(p.salt) > maxSaltLen {
		return p, fmt.Errorf("%w: salt of %d bytes", ErrMalformedHash, len(p.salt))
	}
	if p.key, err = b64().DecodeString(fields[5]); err != nil {
		return p, fmt.Errorf("%w: key: %w", ErrMalformedHash, err)
	}
	if len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
		return p, fmt.Errorf("%w: key of %d bytes", ErrMalformedHash, len(p.key))
	}
	return p, nil
}

// parseParam parses "name=value" with value a decimal in [lo, hi].
func parseParam(s, name string, lo, hi uint32) (uint32, error) {
	v, ok := strings.CutPrefix(s, name+"=")
	if !ok {
		return 0, fmt.Errorf("%w: want parameter %s, got %q", ErrMalformedHash, name, s)
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || uint32(n) < lo || uint32(n) > hi {
		return 0, fmt.Errorf("%w: parameter %s=%q outside %d..%d", ErrMalformedHash, name, v, lo, hi)
	}
	return uint32(n), nil
}
