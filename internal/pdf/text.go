package pdf

import (
	"regexp"
	"strconv"
	"strings"
)

// Align is how the lines of a block sit between its edges.
type Align int

// The alignments. AlignJustify stretches every line of a paragraph but its
// last to both edges, as Indonesian official letters set their text.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
	AlignJustify
)

// Color is an RGB colour; the zero value is black.
type Color struct{ R, G, B uint8 }

// Colours used by the ready layouts, for callers that want to match them.
var (
	Black = Color{}
	Gray  = Color{90, 90, 90}
	Green = Color{0, 110, 50}
	Red   = Color{180, 20, 20}
)

// Style is how Text sets its text.
type Style struct {
	Size    float64 // in points; 0 means 11
	Bold    bool
	Align   Align
	Color   Color
	Leading float64 // line height as a multiple of Size; 0 means 1.4
	Indent  float64 // left indent in points
}

func (s Style) norm() Style {
	if s.Size <= 0 {
		s.Size = 11
	}
	if s.Leading <= 0 {
		s.Leading = 1.4
	}
	return s
}

// The sizes of the body text and the spacing between blocks, in points.
const (
	bodySize = 11
	gapAfter = 6
)

// Text sets s in the style st, wrapping it at spaces between the margins
// (a word wider than the line is broken between letters, after a "/" or
// "-" where it can be, as URLs are); "\n" breaks a line. The lines flow onto
// new pages as needed. No space is added after the block.
func (d *Document) Text(s string, st Style) {
	d.endTable()
	st = st.norm()
	f := d.font(st.Bold)
	w := d.Width() - st.Indent
	lh := st.Size * st.Leading
	for _, l := range d.wrap(f, st.Size, w, s) {
		d.ensure(lh)
		d.drawLine(f, st.Size, l, d.m.Left+st.Indent, w, st.Align, d.y+baseline(st.Size, lh), st.Color)
		d.y += lh
	}
}

// Title sets a document title: bold, centred, larger, kept on the page of
// the text that follows it.
func (d *Document) Title(s string) {
	d.headed(s, Style{Size: 14, Bold: true, Align: AlignCenter, Leading: 1.3}, 2)
}

// Subtitle sets a line under a title: centred, regular.
func (d *Document) Subtitle(s string) {
	d.headed(s, Style{Size: bodySize, Align: AlignCenter, Leading: 1.35}, gapAfter)
}

// Heading sets a section heading: bold, left, kept with what follows.
func (d *Document) Heading(s string) {
	d.Space(gapAfter)
	d.headed(s, Style{Size: bodySize, Bold: true, Leading: 1.4}, 2)
}

// headed sets a heading-like block, first making sure it and two lines of
// body text fit on the page.
func (d *Document) headed(s string, st Style, after float64) {
	d.endTable()
	st = st.norm()
	lines := d.wrap(d.font(st.Bold), st.Size, d.Width(), s)
	d.ensure(float64(len(lines))*st.Size*st.Leading + 2*bodySize*1.4)
	d.Text(s, st)
	d.gap(after)
}

// Paragraph sets s as body text, justified, followed by the space that
// separates paragraphs.
func (d *Document) Paragraph(s string) {
	d.Text(s, Style{Size: bodySize, Align: AlignJustify})
	d.gap(gapAfter)
}

// List sets items as a numbered list ("1.", "2." …) with hanging indents,
// justified, followed by paragraph space.
func (d *Document) List(items []string) {
	labels := make([]string, len(items))
	for i := range items {
		labels[i] = strconv.Itoa(i+1) + "."
	}
	d.list(labels, items)
	d.gap(gapAfter)
}

// list sets items, each after its label, with the text aligned after the
// widest label.
func (d *Document) list(labels, items []string) {
	d.endTable()
	f := d.font(false)
	lw := 0.0
	for _, l := range labels {
		lw = max(lw, f.width(l, bodySize))
	}
	indent := lw + 2.5*MM
	w := d.Width() - indent
	lh := bodySize * 1.4
	for i, item := range items {
		for j, l := range d.wrap(f, bodySize, w, item) {
			d.ensure(lh)
			base := d.y + baseline(bodySize, lh)
			if j == 0 {
				d.text(d.m.Left, base, f, bodySize, labels[i], Black)
			}
			d.drawLine(f, bodySize, l, d.m.Left+indent, w, AlignJustify, base, Black)
			d.y += lh
		}
		if i < len(items)-1 {
			d.gap(2)
		}
	}
}

// Body sets a whole text written as plain text, such as a pledge text an
// administrator typed: blank lines separate paragraphs, the lines of a
// paragraph are joined, and a line that begins with a number or a letter
// and "." or ")" ("1. ", "b) ") begins a list item, set with a hanging
// indent under its own label. Paragraphs are justified.
func (d *Document) Body(s string) {
	blocks := parseBody(s)
	for i := 0; i < len(blocks); {
		if blocks[i].label == "" {
			d.Paragraph(blocks[i].text)
			i++
			continue
		}
		var labels, items []string
		for ; i < len(blocks) && blocks[i].label != ""; i++ {
			labels = append(labels, blocks[i].label)
			items = append(items, blocks[i].text)
		}
		d.list(labels, items)
		d.gap(gapAfter)
	}
}

type bodyBlock struct{ label, text string }

var itemStart = regexp.MustCompile(`^\s*([0-9]{1,3}|[a-zA-Z])([.)])\s+(.*)$`)

func parseBody(s string) []bodyBlock {
	var out []bodyBlock
	open := false // the last block takes more lines
	for _, ln := range strings.Split(clean(s), "\n") {
		t := strings.TrimSpace(ln)
		switch m := itemStart.FindStringSubmatch(ln); {
		case t == "":
			open = false
		case m != nil:
			out = append(out, bodyBlock{label: m[1] + m[2], text: strings.TrimSpace(m[3])})
			open = true
		case open:
			out[len(out)-1].text += " " + t
		default:
			out = append(out, bodyBlock{text: t})
			open = true
		}
	}
	return out
}

// Field is one line of a key–value block: "Nama : Siti Aminah".
type Field struct {
	Key, Value string
}

// Fields sets a key–value block: the keys in a column as wide as the
// widest (at most a third of the line), a colon, and the values wrapped in
// the rest. The block is kept on one page when it fits on one.
func (d *Document) Fields(fs []Field) {
	d.endTable()
	f := d.font(false)
	kw := 0.0
	for _, fl := range fs {
		kw = max(kw, f.width(clean(fl.Key), bodySize))
	}
	kw = min(kw, d.Width()/3)
	colon := f.width(":", bodySize)
	vx := kw + 2*MM + colon + 2*MM
	vw := d.Width() - vx
	lh := bodySize * 1.4
	type row struct{ key, val []line }
	rows := make([]row, len(fs))
	total := 0.0
	for i, fl := range fs {
		rows[i] = row{d.wrap(f, bodySize, kw, fl.Key), d.wrap(f, bodySize, vw, fl.Value)}
		total += float64(max(len(rows[i].key), len(rows[i].val))) * lh
	}
	d.ensure(total)
	for _, r := range rows {
		n := max(len(r.key), len(r.val))
		for j := range n {
			d.ensure(lh)
			base := d.y + baseline(bodySize, lh)
			if j < len(r.key) {
				d.text(d.m.Left, base, f, bodySize, r.key[j].text(), Black)
			}
			if j == 0 {
				d.text(d.m.Left+kw+2*MM, base, f, bodySize, ":", Black)
			}
			if j < len(r.val) {
				d.text(d.m.Left+vx, base, f, bodySize, r.val[j].text(), Black)
			}
			d.y += lh
		}
	}
	d.gap(gapAfter)
}

// gap adds space after a block, without starting a page: the next block
// does that if it must.
func (d *Document) gap(h float64) {
	if d.cur != nil && d.y > d.m.Top+0.01 {
		d.y += h
	}
}

// baseline is the offset of the baseline from the top of a line box of
// height lh, centring the font's ascent and descent in it.
func baseline(size, lh float64) float64 {
	const asc, desc = 0.945, 0.211 // of the Go fonts, in em
	return (lh-(asc+desc)*size)/2 + asc*size
}

// line is one line of wrapped text.
type line struct {
	words []string
	width float64 // with one space between words
	last  bool    // ends a paragraph or a forced break: never justified
}

func (l line) text() string { return strings.Join(l.words, " ") }

// wrap breaks s into lines no wider than w at size: at spaces, at "\n",
// and inside a word only when the word alone is wider than the line.
func (d *Document) wrap(f *docFont, size, w float64, s string) []line {
	var out []line
	space := f.width(" ", size)
	for _, para := range strings.Split(clean(s), "\n") {
		var cur line
		flush := func() {
			if len(cur.words) > 0 {
				out = append(out, cur)
			}
			cur = line{}
		}
		words := strings.FieldsFunc(para, func(r rune) bool { return r == ' ' })
		if len(words) == 0 {
			out = append(out, line{last: true})
			continue
		}
		for _, word := range words {
			ww := f.width(word, size)
			if ww > w {
				flush()
				pieces := breakWord(f, size, w, word)
				for _, p := range pieces[:len(pieces)-1] {
					out = append(out, line{words: []string{p}, width: f.width(p, size)})
				}
				word = pieces[len(pieces)-1]
				ww = f.width(word, size)
			}
			switch {
			case len(cur.words) == 0:
				cur = line{words: []string{word}, width: ww}
			case cur.width+space+ww <= w+0.01:
				cur.words = append(cur.words, word)
				cur.width += space + ww
			default:
				flush()
				cur = line{words: []string{word}, width: ww}
			}
		}
		cur.last = true
		flush()
	}
	return out
}

// breakWord cuts a word wider than w into pieces that fit, preferring to
// cut after a "/" (then after "?", "&", "=", "_" or ".") in the second half
// of a piece, as URLs are broken. A piece never ends with "-": text
// extraction takes a hyphen at the end of a line for a hyphenation and
// drops it.
func breakWord(f *docFont, size, w float64, word string) []string {
	var out []string
	rs := []rune(word)
	for len(rs) > 0 {
		n, x, slash, other := 0, 0.0, 0, 0
		for n < len(rs) {
			cw := f.width(string(rs[n]), size)
			if x+cw > w && n > 0 {
				break
			}
			x += cw
			n++
			if x > w/2 {
				switch rs[n-1] {
				case '/':
					slash = n
				case '?', '&', '=', '_', '.':
					other = n
				}
			}
		}
		if n < len(rs) {
			switch {
			case slash > 0:
				n = slash
			case other > 0:
				n = other
			}
			for n > 1 && rs[n-1] == '-' {
				n--
			}
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	return out
}

// drawLine draws a wrapped line at baseline base between x and x+w.
func (d *Document) drawLine(f *docFont, size float64, l line, x, w float64, a Align, base float64, c Color) {
	switch a {
	case AlignCenter:
		x += (w - l.width) / 2
	case AlignRight:
		x += w - l.width
	case AlignJustify:
		if !l.last && len(l.words) > 1 && w > l.width {
			d.justified(x, base, f, size, l.words, (w-l.width)/float64(len(l.words)-1), c)
			return
		}
	}
	d.text(x, base, f, size, l.text(), c)
}

// text draws s with its left end at x on baseline base.
func (d *Document) text(x, base float64, f *docFont, size float64, s string, c Color) {
	if s == "" {
		return
	}
	d.begin()
	b := d.tmp[:0]
	b = append(b, "BT "...)
	b = appendColor(b, c, "rg")
	b = append(b, " /"...)
	b = append(b, f.res...)
	b = append(b, ' ')
	b = append(b, num(size)...)
	b = append(b, " Tf 1 0 0 1 "...)
	b = append(b, num(x)...)
	b = append(b, ' ')
	b = append(b, num(d.ph-base)...)
	b = append(b, " Tm "...)
	b = f.hex(b, s)
	b = append(b, " Tj ET\n"...)
	d.cur.Write(b)
	d.tmp = b
}

// justified draws words spread so that each gap is extra points wider than
// a space. The spaces stay in the text, so it extracts with single spaces.
func (d *Document) justified(x, base float64, f *docFont, size float64, words []string, extra float64, c Color) {
	d.begin()
	adj := num(-extra * 1000 / size)
	b := d.tmp[:0]
	b = append(b, "BT "...)
	b = appendColor(b, c, "rg")
	b = append(b, " /"...)
	b = append(b, f.res...)
	b = append(b, ' ')
	b = append(b, num(size)...)
	b = append(b, " Tf 1 0 0 1 "...)
	b = append(b, num(x)...)
	b = append(b, ' ')
	b = append(b, num(d.ph-base)...)
	b = append(b, " Tm ["...)
	for i, w := range words {
		if i < len(words)-1 {
			w += " "
		}
		b = f.hex(b, w)
		if i < len(words)-1 {
			b = append(b, ' ')
			b = append(b, adj...)
			b = append(b, ' ')
		}
	}
	b = append(b, "] TJ ET\n"...)
	d.cur.Write(b)
	d.tmp = b
}

// line strokes a line from (x1, y1) to (x2, y2).
func (d *Document) line(x1, y1, x2, y2, width float64, c Color) {
	d.begin()
	b := d.tmp[:0]
	b = append(b, num(width)...)
	b = append(b, " w "...)
	b = appendColor(b, c, "RG")
	b = append(b, ' ')
	b = append(b, num(x1)...)
	b = append(b, ' ')
	b = append(b, num(d.ph-y1)...)
	b = append(b, " m "...)
	b = append(b, num(x2)...)
	b = append(b, ' ')
	b = append(b, num(d.ph-y2)...)
	b = append(b, " l S\n"...)
	d.cur.Write(b)
	d.tmp = b
}

// rect fills a rectangle whose top left corner is (x, y).
func (d *Document) rect(x, y, w, h float64, c Color) {
	d.begin()
	b := d.tmp[:0]
	b = appendColor(b, c, "rg")
	b = append(b, ' ')
	b = appendRect(b, x, d.ph-y-h, w, h)
	b = append(b, " f\n"...)
	d.cur.Write(b)
	d.tmp = b
}

// box strokes the outline of a rectangle whose top left corner is (x, y).
func (d *Document) box(x, y, w, h, width float64, c Color) {
	d.begin()
	b := d.tmp[:0]
	b = append(b, num(width)...)
	b = append(b, " w "...)
	b = appendColor(b, c, "RG")
	b = append(b, ' ')
	b = appendRect(b, x, d.ph-y-h, w, h)
	b = append(b, " S\n"...)
	d.cur.Write(b)
	d.tmp = b
}

func appendRect(b []byte, x, y, w, h float64) []byte {
	b = append(b, num(x)...)
	b = append(b, ' ')
	b = append(b, num(y)...)
	b = append(b, ' ')
	b = append(b, num(w)...)
	b = append(b, ' ')
	b = append(b, num(h)...)
	return append(b, " re"...)
}

func appendColor(b []byte, c Color, op string) []byte {
	ch := func(v uint8) string { return num(float64(v) / 255) }
	if c.R == c.G && c.G == c.B { // grey: "g" or "G"
		b = append(b, ch(c.R)...)
		b = append(b, ' ')
		return append(b, op[1:]...)
	}
	b = append(b, ch(c.R)...)
	b = append(b, ' ')
	b = append(b, ch(c.G)...)
	b = append(b, ' ')
	b = append(b, ch(c.B)...)
	b = append(b, ' ')
	return append(b, op...)
}
