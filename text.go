package netra

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxText is the longest free text any way in (page, API, import) accepts
// for a field that has no limit of its own, in bytes.
const MaxText = 10000

// Truncate cuts s to at most n bytes at a character boundary, first
// replacing invalid UTF-8 with U+FFFD, so the result is always valid UTF-8
// that PostgreSQL stores (a byte cut inside a multi-byte character is not),
// with NUL replaced too. It is for text Netra keeps whatever it holds, such
// as the refused cells of an import; input that is stored as given is
// checked with CheckText instead.
func Truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 { // valid UTF-8, but no engine stores it in text
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// CheckText returns a bilingual message for text that no way into Netra
// accepts — invalid UTF-8, a NUL or another control character (tab and
// line breaks only where multiline allows them), more than max bytes (0:
// MaxText) — or nil when the text is fine. The page forms, the JSON API and
// the roster import all call it, so all three refuse the same values.
func CheckText(s string, max int, multiline bool) *Message {
	if max <= 0 {
		max = MaxText
	}
	if !utf8.ValidString(s) {
		m := Msg("Teks berisi karakter yang tidak sah (bukan UTF-8).", "The text holds characters that are not valid UTF-8.")
		return &m
	}
	if len(s) > max {
		m := Msg(fmt.Sprintf("Teks terlalu panjang: paling banyak %d byte.", max), fmt.Sprintf("The text is too long: at most %d bytes.", max))
		return &m
	}
	for _, r := range s {
		if r == '\t' || (multiline && (r == '\n' || r == '\r')) {
			continue
		}
		if unicode.IsControl(r) {
			m := Msg("Teks berisi karakter kendali (misalnya NUL) yang tidak diterima.", "The text holds a control character (such as NUL) that is not accepted.")
			return &m
		}
	}
	return nil
}
