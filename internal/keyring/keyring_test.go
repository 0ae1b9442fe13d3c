package keyring_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netra-id/netra/internal/keyring"
)

func TestLoadCreatesPrivateKeyFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "netra.key")
	none := func(string) string { return "" }
	k1, src, err := keyring.Load(none, path)
	if err != nil || src != keyring.FromNewFile {
		t.Fatalf("first load: %v %v", src, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	k2, src, err := keyring.Load(none, path)
	if err != nil || src != keyring.FromFile || k2.ID() != k1.ID() {
		t.Fatalf("second load: %v %v, id %s vs %s", src, err, k2.ID(), k1.ID())
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := keyring.Load(none, path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key file: %v, want a refusal naming chmod 600", err)
	}
}

func TestLoadFromEnvironment(t *testing.T) {
	env := map[string]string{"NETRA_MASTER_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
	k, src, err := keyring.Load(func(k string) string { return env[k] }, filepath.Join(t.TempDir(), "unused"))
	if err != nil || src != keyring.FromEnv || k == nil {
		t.Fatalf("env key: %v %v", src, err)
	}
	env["NETRA_MASTER_KEY"] = "c2hvcnQ="
	if _, _, err := keyring.Load(func(k string) string { return env[k] }, ""); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Fatalf("short key: %v", err)
	}
}

func TestSealOpen(t *testing.T) {
	k := keyring.Generate()
	s := k.Seal("totp", []byte("JBSWY3DPEHPK3PXP"))
	if strings.Contains(s, "JBSWY3DP") || !keyring.IsSealed(s) {
		t.Fatalf("sealed value shows the secret or lacks the prefix: %s", s)
	}
	if s2 := k.Seal("totp", []byte("JBSWY3DPEHPK3PXP")); s2 == s {
		t.Fatal("two seals of the same value are equal (nonce reused)")
	}
	got, err := k.Open("totp", s)
	if err != nil || string(got) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := k.Open("mail", s); !errors.Is(err, keyring.ErrOpen) {
		t.Fatalf("opened under another purpose: %v", err)
	}
	if _, err := keyring.Generate().Open("totp", s); !errors.Is(err, keyring.ErrOpen) {
		t.Fatalf("opened under another key: %v", err)
	}
	b := []byte(s)
	b[len(b)-3] ^= 1
	if _, err := k.Open("totp", string(b)); !errors.Is(err, keyring.ErrOpen) {
		t.Fatalf("opened an altered value: %v", err)
	}
	if bytes.Equal(k.MAC("audit", []byte("x")), k.MAC("other", []byte("x"))) {
		t.Fatal("MAC subkeys for two purposes are equal")
	}
}
