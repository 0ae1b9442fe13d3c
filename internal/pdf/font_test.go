package pdf

import (
	"io"
	"strings"
	"testing"
)

// Indonesian text and names, with the typographic marks of a typed
// letter, have glyphs of their own; what the fonts lack falls back to the
// base letter or "?", never to nothing.
func TestGlyphs(t *testing.T) {
	fs, err := faces()
	if err != nil {
		t.Fatal(err)
	}
	for _, face := range fs {
		f := newDocFont(face, "F1")
		for _, r := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,;:!?()[]/-–—“”‘’'\"…·•%&@éèêëÉÈáàâäñÑçöüïíóúÅåøæœšžčćđĐŁł€" {
			if g := f.lookup(r); g.r != r || g.id == 0 {
				t.Errorf("%s: %q has no glyph of its own (got %q)", face.name, r, g.r)
			}
		}
		for r, want := range map[rune]rune{'ệ': 'e', 'ở': 'o', '✓': '?', '中': '?'} {
			if g := f.lookup(r); g.r != want {
				t.Errorf("%s: %q falls back to %q, want %q", face.name, r, g.r, want)
			}
		}
	}
	// A name typed with a combining accent is composed first.
	if got := clean("Andre\u0301"); got != "André" {
		t.Errorf("clean gives %q", got)
	}
}

func TestWrap(t *testing.T) {
	d, err := New(io.Discard, Options{Created: SampleTime})
	if err != nil {
		t.Fatal(err)
	}
	f := d.font(false)
	text := "Menjaga dan menegakkan netralitas Aparatur Sipil Negara sebelum, selama, dan sesudah pemilihan."
	lines := d.wrap(f, 11, 150, text)
	if len(lines) < 3 {
		t.Fatalf("%d lines", len(lines))
	}
	var words []string
	for i, l := range lines {
		if l.width > 150 {
			t.Errorf("line %q is %.1f wide", l.text(), l.width)
		}
		if i < len(lines)-1 {
			next := f.width(lines[i+1].words[0], 11)
			if l.width+f.width(" ", 11)+next <= 150 {
				t.Errorf("line %q could have taken %q", l.text(), lines[i+1].words[0])
			}
		}
		if l.last != (i == len(lines)-1) {
			t.Errorf("line %d: last = %v", i, l.last)
		}
		words = append(words, l.words...)
	}
	if strings.Join(words, " ") != text {
		t.Errorf("the words changed: %q", strings.Join(words, " "))
	}
	// A word wider than the line breaks, after a slash where it can.
	url := "https://netra.example/verifikasi/7KQ2-M9XA-4TDE/sertifikat"
	lines = d.wrap(f, 11, 120, url)
	joined := ""
	for _, l := range lines {
		if l.width > 120 {
			t.Errorf("piece %q is %.1f wide", l.text(), l.width)
		}
		joined += l.text()
	}
	if joined != url || len(lines) < 2 || !strings.HasSuffix(lines[0].text(), "/") {
		t.Errorf("the URL broke into %v", lines)
	}
	// Forced breaks and blank lines stay.
	if got := len(d.wrap(f, 11, 400, "a\n\nb")); got != 3 {
		t.Errorf("\"a\\n\\nb\" gives %d lines", got)
	}
}

func TestParseBody(t *testing.T) {
	got := parseBody("Kami menyatakan:\nsatu baris lagi\n\n1. Satu\n   lanjutan\n2) Dua\na. Huruf\n\nPenutup.")
	want := []bodyBlock{
		{"", "Kami menyatakan: satu baris lagi"},
		{"1.", "Satu lanjutan"},
		{"2)", "Dua"},
		{"a.", "Huruf"},
		{"", "Penutup."},
	}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d: %q, want %q", i, got[i], want[i])
		}
	}
}

// The subset keeps the glyphs drawn (and glyph 0) and empties the others,
// keeping their numbers; what it makes parses as a font.
func TestSubset(t *testing.T) {
	fs, _ := faces()
	f := newDocFont(fs[0], "F1")
	var ids []int
	for _, r := range "Netra é" {
		ids = append(ids, int(f.lookup(r).id))
	}
	sub, err := subset(fs[0].ttf, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) > len(fs[0].ttf)/4 {
		t.Errorf("the subset is %d bytes of %d", len(sub), len(fs[0].ttf))
	}
	p, err := parseFace(sub, false)
	if err != nil {
		t.Fatal(err)
	}
	g := newDocFont(p, "F1")
	for _, r := range "Netra é" {
		if a, b := f.lookup(r), g.lookup(r); a != b {
			t.Errorf("%q: %+v in the subset, %+v in the font", r, b, a)
		}
	}
	if _, err := subset(fs[0].ttf[:100], ids); err == nil {
		t.Error("a cut font was subset")
	}
}
