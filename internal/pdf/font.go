package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// face is one parsed TrueType font, shared read-only by every document.
type face struct {
	name      string // PostScript name
	ttf       []byte
	sf        *sfnt.Font
	upm       int
	ascent    int // in 1/1000 em, as PDF font descriptors want
	descent   int
	capHeight int
	bbox      [4]int
	bold      bool
}

// The two faces every document can use: the Go fonts (BSD licence, part of
// golang.org/x/image), which cover Latin-1 and Latin Extended-A, so the
// diacritics of Indonesian names, typographic quotes and dashes. Parsing
// them once per process is a cache of constant data, not state.
var faces = sync.OnceValues(func() ([2]*face, error) {
	var out [2]*face
	for i, src := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := parseFace(src, i == 1)
		if err != nil {
			return out, err
		}
		out[i] = f
	}
	return out, nil
})

func parseFace(ttf []byte, bold bool) (*face, error) {
	sf, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("pdf: parse font: %w", err)
	}
	var buf sfnt.Buffer
	upm := int(sf.UnitsPerEm())
	ppem := fixed.I(upm) // one pixel per font unit
	name, err := sf.Name(&buf, sfnt.NameIDPostScript)
	if err != nil {
		return nil, fmt.Errorf("pdf: font name: %w", err)
	}
	m, err := sf.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("pdf: font metrics: %w", err)
	}
	b, err := sf.Bounds(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("pdf: font bounds: %w", err)
	}
	k := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64 * 1000 / float64(upm))) }
	f := &face{
		name: name, ttf: ttf, sf: sf, upm: upm, bold: bold,
		ascent: k(m.Ascent), descent: -k(m.Descent), capHeight: k(m.CapHeight),
		// sfnt's y axis points down; PDF's points up.
		bbox: [4]int{k(b.Min.X), -k(b.Max.Y), k(b.Max.X), -k(b.Min.Y)},
	}
	if f.capHeight == 0 {
		f.capHeight = f.ascent
	}
	return f, nil
}

// glyph is a glyph as a document uses it: its id in the font and its
// advance in 1/1000 em, rounded as the PDF's width array says, so that what
// the layout measures is exactly what a viewer draws.
type glyph struct {
	id  uint16
	adv int
	r   rune // the text the glyph stands for (the base letter of a fallback)
}

// docFont is one face as used by one document: the glyphs looked up so far
// and the ones drawn, which are all the document embeds.
type docFont struct {
	face  *face
	res   string // resource name, "F1"
	cache map[rune]glyph
	used  map[uint16]glyph // the glyphs drawn, for the widths, ToUnicode and the subset
	buf   sfnt.Buffer
}

func newDocFont(f *face, res string) *docFont {
	return &docFont{face: f, res: res, cache: make(map[rune]glyph), used: make(map[uint16]glyph)}
}

// lookup returns the glyph for r. A rune the font lacks falls back to its
// base letter ("ệ" → "e") and then to "?", so a name is never silently
// shortened.
func (f *docFont) lookup(r rune) glyph {
	if g, ok := f.cache[r]; ok {
		return g
	}
	g, ok := f.find(r)
	if !ok {
		if d := []rune(norm.NFD.String(string(r))); len(d) > 1 {
			g, ok = f.find(d[0])
		}
	}
	if !ok {
		g, _ = f.find('?')
	}
	f.cache[r] = g
	return g
}

func (f *docFont) find(r rune) (glyph, bool) {
	id, err := f.face.sf.GlyphIndex(&f.buf, r)
	if err != nil || id == 0 {
		return glyph{}, false
	}
	adv, err := f.face.sf.GlyphAdvance(&f.buf, id, fixed.I(f.face.upm), font.HintingNone)
	if err != nil {
		return glyph{}, false
	}
	return glyph{id: uint16(id), adv: int(math.Round(float64(adv) / 64 * 1000 / float64(f.face.upm))), r: r}, true
}

// width returns the width of s in points at size.
func (f *docFont) width(s string, size float64) float64 {
	n := 0
	for _, r := range s {
		n += f.lookup(r).adv
	}
	return float64(n) * size / 1000
}

// hex appends s as a hexadecimal string of two-byte glyph ids (Identity-H)
// and marks the glyphs used.
func (f *docFont) hex(dst []byte, s string) []byte {
	const digits = "0123456789ABCDEF"
	dst = append(dst, '<')
	for _, r := range s {
		g := f.lookup(r)
		f.used[g.id] = g
		dst = append(dst, digits[g.id>>12], digits[g.id>>8&15], digits[g.id>>4&15], digits[g.id&15])
	}
	return append(dst, '>')
}

// clean prepares text for drawing: composed (NFC, so "e" + combining acute
// becomes the one glyph "é"), tabs as spaces, other control characters
// dropped, line ends as "\n".
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = norm.NFC.String(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r) || r == '\u00ad' || r == '\ufeff':
			return -1
		}
		return r
	}, s)
}

// write embeds the font: a Type0 font with an Identity-H encoding over a
// CIDFontType2 whose glyph ids are the TrueType ones, the widths of the glyphs
// used, a ToUnicode map so text extracts as typed, and a subset of the
// TrueType file holding only the glyphs used.
func (f *docFont) write(d *Document, id int) {
	gids := make([]int, 0, len(f.used)+1)
	for g := range f.used {
		gids = append(gids, int(g))
	}
	sort.Ints(gids)
	sub, err := subset(f.face.ttf, gids)
	if err != nil {
		d.fail(err)
		return
	}
	tag := subsetTag(f.face.name, gids)
	cid, desc, file, toU := d.newID(), d.newID(), d.newID(), d.newID()
	d.object(id, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		tag, cid, toU))

	var w strings.Builder
	w.WriteString("[")
	for i := 0; i < len(gids); {
		j := i
		for j+1 < len(gids) && gids[j+1] == gids[j]+1 {
			j++
		}
		fmt.Fprintf(&w, " %d [", gids[i])
		for k := i; k <= j; k++ {
			fmt.Fprintf(&w, " %d", f.used[uint16(gids[k])].adv)
		}
		w.WriteString(" ]")
		i = j + 1
	}
	w.WriteString(" ]")
	d.object(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W %s /CIDToGIDMap /Identity >>",
		tag, desc, w.String()))

	flags := 32 // nonsymbolic
	stemV := 80
	if f.face.bold {
		flags |= 1 << 18 // force bold
		stemV = 140
	}
	b := f.face.bbox
	d.object(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
		tag, flags, b[0], b[1], b[2], b[3], f.face.ascent, f.face.descent, f.face.capHeight, stemV, file))
	d.stream(file, fmt.Sprintf("/Length1 %d", len(sub)), sub)
	d.stream(toU, "", f.toUnicode(gids))
}

// toUnicode is the CMap that maps each glyph drawn back to its text.
func (f *docFont) toUnicode(gids []int) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for chunk := range slices.Chunk(gids, 100) { // at most 100 entries per section
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, u := range utf16Units(f.used[uint16(g)].r) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

func utf16Units(r rune) []uint16 {
	if r < 0x10000 {
		return []uint16{uint16(r)}
	}
	r -= 0x10000
	return []uint16{uint16(0xD800 + r>>10), uint16(0xDC00 + r&0x3FF)}
}

// subsetTag is the six capital letters a subset font's name must begin
// with, derived from the glyphs kept so the same text gives the same name.
func subsetTag(name string, gids []int) string {
	h := sha256.New()
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag) + "+" + name
}

// subset returns a copy of the TrueType file ttf in which every glyph not
// in keep (nor a component of one in keep, nor glyph 0) is empty. Glyph ids
// stay as they are, so the PDF can map them with /Identity. Only the tables a
// PDF reader needs are kept.
func subset(ttf []byte, keep []int) ([]byte, error) {
	type table struct {
		tag  string
		data []byte
	}
	bad := errors.New("pdf: malformed font")
	if len(ttf) < 12 {
		return nil, bad
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	tables := map[string][]byte{}
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, bad
		}
		off := int(binary.BigEndian.Uint32(ttf[rec+8:]))
		ln := int(binary.BigEndian.Uint32(ttf[rec+12:]))
		if off < 0 || ln < 0 || off+ln > len(ttf) {
			return nil, bad
		}
		tables[string(ttf[rec:rec+4])] = ttf[off : off+ln]
	}
	head, maxp, loca, glyf := tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, bad
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offset := func(g int) (int, bool) {
		if long {
			if 4*g+4 > len(loca) {
				return 0, false
			}
			return int(binary.BigEndian.Uint32(loca[4*g:])), true
		}
		if 2*g+2 > len(loca) {
			return 0, false
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*g:])), true
	}
	glyphData := func(g int) ([]byte, error) {
		a, ok1 := offset(g)
		b, ok2 := offset(g + 1)
		if !ok1 || !ok2 || a > b || b > len(glyf) {
			return nil, bad
		}
		return glyf[a:b], nil
	}

	// Keep glyph 0 (.notdef) and the components of composite glyphs.
	kept := make([]bool, numGlyphs)
	todo := append([]int{0}, keep...)
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if g < 0 || g >= numGlyphs || kept[g] {
			continue
		}
		kept[g] = true
		data, err := glyphData(g)
		if err != nil {
			return nil, err
		}
		if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
			continue
		}
		for p := 10; p+4 <= len(data); {
			flags := binary.BigEndian.Uint16(data[p:])
			todo = append(todo, int(binary.BigEndian.Uint16(data[p+2:])))
			p += 4
			if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x0008 != 0: // WE_HAVE_A_SCALE
				p += 2
			case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
				p += 4
			case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
				p += 8
			}
			if flags&0x0020 == 0 { // MORE_COMPONENTS
				break
			}
		}
	}

	var newGlyf []byte
	newLoca := make([]byte, 4*(numGlyphs+1))
	for g := range numGlyphs {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if kept[g] {
			data, err := glyphData(g)
			if err != nil {
				return nil, err
			}
			newGlyf = append(newGlyf, data...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*numGlyphs:], uint32(len(newGlyf)))
	newHead := bytes.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long loca offsets
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below
	tables["head"], tables["loca"], tables["glyf"] = newHead, newLoca, newGlyf

	var out []table
	for _, tag := range []string{"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "prep"} {
		if data, ok := tables[tag]; ok {
			out = append(out, table{tag, data})
		}
	}
	var b bytes.Buffer
	nt := len(out)
	es := 0
	for 1<<(es+1) <= nt {
		es++
	}
	hdr := make([]byte, 12)
	copy(hdr, ttf[:4])
	binary.BigEndian.PutUint16(hdr[4:], uint16(nt))
	binary.BigEndian.PutUint16(hdr[6:], uint16(16<<es))
	binary.BigEndian.PutUint16(hdr[8:], uint16(es))
	binary.BigEndian.PutUint16(hdr[10:], uint16(nt*16-16<<es))
	b.Write(hdr)
	off := 12 + 16*nt
	dir := make([]byte, 16*nt)
	headAt := 0
	for i, t := range out {
		rec := dir[16*i:]
		copy(rec, t.tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(t.data))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.data)))
		if t.tag == "head" {
			headAt = off
		}
		off += (len(t.data) + 3) &^ 3
	}
	b.Write(dir)
	for _, t := range out {
		b.Write(t.data)
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	font := b.Bytes()
	binary.BigEndian.PutUint32(font[headAt+8:], 0xB1B0AFBA-checksum(font))
	return font, nil
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
