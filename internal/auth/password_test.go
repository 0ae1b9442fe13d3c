package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// mustHash hashes pw with a fresh Hasher and fails the test on error.
func mustHash(t testing.TB, pw string) string {
	t.Helper()
	phc, err := NewHasher(1).Hash(context.Background(), pw)
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	return phc
}

// phcWith builds a PHC string with arbitrary parameters, the way another
// (older or newer) configuration would have written it.
func phcWith(t testing.TB, pw string, time, memory uint32, threads uint8, keyLen uint32) string {
	t.Helper()
	p := argonParams{time: time, memory: memory, threads: threads, salt: make([]byte, 16)}
	rand.Read(p.salt)
	p.key = argon2.IDKey([]byte(pw), p.salt, time, memory, threads, keyLen)
	return p.String()
}

func TestHashVerify(t *testing.T) {
	phcPattern := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	h := NewHasher(2)
	ctx := context.Background()
	for _, pw := range []string{"correct horse battery staple", "", "kata sandi rahasia – é", strings.Repeat("x", 1000)} {
		phc, err := h.Hash(ctx, pw)
		if err != nil {
			t.Fatalf("Hash(%.20q): %v", pw, err)
		}
		if !phcPattern.MatchString(phc) {
			t.Errorf("Hash(%.20q) = %q, not the expected PHC shape", pw, phc)
		}
		if NeedsRehash(phc) {
			t.Errorf("NeedsRehash(fresh hash) = true")
		}
		ok, err := h.Verify(ctx, phc, pw)
		if err != nil || !ok {
			t.Errorf("Verify(right password %.20q) = %v, %v; want true, nil", pw, ok, err)
		}
		ok, err = h.Verify(ctx, phc, pw+"x")
		if err != nil || ok {
			t.Errorf("Verify(wrong password) = %v, %v; want false, nil", ok, err)
		}
	}
}

func TestHashSalted(t *testing.T) {
	a, b := mustHash(t, "same"), mustHash(t, "same")
	if a == b {
		t.Fatalf("two hashes of the same password are equal: %q", a)
	}
}

func TestVerifyOtherParameters(t *testing.T) {
	// Parameters are read from the hash, so hashes written with other
	// settings keep working, and NeedsRehash flags them.
	tests := []struct {
		name          string
		phc           string
		wantRehash    bool
		wantVerifyErr bool
	}{
		{"current", phcWith(t, "pw", argonTime, argonMemory, argonThreads, argonKeyLen), false, false},
		{"cheaper time", phcWith(t, "pw", 1, argonMemory, 1, 32), true, false},
		{"less memory", phcWith(t, "pw", 2, 8*1024, 1, 32), true, false},
		{"two lanes", phcWith(t, "pw", 1, 1024, 2, 32), true, false},
		{"longer key", phcWith(t, "pw", 1, 1024, 1, 64), true, false},
		{"garbage", "not a hash", true, true},
	}
	h := NewHasher(1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NeedsRehash(tt.phc); got != tt.wantRehash {
				t.Errorf("NeedsRehash = %v, want %v", got, tt.wantRehash)
			}
			ok, err := h.Verify(context.Background(), tt.phc, "pw")
			if tt.wantVerifyErr {
				if err == nil || ok {
					t.Fatalf("Verify = %v, %v; want false and an error", ok, err)
				}
				return
			}
			if err != nil || !ok {
				t.Fatalf("Verify(right password) = %v, %v", ok, err)
			}
			if ok, _ := h.Verify(context.Background(), tt.phc, "Pw"); ok {
				t.Fatalf("Verify(wrong password) = true")
			}
		})
	}
}

func TestVerifyTampered(t *testing.T) {
	phc := mustHash(t, "secret")
	fields := strings.Split(phc, "$") // "", argon2id, v=19, params, salt, key
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	join := func(params, salt, key string) string {
		return strings.Join([]string{"", fields[1], fields[2], params, salt, key}, "$")
	}
	tests := []struct {
		name string
		phc  string
	}{
		{"key first char", join(fields[3], fields[4], flip(fields[5], 0))},
		{"key middle char", join(fields[3], fields[4], flip(fields[5], 20))},
		{"salt", join(fields[3], flip(fields[4], 5), fields[5])},
		{"time", join("m=19456,t=3,p=1", fields[4], fields[5])},
		{"memory", join("m=19455,t=2,p=1", fields[4], fields[5])},
	}
	h := NewHasher(1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.phc == phc {
				t.Fatal("tampering left the hash unchanged")
			}
			ok, err := h.Verify(context.Background(), tt.phc, "secret")
			if ok {
				t.Fatalf("Verify(tampered %q) = true (err %v)", tt.phc, err)
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	good := mustHash(t, "pw")
	fields := strings.Split(good, "$")
	salt, key := fields[4], fields[5]
	with := func(head string) string { return head + "$" + salt + "$" + key }
	tests := []struct {
		name string
		phc  string
	}{
		{"empty", ""},
		{"dollars only", "$$$$$"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", with("$argon2i$v=19$m=19456,t=2,p=1")},
		{"old version", with("$argon2id$v=16$m=19456,t=2,p=1")},
		{"no version", "$argon2id$m=19456,t=2,p=1$" + salt + "$" + key},
		{"params reordered", with("$argon2id$v=19$t=2,m=19456,p=1")},
		{"param missing", with("$argon2id$v=19$m=19456,t=2")},
		{"param not a number", with("$argon2id$v=19$m=lots,t=2,p=1")},
		{"negative", with("$argon2id$v=19$m=19456,t=-2,p=1")},
		{"zero time", with("$argon2id$v=19$m=19456,t=0,p=1")},
		{"zero lanes", with("$argon2id$v=19$m=19456,t=2,p=0")},
		{"too many lanes", with("$argon2id$v=19$m=19456,t=2,p=256")},
		{"memory below 8 KiB per lane", with("$argon2id$v=19$m=15,t=1,p=2")},
		{"memory too large", with("$argon2id$v=19$m=4194304,t=2,p=1")},
		{"memory overflows uint32", with("$argon2id$v=19$m=4294967296,t=2,p=1")},
		{"time too large", with("$argon2id$v=19$m=19456,t=1000000,p=1")},
		{"salt not base64", "$argon2id$v=19$m=19456,t=2,p=1$!!!!$" + key},
		{"salt padded", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "==$" + key},
		{"salt too short", "$argon2id$v=19$m=19456,t=2,p=1$AAAA$" + key},
		{"key empty", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$"},
		{"key too short", "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAA"},
		{"extra field", good + "$x"},
		{"no leading dollar", strings.TrimPrefix(good, "$")},
	}
	h := NewHasher(1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(context.Background(), tt.phc, "pw")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("Verify(%q) = %v, %v; want false, ErrMalformedHash", tt.phc, ok, err)
			}
			if !NeedsRehash(tt.phc) {
				t.Errorf("NeedsRehash(%q) = false for a malformed hash", tt.phc)
			}
		})
	}
}

func TestHasherLimitsConcurrency(t *testing.T) {
	h := NewHasher(1)
	h.sem <- struct{}{} // occupy the only slot, as a long-running hash would

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Hash with a full Hasher = %v, want context.DeadlineExceeded", err)
	}
	phc := phcWith(t, "pw", 1, 1024, 1, 32)
	if _, err := h.Verify(ctx, phc, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Verify with a full Hasher = %v, want context.DeadlineExceeded", err)
	}

	done := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "pw")
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Hash finished (err %v) while the slot was taken", err)
	case <-time.After(50 * time.Millisecond):
	}
	<-h.sem // free the slot: the waiting Hash may now run
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Hash after release: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Hash did not proceed after the slot was freed")
	}
	if len(h.sem) != 0 {
		t.Fatalf("Hash did not release its slot: %d held", len(h.sem))
	}
}

func TestNewHasherMinimum(t *testing.T) {
	for _, n := range []int{-1, 0, 1} {
		if got := cap(NewHasher(n).sem); got != 1 {
			t.Errorf("NewHasher(%d) allows %d at once, want 1", n, got)
		}
	}
	if cap(DefaultHasher().sem) < 1 {
		t.Error("DefaultHasher allows no hashing")
	}
}

// BenchmarkHash measures one password hash through a Hasher, next to a bare
// argon2.IDKey call with the same parameters as the baseline: the difference
// is the cost of the semaphore, salt and encoding.
func BenchmarkHash(b *testing.B) {
	b.Run("Hasher", func(b *testing.B) {
		h := NewHasher(1)
		ctx := context.Background()
		for b.Loop() {
			if _, err := h.Hash(ctx, "correct horse battery staple"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare-argon2id", func(b *testing.B) {
		salt := make([]byte, argonSaltLen)
		for b.Loop() {
			argon2.IDKey([]byte("correct horse battery staple"), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
		}
	})
}
