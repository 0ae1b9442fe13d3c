package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

const clearSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// TestTOTPSecretSealed checks that a TOTP secret never reaches the database
// in the clear, that one stored in the clear by an older version still works
// and is sealed at the next start, and that another master key cannot open it.
func TestTOTPSecretSealed(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			url := e.URL(t)
			keys := keyring.Generate()
			open := func(k *keyring.Keyring) *store.Store {
				s, err := store.Open(ctx, url, store.WithKeyring(k))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open(keys)
			u := &netra.User{Username: "admin.kota", Name: "Admin", PasswordHash: "x"}
			if err := s.CreateUser(sys(), u); err != nil {
				t.Fatal(err)
			}
			secret, on := clearSecret, true
			if err := s.UpdateUser(sys(), u.ID, store.UserUpdate{TOTPSecret: &secret, TOTPEnabled: &on}, "auth.totp_enrol"); err != nil {
				t.Fatal(err)
			}
			db := rawDB(t, url)
			raw := func() string {
				t.Helper()
				var v string
				if err := db.QueryRow(`SELECT totp_secret FROM users WHERE id = $1`, u.ID).Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
			if v := raw(); strings.Contains(v, clearSecret) || !keyring.IsSealed(v) {
				t.Errorf("stored TOTP secret %q, want it sealed", v)
			}
			if got, err := s.UserByID(ctx, u.ID); err != nil || got.TOTPSecret != clearSecret {
				t.Fatalf("read back: %+v %v", got, err)
			}

			// An older version stored it in the clear.
			mustExec(t, db, `UPDATE users SET totp_secret = '`+clearSecret+`' WHERE id = `+fmtInt(u.ID))
			if got, err := s.UserByID(ctx, u.ID); err != nil || got.TOTPSecret != clearSecret {
				t.Fatalf("clear secret read back: %+v %v", got, err)
			}
			s.Close()
			s = open(keys)
			if v := raw(); strings.Contains(v, clearSecret) || !keyring.IsSealed(v) {
				t.Errorf("after a restart the old clear secret is %q, want it sealed", v)
			}
			if got, err := s.UserByID(ctx, u.ID); err != nil || got.TOTPSecret != clearSecret {
				t.Fatalf("sealed at start, read back: %+v %v", got, err)
			}
			if _, n, _ := s.VerifyAudit(ctx, nil); n == 0 {
				t.Error("no audit entries")
			}
			s.Close()

			// Without the master key the database alone is not enough.
			other := open(keyring.Generate())
			if _, err := other.UserByID(ctx, u.ID); err == nil {
				t.Error("a store with another master key opened the TOTP secret")
			}
		})
	}
}
