package auth

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// rfcSecret is the RFC 6238 appendix B SHA-1 key "12345678901234567890" in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// mustCode returns the TOTP code for secret at t.
func mustCode(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	code, err := TOTPCode(secret, at)
	if err != nil {
		t.Fatalf("TOTPCode: %v", err)
	}
	return code
}

func TestTOTPCodeRFC6238(t *testing.T) {
	// The RFC lists 8-digit codes; 6-digit codes are their last six digits.
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		got, err := TOTPCode(rfcSecret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("TOTPCode(T=%d) = %q, %v; want %q", tt.unix, got, err, tt.want)
		}
	}
	// Lower case and stray spaces are how secrets get pasted.
	if got := mustCode(t, " "+strings.ToLower(rfcSecret)+" ", time.Unix(59, 0)); got != "287082" {
		t.Errorf("TOTPCode(lower-case secret) = %q, want 287082", got)
	}
	if _, err := TOTPCode("not base32!", time.Unix(59, 0)); err == nil {
		t.Error("TOTPCode(bad secret) gave no error")
	}
	if _, err := TOTPCode("", time.Unix(59, 0)); err == nil {
		t.Error("TOTPCode(empty secret) gave no error")
	}
}

func TestCheckTOTP(t *testing.T) {
	now := time.Unix(1111111111, 0) // mid-step: step 37037037 runs from ...110 to ...139
	step := now.Unix() / 30
	at := func(d int64) string { return mustCode(t, rfcSecret, time.Unix((step+d)*30, 0)) }
	tests := []struct {
		name     string
		secret   string
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"current", rfcSecret, at(0), 0, step, true},
		{"one step behind", rfcSecret, at(-1), 0, step - 1, true},
		{"one step ahead", rfcSecret, at(1), 0, step + 1, true},
		{"two steps behind", rfcSecret, at(-2), 0, 0, false},
		{"two steps ahead", rfcSecret, at(2), 0, 0, false},
		{"spaces", rfcSecret, at(0)[:3] + " " + at(0)[3:] + " ", 0, step, true},
		{"replay of current", rfcSecret, at(0), step, 0, false},
		{"older than last used", rfcSecret, at(-1), step - 1, 0, false},
		{"newer than last used", rfcSecret, at(1), step, step + 1, true},
		{"wrong code", rfcSecret, "000000", 0, 0, false},
		{"too short", rfcSecret, at(0)[:5], 0, 0, false},
		{"too long", rfcSecret, at(0) + "0", 0, 0, false},
		{"not digits", rfcSecret, "12a456", 0, 0, false},
		{"empty code", rfcSecret, "", 0, 0, false},
		{"empty secret", "", at(0), 0, 0, false},
		{"other secret", "JBSWY3DPEHPK3PXP", at(0), 0, 0, false},
		{"bad secret", "!!!!", at(0), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotStep, ok := CheckTOTP(tt.secret, tt.code, now, tt.lastStep)
			if ok != tt.wantOK || gotStep != tt.wantStep {
				t.Fatalf("CheckTOTP(%q) = %d, %v; want %d, %v", tt.code, gotStep, ok, tt.wantStep, tt.wantOK)
			}
		})
	}
}

func TestCheckTOTPReplay(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 10, 0, time.UTC)
	code := mustCode(t, rfcSecret, now)
	step, ok := CheckTOTP(rfcSecret, code, now, 0)
	if !ok {
		t.Fatal("first use refused")
	}
	// The same code, ten seconds later and still inside the skew window.
	if _, ok := CheckTOTP(rfcSecret, code, now.Add(10*time.Second), step); ok {
		t.Fatal("second use of the same code accepted")
	}
	next := mustCode(t, rfcSecret, now.Add(30*time.Second))
	if s, ok := CheckTOTP(rfcSecret, next, now.Add(30*time.Second), step); !ok || s != step+1 {
		t.Fatalf("next step's code = %d, %v; want %d, true", s, ok, step+1)
	}
}

func TestNewTOTPKey(t *testing.T) {
	secret, url, err := NewTOTPKey("Netra", "budi@example.go.id")
	if err != nil {
		t.Fatal(err)
	}
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		t.Fatalf("URL %q does not parse: %v", url, err)
	}
	if key.Type() != "totp" || key.Issuer() != "Netra" || key.AccountName() != "budi@example.go.id" {
		t.Errorf("URL %q: type %q issuer %q account %q", url, key.Type(), key.Issuer(), key.AccountName())
	}
	if key.Period() != 30 || key.Digits() != otp.DigitsSix || key.Algorithm() != otp.AlgorithmSHA1 {
		t.Errorf("URL %q: period %d digits %d algorithm %v; want 30, 6, SHA1", url, key.Period(), key.Digits(), key.Algorithm())
	}
	if key.Secret() != secret || len(secret) != 32 { // 20 bytes in base32
		t.Errorf("secret %q (len %d), URL secret %q", secret, len(secret), key.Secret())
	}
	now := time.Now()
	if _, ok := CheckTOTP(secret, mustCode(t, secret, now), now, 0); !ok {
		t.Error("a fresh key does not accept its own current code")
	}
	other, _, err := NewTOTPKey("Netra", "budi@example.go.id")
	if err != nil || other == secret {
		t.Errorf("second key: %q, %v; want a different secret", other, err)
	}
	for _, args := range [][2]string{{"", "budi"}, {"Netra", ""}} {
		if _, _, err := NewTOTPKey(args[0], args[1]); err == nil {
			t.Errorf("NewTOTPKey(%q, %q) gave no error", args[0], args[1])
		}
	}
}

func TestTOTPQRCodePNG(t *testing.T) {
	_, url, err := NewTOTPKey("Netra", "budi@example.go.id")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{256, 512} {
		b, err := TOTPQRCodePNG(url, size)
		if err != nil {
			t.Fatalf("TOTPQRCodePNG(%d): %v", size, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("size %d: not a PNG: %v", size, err)
		}
		if bo := img.Bounds(); bo.Dx() != size || bo.Dy() != size {
			t.Errorf("size %d: image is %v", size, bo)
		}
		// A QR code is roughly half dark modules; a blank or solid image is not one.
		dark, total := 0, 0
		for y := 0; y < size; y += 4 {
			for x := 0; x < size; x += 4 {
				r, _, _, _ := img.At(x, y).RGBA()
				if r < 0x8000 {
					dark++
				}
				total++
			}
		}
		if frac := float64(dark) / float64(total); frac < 0.15 || frac > 0.7 {
			t.Errorf("size %d: %.0f%% dark pixels, not a plausible QR code", size, 100*frac)
		}
	}
	tests := []struct {
		name string
		url  string
		size int
	}{
		{"empty url", "", 256},
		{"zero size", url, 0},
		{"negative size", url, -4},
		{"huge size", url, 100000},
	}
	for _, tt := range tests {
		if _, err := TOTPQRCodePNG(tt.url, tt.size); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
