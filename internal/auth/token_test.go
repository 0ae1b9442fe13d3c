package auth

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestRandomToken(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		tok := RandomToken()
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) != 32 || len(tok) != 43 {
			t.Fatalf("RandomToken() = %q: %d bytes, err %v; want 43 characters of base64url for 32 bytes", tok, len(b), err)
		}
		if seen[tok] {
			t.Fatalf("RandomToken repeated %q", tok)
		}
		seen[tok] = true
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		if got := HashToken(tt.in); got != tt.want {
			t.Errorf("HashToken(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestNumericCode(t *testing.T) {
	for _, digits := range []int{1, 6, 8, 19, 40} {
		for range 100 {
			code := NumericCode(digits)
			if len(code) != digits || strings.Trim(code, "0123456789") != "" {
				t.Fatalf("NumericCode(%d) = %q", digits, code)
			}
		}
	}
}

func TestNumericCodeUniform(t *testing.T) {
	// Chi-square over every digit position of 10 000 six-digit codes, per
	// position so that a fixed or skewed position cannot hide in the total.
	// With 9 degrees of freedom the statistic exceeds 40 with probability
	// about 7e-6, so a failure means a real bias.
	const n, digits = 10000, 6
	var counts [digits][10]int
	for range n {
		for i, c := range NumericCode(digits) {
			counts[i][c-'0']++
		}
	}
	for pos := range digits {
		chi2 := 0.0
		for _, c := range counts[pos] {
			d := float64(c) - n/10
			chi2 += d * d / (n / 10)
		}
		if chi2 > 40 {
			t.Errorf("position %d: counts %v, chi-square %.1f > 40", pos, counts[pos], chi2)
		}
	}
}

func TestNumericCodePanicsOnZero(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NumericCode(0) did not panic")
		}
	}()
	NumericCode(0)
}

func TestRandomStringRejectsBiasedBytes(t *testing.T) {
	// Bytes at or above the largest multiple of the alphabet size must be
	// skipped: reducing them modulo would favour the first characters.
	tests := []struct {
		name     string
		alphabet string
		in       []byte
		n        int
		want     string
	}{
		{"digits skip 250..255", "0123456789", []byte{255, 254, 253, 252, 251, 250, 3, 249, 0}, 3, "390"},
		{"recovery skips 248..255", recoveryAlphabet, []byte{248, 255, 247, 0, 30, 31}, 4, "z2z2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Pad so the reader can fill the whole buffer; padding is never reached.
			in := append(bytes.Clone(tt.in), make([]byte, 64)...)
			if got := randomString(bytes.NewReader(in), tt.alphabet, tt.n); got != tt.want {
				t.Fatalf("randomString = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConstantTimeEqual(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"123456", "123456", true},
		{"", "", true},
		{"123456", "123457", false},
		{"123456", "12345", false},
		{"", "0", false},
	}
	for _, tt := range tests {
		if got := ConstantTimeEqual(tt.a, tt.b); got != tt.want {
			t.Errorf("ConstantTimeEqual(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestNewRecoveryCodes(t *testing.T) {
	format := regexp.MustCompile(`^[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}$`)
	codes := NewRecoveryCodes(10)
	if len(codes) != 10 {
		t.Fatalf("NewRecoveryCodes(10) gave %d codes", len(codes))
	}
	seen := make(map[string]bool)
	for _, c := range codes {
		if !format.MatchString(c) {
			t.Errorf("code %q does not look like k7m2-9xqp", c)
		}
		if seen[c] {
			t.Errorf("code %q repeated", c)
		}
		seen[c] = true
		if n := NormalizeRecoveryCode(c); n != c {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, want it unchanged", c, n)
		}
	}
	// Across many sets every character of the alphabet should turn up.
	all := strings.Join(NewRecoveryCodes(200), "")
	for _, r := range recoveryAlphabet {
		if !strings.ContainsRune(all, r) {
			t.Errorf("character %q never used in 200 codes", r)
		}
	}
	for _, r := range "01ilo" {
		if strings.ContainsRune(all, r) {
			t.Errorf("ambiguous character %q used", r)
		}
	}
	for _, n := range []int{0, -1} {
		if got := NewRecoveryCodes(n); len(got) != 0 {
			t.Errorf("NewRecoveryCodes(%d) = %v", n, got)
		}
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"k7m2-9xqp", "k7m2-9xqp"},
		{"K7M2-9XQP", "k7m2-9xqp"},
		{"k7m29xqp", "k7m2-9xqp"},
		{" k7m2 9xqp\n", "k7m2-9xqp"},
		{"k7m2–9xqp", "k7m2-9xqp"}, // en dash from a word processor
		{"k7m2--9xqp", "k7m2-9xqp"},
		{"k7m2-9xq", "k7m29xq"},     // too short: cleaned, not reformatted
		{"k7m2-9xqp1", "k7m29xqp1"}, // too long
		{"k7mé-9xq", "k7mé9xq"},     // 8 bytes, not the code alphabet: never split mid-character
		{"o0l1-i9xq", "o0l1i9xq"},   // ambiguous characters are not in any code
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeRecoveryCode(tt.in); got != tt.want {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
