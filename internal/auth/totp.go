package auth

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
	"github.com/skip2/go-qrcode"
)

// TOTP settings: the RFC 6238 defaults, and the only ones every authenticator
// app (Google Authenticator among them) honours; several ignore the algorithm
// and digits parameters in the URL and silently show wrong codes.
const (
	totpPeriod = 30 // seconds
	totpDigits = otp.DigitsSix
	totpSkew   = 1 // steps accepted either side of now, for clock drift and typing time
)

// maxQRSize bounds TOTPQRCodePNG so a size taken from a request cannot make
// us allocate a huge image.
const maxQRSize = 2048

// NewTOTPKey returns a new random TOTP secret (base32, 160 bits) for account
// at issuer, and the otpauth:// URL an authenticator app enrols from (usually
// shown as a QR code). Both issuer and account are required; the secret is
// what the store keeps.
func NewTOTPKey(issuer, account string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		Digits:      totpDigits,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", fmt.Errorf("generate TOTP key: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// TOTPQRCodePNG renders url (normally from NewTOTPKey) as a QR code PNG of
// size×size pixels with medium error correction. The image grows to the
// smallest size that still has one pixel per module if size is smaller;
// size must be in 1..2048.
func TOTPQRCodePNG(url string, size int) ([]byte, error) {
	if url == "" {
		return nil, errors.New("QR code: empty URL")
	}
	if size < 1 || size > maxQRSize {
		return nil, fmt.Errorf("QR code: size %d outside 1..%d", size, maxQRSize)
	}
	png, err := qrcode.Encode(url, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	return png, nil
}

// TOTPCode returns the code for secret at time t, as an authenticator app
// would show it. Netra itself only checks codes; this is for tests and demos.
func TOTPCode(secret string, t time.Time) (string, error) {
	code, err := stepCode(secret, totpStep(t))
	if err != nil {
		return "", fmt.Errorf("TOTP code: %w", err)
	}
	return code, nil
}

// CheckTOTP reports whether code is valid for secret at now, allowing one
// step of clock skew either way. Spaces in code are ignored ("123 456").
// To stop a code being used twice, steps at or before lastStep are refused:
// on success the caller must store the returned step and pass it as lastStep
// next time (0 for a factor never used). A malformed secret or code is
// simply not valid.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, code)
	if len(code) != totpDigits.Length() || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	cur := totpStep(now)
	// Check every candidate step, not the first match, so the time taken does
	// not tell an attacker which step (if any) the code belonged to.
	var found int64
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		if s <= lastStep || s < 1 { // step 0 is 1970, and 0 means "none found"
			continue
		}
		want, err := stepCode(secret, s)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && found == 0 {
			found = s
		}
	}
	return found, found != 0
}

// totpStep is the RFC 6238 time step number of t.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// stepCode is the code for one step. An empty secret is refused here because
// it decodes to an empty HMAC key, whose codes anyone can compute.
func stepCode(secret string, step int64) (string, error) {
	if strings.TrimSpace(secret) == "" {
		return "", errors.New("empty secret")
	}
	return hotp.GenerateCodeCustom(secret, uint64(step), hotp.ValidateOpts{
		Digits:    totpDigits,
		Algorithm: otp.AlgorithmSHA1,
	})
}
