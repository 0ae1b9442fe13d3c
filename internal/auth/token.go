package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// recoveryAlphabet leaves out characters people confuse when they copy a
// code from paper: 0/o, 1/l/i.
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// recoveryHalf is the length of each half of a recovery code, xxxx-xxxx:
// 8 characters of 31 give about 40 bits, plenty for a single-use code behind
// sign-in rate limiting, and short enough to type.
const recoveryHalf = 4

// RandomToken returns 32 random bytes encoded as unpadded base64url (43
// characters): a value for session cookies, API tokens and magic links. Store
// only HashToken of it.
func RandomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand aborts the program instead (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of token, the form in which session ids,
// API tokens and magic-link tokens are stored, so that a leaked database does
// not hand out live credentials. A fast hash suffices because the tokens
// carry 256 random bits; it would not do for passwords.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NumericCode returns a uniformly random string of digits decimal digits
// (leading zeros kept), for one-time codes sent by e-mail. It panics if digits
// is below 1, since an empty code would match an empty input.
func NumericCode(digits int) string {
	if digits < 1 {
		panic(fmt.Sprintf("auth.NumericCode: digits %d < 1", digits))
	}
	return randomString(rand.Reader, "0123456789", digits)
}

// ConstantTimeEqual reports whether a and b are equal, taking time that
// depends on their lengths but not on where they differ. Use it to compare
// secrets such as codes and tokens.
func ConstantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// NewRecoveryCodes returns n distinct random recovery codes such as
// "k7m2-9xqp"; n below 1 gives none. Show them to the user once and store
// HashToken(NormalizeRecoveryCode(code)) for each.
func NewRecoveryCodes(n int) []string {
	if n < 1 {
		return nil
	}
	codes := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for len(codes) < n {
		s := randomString(rand.Reader, recoveryAlphabet, 2*recoveryHalf)
		code := s[:recoveryHalf] + "-" + s[recoveryHalf:]
		if seen[code] {
			continue // astronomically rare, but a set must not repeat
		}
		seen[code] = true
		codes = append(codes, code)
	}
	return codes
}

// NormalizeRecoveryCode returns s in the form NewRecoveryCodes produces:
// lower case, without spaces or dashes of any kind, and split 4-4 with a
// hyphen when 8 characters of the code alphabet remain. Anything else comes back cleaned but
// otherwise unchanged, so it simply fails to match a stored code.
func NormalizeRecoveryCode(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			// People retype codes from paper or paste them from documents
			// that have turned the hyphen into a typographic dash.
			return -1
		}
		return r
	}, strings.ToLower(s))
	if len(s) == 2*recoveryHalf && strings.Trim(s, recoveryAlphabet) == "" {
		return s[:recoveryHalf] + "-" + s[recoveryHalf:]
	}
	return s
}

// randomString returns n characters drawn uniformly and independently from
// alphabet (at most 256 characters) using bytes from r. Bytes at or above
// the largest multiple of len(alphabet) are discarded rather than reduced
// modulo, which would favour the first characters. It panics if r fails,
// which crypto/rand.Reader never does.
func randomString(r io.Reader, alphabet string, n int) string {
	k := len(alphabet)
	limit := 256 - 256%k
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8) // a little spare, since some bytes are rejected
	for len(out) < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			panic(fmt.Sprintf("auth: reading random bytes: %v", err))
		}
		for _, b := range buf {
			if int(b) >= limit {
				continue
			}
			out = append(out, alphabet[int(b)%k])
			if len(out) == n {
				break
			}
		}
	}
	return string(out)
}
