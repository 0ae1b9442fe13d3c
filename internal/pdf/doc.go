// Package pdf writes Netra's printable documents: pledge certificates,
// circular and coverage reports, readiness reports and case letters. It is
// a small PDF writer of its own, made for one job: A4 pages of Indonesian
// text with a letterhead (kop surat), tables that flow over hundreds of
// pages, a signature block and a QR code, with text that extracts exactly
// as typed (pdftotext) and bytes that are the same for the same input.
//
// A Document streams: each page is compressed and written to the
// io.Writer as soon as the next begins, so memory stays the same whether a
// table has 30 rows or 100,000. Only the page footers ("Halaman 3 dari
// 250") wait for Close, as small content streams appended to each page,
// because the page count is known only then.
//
// Coordinates are points (1/72 inch) from the top left corner of the page;
// MM converts millimetres. Fonts are the Go fonts (golang.org/x/image,
// BSD licence), regular and bold, embedded as subsets.
//
// Certificate and Report are ready layouts on top of the blocks; Sniff
// tells whether uploaded bytes are a PDF.
package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// MM is one millimetre in points.
const MM = 72 / 25.4

// The A4 page, portrait, in points.
const (
	A4Width  = 210 * MM
	A4Height = 297 * MM
)

// Margins are the distances from the page edges to the text, in points.
// The footer sits inside the bottom margin.
type Margins struct {
	Top, Right, Bottom, Left float64
}

// DefaultMargins are those of an Indonesian official letter (naskah
// dinas): 25 mm on the binding side, 20 mm on the right, with room for the
// footer at the bottom.
var DefaultMargins = Margins{Top: 15 * MM, Right: 20 * MM, Bottom: 22 * MM, Left: 25 * MM}

// Options describe a document as a whole.
type Options struct {
	// Created is when the document was made: it is printed in every footer
	// ("Dibuat 13 Juli 2024 pukul 10.00 WIB", in Created's time zone) and
	// recorded as the PDF's creation date. It is required: the package
	// never reads the clock, so the same input gives the same bytes.
	Created time.Time
	// Landscape turns the pages for wide tables.
	Landscape bool
	// Margins; the zero value means DefaultMargins.
	Margins Margins
	// Title, Author and Subject go into the document information that
	// viewers show (Title in the window title). Optional.
	Title, Author, Subject string
	// Code is a verification code printed in every footer
	// ("Kode verifikasi …"). Optional.
	Code string
	// FooterNote is an extra line in every footer (e.g. the issuing
	// system and its address). Optional.
	FooterNote string
	// Attachments are files embedded in the document (see Attachment).
	Attachments []Attachment
}

// Document is a PDF being written to an io.Writer, page by page. Blocks
// (Title, Paragraph, Table…) flow down the page and start a new one when
// they do not fit. Methods do not return errors: the first error (of the
// writer, of an image) is kept, later calls do nothing, and Err and Close
// return it. A Document is not safe for concurrent use.
type Document struct {
	out     *output
	o       Options
	pw, ph  float64 // page size
	m       Margins
	offsets []int64 // by object id; 0 unused, -1 reserved but not written yet
	pages   []pageRef
	cur     *bytes.Buffer // content of the open page, nil before the first
	annots  []annot       // links of the open page
	y       float64       // top of the free space on the open page
	fonts   [2]*docFont   // regular, bold; created when first drawn
	fontIDs [2]int
	images  []imageRef
	table   *Table // the open table, whose header repeats on a new page
	err     error
	closed  bool
	zbuf    bytes.Buffer
	zw      *zlib.Writer
	tmp     []byte
}

type pageRef struct{ content, page, footer int }

type annot struct {
	x, y, w, h float64
	uri        string
}

type imageRef struct {
	name string
	id   int
}

// Fixed object numbers; the rest are given out in order of use.
const (
	catalogID = 1 + iota
	pagesID
	resourcesID
	infoID
)

// New starts a document that will be written to w. Nothing is written
// before the first page is finished.
func New(w io.Writer, o Options) (*Document, error) {
	if o.Created.IsZero() {
		return nil, errors.New("pdf: Options.Created is required (the package never reads the clock)")
	}
	if _, err := faces(); err != nil {
		return nil, err
	}
	if o.Margins == (Margins{}) {
		o.Margins = DefaultMargins
	}
	d := &Document{
		out: &output{w: bufio.NewWriterSize(w, 64<<10), h: sha256.New()},
		o:   o, pw: A4Width, ph: A4Height, m: o.Margins,
		offsets: make([]int64, infoID+1),
	}
	for i := range d.offsets {
		d.offsets[i] = -1
	}
	d.offsets[0] = 0
	if o.Landscape {
		d.pw, d.ph = d.ph, d.pw
	}
	d.zw = zlib.NewWriter(&d.zbuf)
	d.out.writeString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return d, nil
}

// Err returns the first error met, if any.
func (d *Document) Err() error {
	if d.err == nil {
		d.err = d.out.err
	}
	return d.err
}

func (d *Document) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// Width is the width of the text area, between the left and right margins.
func (d *Document) Width() float64 { return d.pw - d.m.Left - d.m.Right }

// Remaining is the height left on the current page above the bottom
// margin (the full text height before the first page begins).
func (d *Document) Remaining() float64 {
	if d.cur == nil {
		return d.ph - d.m.Top - d.m.Bottom
	}
	return d.ph - d.m.Bottom - d.y
}

// PageCount is the number of pages begun so far.
func (d *Document) PageCount() int { return len(d.pages) }

// PageBreak ends the current page; the next block begins a new one.
func (d *Document) PageBreak() {
	d.endTable()
	d.begin()
	d.newPage()
}

// Space leaves h points of vertical space (none at the top of a page).
func (d *Document) Space(h float64) {
	d.begin()
	if d.y <= d.m.Top {
		return
	}
	if d.y+h > d.ph-d.m.Bottom {
		d.newPage()
		return
	}
	d.y += h
}

// begin opens the first page if none is open.
func (d *Document) begin() {
	if d.cur == nil {
		d.newPage()
	}
}

// ensure starts a new page unless h points fit on this one; it reports
// whether it did. A block taller than a page is begun at the top of one.
func (d *Document) ensure(h float64) bool {
	d.begin()
	if d.y+h <= d.ph-d.m.Bottom+0.01 || d.y <= d.m.Top+0.01 {
		return false
	}
	d.newPage()
	return true
}

func (d *Document) newPage() {
	if d.Err() != nil {
		if d.cur == nil {
			d.cur = new(bytes.Buffer)
		}
		d.cur.Reset()
		d.y = d.m.Top
		return
	}
	if d.cur != nil {
		d.finishPage()
	} else {
		d.cur = new(bytes.Buffer)
	}
	d.pages = append(d.pages, pageRef{content: d.newID(), page: d.newID(), footer: d.newID()})
	d.y = d.m.Top
}

// finishPage writes the open page: its content, its links and the page
// object; the footer, written at Close, is the page's second content stream.
func (d *Document) finishPage() {
	p := d.pages[len(d.pages)-1]
	d.stream(p.content, "", d.cur.Bytes())
	d.cur.Reset()
	var annots strings.Builder
	for _, a := range d.annots {
		id := d.newID()
		fmt.Fprintf(&annots, " %d 0 R", id)
		d.object(id, fmt.Sprintf("<< /Type /Annot /Subtype /Link /Rect [%s %s %s %s] /Border [0 0 0] /A << /S /URI /URI %s >> >>",
			num(a.x), num(d.ph-a.y-a.h), num(a.x+a.w), num(d.ph-a.y), literal(a.uri)))
	}
	d.annots = d.annots[:0]
	dict := fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R /Contents [%d 0 R %d 0 R]",
		pagesID, num(d.pw), num(d.ph), resourcesID, p.content, p.footer)
	if annots.Len() > 0 {
		dict += " /Annots [" + annots.String()[1:] + "]"
	}
	d.object(p.page, dict+" >>")
}

// Close finishes the document: the last page, the footers with the page
// count, the fonts, and the cross-reference table. It returns the first
// error met while writing. A document with no content gets one empty page.
func (d *Document) Close() error {
	if d.closed {
		return d.Err()
	}
	d.closed = true
	d.endTable()
	d.begin()
	if d.Err() != nil {
		return d.err
	}
	d.finishPage()
	for i, p := range d.pages {
		d.cur.Reset()
		d.footer(i+1, len(d.pages))
		d.stream(p.footer, "", d.cur.Bytes())
	}

	var res strings.Builder
	res.WriteString("<< /ProcSet [/PDF /Text /ImageB /ImageC] /Font <<")
	for i, f := range d.fonts {
		if f != nil {
			fmt.Fprintf(&res, " /%s %d 0 R", f.res, d.fontIDs[i])
			f.write(d, d.fontIDs[i])
		}
	}
	res.WriteString(" >>")
	if len(d.images) > 0 {
		res.WriteString(" /XObject <<")
		for _, im := range d.images {
			fmt.Fprintf(&res, " /%s %d 0 R", im.name, im.id)
		}
		res.WriteString(" >>")
	}
	res.WriteString(" >>")
	d.object(resourcesID, res.String())

	var kids strings.Builder
	for _, p := range d.pages {
		fmt.Fprintf(&kids, " %d 0 R", p.page)
	}
	d.object(pagesID, fmt.Sprintf("<< /Type /Pages /Kids [%s ] /Count %d >>", kids.String(), len(d.pages)))

	info := "<< /Producer (Netra) /Creator (Netra)"
	for _, kv := range [][2]string{{"Title", d.o.Title}, {"Author", d.o.Author}, {"Subject", d.o.Subject}} {
		if kv[1] != "" {
			info += " /" + kv[0] + " " + textString(kv[1])
		}
	}
	date := pdfDate(d.o.Created)
	info += " /CreationDate " + date + " /ModDate " + date + " >>"
	d.object(infoID, info)
	files := d.writeAttachments()
	d.object(catalogID, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /Lang (id-ID) /ViewerPreferences << /DisplayDocTitle true >>%s >>", pagesID, files))

	if d.Err() != nil {
		return d.err
	}
	xref := d.out.n
	// The file identifier is a digest of everything before it: the same
	// content gives the same identifier, as the whole file must.
	sum := d.out.h.Sum(nil)
	var b strings.Builder
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(d.offsets))
	for _, off := range d.offsets[1:] {
		if off < 0 {
			b.WriteString("0000000000 65535 f \n")
			continue
		}
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(d.offsets), catalogID, infoID, sum[:16], sum[:16], xref)
	d.out.writeString(b.String())
	if err := d.out.w.Flush(); err != nil {
		d.fail(err)
	}
	return d.Err()
}

// footer draws the footer of page n of total into d.cur: a rule, the
// creation time and code on the left, "Halaman n dari total" on the right.
func (d *Document) footer(n, total int) {
	f := d.font(false)
	const size = 8
	gray := Color{90, 90, 90}
	top := d.ph - d.m.Bottom + 4*MM
	d.line(d.m.Left, top, d.pw-d.m.Right, top, 0.5, Color{150, 150, 150})
	right := "Halaman " + strconv.Itoa(n) + " dari " + strconv.Itoa(total)
	rw := f.width(right, size)
	left := "Dibuat " + DateTime(d.o.Created)
	if d.o.Code != "" {
		left += " · Kode verifikasi " + d.o.Code
	}
	lines := d.wrap(f, size, d.Width()-rw-6*MM, left)
	if d.o.FooterNote != "" {
		lines = append(lines, d.wrap(f, size, d.Width()-rw-6*MM, d.o.FooterNote)...)
	}
	base := top + 3.5*MM
	d.text(d.pw-d.m.Right-rw, base, f, size, right, gray)
	for _, l := range lines {
		d.text(d.m.Left, base, f, size, l.text(), gray)
		base += size * 1.3
	}
}

// font returns the regular or bold font, adding it to the document the
// first time.
func (d *Document) font(bold bool) *docFont {
	i := 0
	if bold {
		i = 1
	}
	if d.fonts[i] == nil {
		fs, _ := faces() // New checked the error
		d.fonts[i] = newDocFont(fs[i], "F"+strconv.Itoa(i+1))
		d.fontIDs[i] = d.newID()
	}
	return d.fonts[i]
}

// newID reserves an object number.
func (d *Document) newID() int {
	d.offsets = append(d.offsets, -1)
	return len(d.offsets) - 1
}

// object writes an indirect object.
func (d *Document) object(id int, body string) {
	if d.Err() != nil {
		return
	}
	d.offsets[id] = d.out.n
	d.out.writeString(strconv.Itoa(id) + " 0 obj\n" + body + "\nendobj\n")
}

// stream writes data as a compressed stream object; dict holds further
// entries of its dictionary.
func (d *Document) stream(id int, dict string, data []byte) {
	if d.Err() != nil {
		return
	}
	d.zbuf.Reset()
	d.zw.Reset(&d.zbuf)
	d.zw.Write(data)
	if err := d.zw.Close(); err != nil {
		d.fail(err)
		return
	}
	d.rawStream(id, "/Filter /FlateDecode "+dict, d.zbuf.Bytes())
}

// rawStream writes data, already encoded as dict says, as a stream object.
func (d *Document) rawStream(id int, dict string, data []byte) {
	if d.Err() != nil {
		return
	}
	d.offsets[id] = d.out.n
	d.out.writeString(fmt.Sprintf("%d 0 obj\n<< /Length %d %s>>\nstream\n", id, len(data), dict))
	d.out.write(data)
	d.out.writeString("\nendstream\nendobj\n")
}

// output counts and digests what it writes, and keeps the first error.
type output struct {
	w   *bufio.Writer
	h   hash.Hash
	n   int64
	err error
}

func (o *output) write(p []byte) {
	if o.err != nil {
		return
	}
	n, err := o.w.Write(p)
	o.h.Write(p[:n])
	o.n += int64(n)
	o.err = err
}

func (o *output) writeString(s string) { o.write([]byte(s)) }

// num formats a coordinate with at most two decimals, the same on every
// machine.
func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// textString encodes s as a PDF text string (UTF-16BE with a byte order
// mark), for the document information.
func textString(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// literal encodes an ASCII string (a URI) as a PDF literal string; other
// bytes are written as octal escapes.
func literal(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 32 || c > 126:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// pdfDate formats t as a PDF date in its own time zone.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("(D:%s%c%02d'%02d')", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// endTable ends the open table, if any, before another block begins.
func (d *Document) endTable() {
	if d.table != nil {
		d.table.End()
	}
}
