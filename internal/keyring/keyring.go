// Package keyring holds Netra's master key, the one secret that is kept
// outside the database: in the environment (NETRA_MASTER_KEY, base64 of 32
// bytes), in a file named by NETRA_MASTER_KEY_FILE, or — for the embedded
// default — in a file of the data folder created with mode 0600 on first
// start. Someone who copies or rewrites the database without that key can
// neither read what is sealed with it (TOTP secrets, signing keys, queued
// sign-in codes) nor forge what is authenticated with it (the audit chain).
//
// Every use derives its own subkey from the master key with HKDF-SHA256 and
// a purpose string, so a key used to seal TOTP secrets never also
// authenticates audit entries.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of the master key in bytes.
const KeySize = 32

// sealPrefix marks the format of a sealed value, so that a later format can
// be told apart.
const sealPrefix = "k1:"

// Keyring derives subkeys from the master key. It is safe for concurrent use.
type Keyring struct {
	master [KeySize]byte
	id     string
}

// New returns a keyring for a master key of KeySize bytes.
func New(key []byte) (*Keyring, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("keyring: the master key must be %d bytes, not %d", KeySize, len(key))
	}
	k := &Keyring{}
	copy(k.master[:], key)
	sum := sha256.Sum256(append([]byte("netra-key-id"), key...))
	k.id = hex.EncodeToString(sum[:4])
	return k, nil
}

// Generate returns a keyring with a fresh random master key.
func Generate() *Keyring {
	key := make([]byte, KeySize)
	_, _ = rand.Read(key)
	k, _ := New(key)
	return k
}

// Source says where Load found the master key.
type Source string

// The places a master key comes from.
const (
	FromEnv     Source = "environment"
	FromFile    Source = "file"
	FromNewFile Source = "new file"
)

// Load finds the master key: NETRA_MASTER_KEY, else the file named by
// NETRA_MASTER_KEY_FILE, else the file at path. Only the file at path is
// created when it does not exist (with mode 0600, never overwritten); a key
// file that group or others can read is refused, as ssh refuses such a
// private key.
func Load(getenv func(string) string, path string) (*Keyring, Source, error) {
	if v := strings.TrimSpace(getenv("NETRA_MASTER_KEY")); v != "" {
		k, err := parse(v)
		if err != nil {
			return nil, "", fmt.Errorf("keyring: NETRA_MASTER_KEY: %w", err)
		}
		return k, FromEnv, nil
	}
	if p := getenv("NETRA_MASTER_KEY_FILE"); p != "" {
		k, err := readFile(p)
		return k, FromFile, err
	}
	k, err := readFile(path)
	if err == nil {
		return k, FromFile, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", err
	}
	k, err = create(path)
	return k, FromNewFile, err
}

func parse(text string) (*Keyring, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, errors.New("not base64 (write it with: head -c 32 /dev/urandom | base64)")
	}
	return New(key)
}

func readFile(path string) (*Keyring, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("keyring: %s can be read by others (mode %v): run chmod 600 %s", path, st.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	k, err := parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("keyring: %s: %w", path, err)
	}
	return k, nil
}

func create(path string) (*Keyring, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	k := Generate()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("keyring: create %s: %w", path, err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(k.master[:]) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return nil, fmt.Errorf("keyring: write %s: %w", path, err)
	}
	return k, nil
}

// ID returns a short fingerprint of the master key (not secret), so that a
// value sealed under another key can be named as such.
func (k *Keyring) ID() string { return k.id }

// subkey derives the key for purpose.
func (k *Keyring) subkey(purpose string) []byte {
	b, err := hkdf.Key(sha256.New, k.master[:], nil, "netra/"+purpose, 32)
	if err != nil {
		panic(err) // only for lengths HKDF cannot produce
	}
	return b
}

// Seal encrypts and authenticates plaintext for purpose (AES-256-GCM with a
// random nonce) and returns printable text. The purpose is bound in, so a
// value sealed for one purpose does not open for another.
func (k *Keyring) Seal(purpose string, plaintext []byte) string {
	g := k.gcm(purpose)
	nonce := make([]byte, g.NonceSize(), g.NonceSize()+len(plaintext)+g.Overhead())
	_, _ = rand.Read(nonce)
	return sealPrefix + base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, plaintext, []byte(purpose)))
}

// ErrOpen is returned for a sealed value that does not open: altered, sealed
// for another purpose, or sealed under another master key.
var ErrOpen = errors.New("keyring: the value does not open with this key (altered, or sealed under another master key)")

// Open reverses Seal.
func (k *Keyring) Open(purpose, sealed string) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, sealPrefix)
	if !ok {
		return nil, ErrOpen
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	g := k.gcm(purpose)
	if err != nil || len(b) < g.NonceSize()+g.Overhead() {
		return nil, ErrOpen
	}
	out, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte(purpose))
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// IsSealed reports whether v has the form Seal produces (used to migrate
// values stored in the clear before sealing existed).
func IsSealed(v string) bool { return strings.HasPrefix(v, sealPrefix) }

func (k *Keyring) gcm(purpose string) cipher.AEAD {
	b, err := aes.NewCipher(k.subkey("seal/" + purpose))
	if err != nil {
		panic(err)
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err)
	}
	return g
}

// MAC returns HMAC-SHA256 of data under the subkey for purpose.
func (k *Keyring) MAC(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, k.subkey("mac/"+purpose))
	m.Write(data)
	return m.Sum(nil)
}

// MACKey returns the subkey MAC uses for purpose, for callers that feed a
// long stream (hmac.New(sha256.New, key)) rather than one slice.
func (k *Keyring) MACKey(purpose string) []byte { return k.subkey("mac/" + purpose) }
