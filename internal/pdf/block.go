package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// Letterhead is the kop surat at the top of an Indonesian official letter:
// the government, the agency, its address, an optional logo on the left,
// and the double rule under it.
type Letterhead struct {
	Government string // "PEMERINTAH KOTA PALANGKA RAYA"
	Agency     string // "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"
	Address    string // "Jalan Tjilik Riwut Km. 5,5, Palangka Raya 73112"
	Contact    string // telephone, e-mail, website; optional
	Logo       []byte // PNG or JPEG; optional
}

// Letterhead sets l across the page: the logo (22 mm high) on the left and
// the lines centred in the space to its right, then a thick and a thin rule.
// An empty Letterhead sets nothing.
func (d *Document) Letterhead(l Letterhead) {
	if strings.TrimSpace(l.Government+l.Agency+l.Address+l.Contact) == "" && len(l.Logo) == 0 {
		return
	}
	d.endTable()
	d.begin()
	const logoH = 22 * MM
	x, w := d.m.Left, d.Width()
	var im *imageRef
	var iw, ih float64
	if len(l.Logo) > 0 {
		ref, px, py, err := d.embedImage(l.Logo)
		if err != nil {
			d.fail(fmt.Errorf("pdf: letterhead logo: %w", err))
			return
		}
		im = &ref
		ih = logoH
		iw = min(logoH*float64(px)/float64(py), 30*MM)
		ih = iw * float64(py) / float64(px)
		x += iw + 4*MM
		w -= iw + 4*MM
	}
	type part struct {
		lines []line
		st    Style
	}
	var parts []part
	add := func(s string, st Style) {
		if strings.TrimSpace(s) != "" {
			st = st.norm()
			parts = append(parts, part{d.wrap(d.font(st.Bold), st.Size, w, s), st})
		}
	}
	add(l.Government, Style{Size: 13, Bold: true, Leading: 1.25})
	add(l.Agency, Style{Size: 15, Bold: true, Leading: 1.2})
	add(l.Address, Style{Size: 9.5, Leading: 1.35})
	add(l.Contact, Style{Size: 9, Leading: 1.35})
	th := 0.0
	for _, p := range parts {
		th += float64(len(p.lines)) * p.st.Size * p.st.Leading
	}
	h := max(th, ih)
	d.ensure(h + 6*MM)
	top := d.y
	if im != nil {
		d.drawImage(*im, d.m.Left, top+(h-ih)/2, iw, ih)
	}
	y := top + (h-th)/2
	for _, p := range parts {
		lh := p.st.Size * p.st.Leading
		f := d.font(p.st.Bold)
		for _, ln := range p.lines {
			d.drawLine(f, p.st.Size, ln, x, w, AlignCenter, y+baseline(p.st.Size, lh), Black)
			y += lh
		}
	}
	y = top + h + 1.5*MM
	d.line(d.m.Left, y, d.pw-d.m.Right, y, 2, Black)
	d.line(d.m.Left, y+2.2, d.pw-d.m.Right, y+2.2, 0.6, Black)
	d.y = y + 2.2 + 6*MM
}

// Rule draws a thin horizontal line across the text area, with space
// around it.
func (d *Document) Rule() {
	d.endTable()
	d.ensure(4 * MM)
	d.y += 2 * MM
	d.line(d.m.Left, d.y, d.pw-d.m.Right, d.y, 0.5, Color{150, 150, 150})
	d.y += 2 * MM
}

// Signature is the signature block of a letter: place and date, the
// signer's office, room to sign (or a note such as "Ditandatangani secara
// elektronik"), the name, underlined, the rank (pangkat) and the NIP.
type Signature struct {
	Place string    // "Palangka Raya"
	Date  time.Time // printed as "13 Juli 2024"; zero omits it
	Role  string    // "Kepala Badan Kepegawaian dan Pengembangan SDM"
	Name  string
	Rank  string // "Pembina Utama Muda (IV/c)"; optional
	NIP   string // printed after "NIP "; optional
	Note  string // set in the signing space, in grey; optional
}

// Signature sets s in the right half of the text area, centred, kept on
// one page.
func (d *Document) Signature(s Signature) {
	d.endTable()
	f, fb := d.font(false), d.font(true)
	w := d.Width() / 2
	x := d.m.Left + d.Width() - w
	lh := bodySize * 1.4
	var top []line
	head := s.Place
	if !s.Date.IsZero() {
		if head != "" {
			head += ", "
		}
		head += Date(s.Date)
	}
	if head != "" {
		top = append(top, d.wrap(f, bodySize, w, head)...)
	}
	if s.Role != "" {
		top = append(top, d.wrap(f, bodySize, w, s.Role)...)
	}
	var note []line
	if s.Note != "" {
		note = d.wrap(f, 9, w, s.Note)
	}
	space := max(20*MM, float64(len(note))*9*1.3+8*MM)
	name := d.wrap(fb, bodySize, w, s.Name)
	var tail []line
	if s.Rank != "" {
		tail = append(tail, d.wrap(f, bodySize, w, s.Rank)...)
	}
	if s.NIP != "" {
		tail = append(tail, d.wrap(f, bodySize, w, "NIP "+s.NIP)...)
	}
	d.Space(4 * MM)
	d.ensure(float64(len(top)+len(name)+len(tail))*lh + space)
	for _, l := range top {
		d.drawLine(f, bodySize, l, x, w, AlignCenter, d.y+baseline(bodySize, lh), Black)
		d.y += lh
	}
	ny := d.y + (space-float64(len(note))*9*1.3)/2
	for _, l := range note {
		d.drawLine(f, 9, l, x, w, AlignCenter, ny+baseline(9, 9*1.3), Gray)
		ny += 9 * 1.3
	}
	d.y += space
	for _, l := range name {
		base := d.y + baseline(bodySize, lh)
		d.drawLine(fb, bodySize, l, x, w, AlignCenter, base, Black)
		lx := x + (w-l.width)/2
		d.line(lx, base+1.8, lx+l.width, base+1.8, 0.6, Black)
		d.y += lh
	}
	for _, l := range tail {
		d.drawLine(f, bodySize, l, x, w, AlignCenter, d.y+baseline(bodySize, lh), Black)
		d.y += lh
	}
	d.gap(gapAfter)
}

// QR is a QR code with text beside it.
type QR struct {
	Content string  // what the code holds, typically a verification URL
	Size    float64 // side of the code in points, quiet zone included; 0 means 32 mm
	Title   string  // a bold line beside the code, e.g. the verification code
	Caption string  // text beside the code, under the title
}

// QR sets the code q.Content (error correction level M, drawn as vector
// squares so it stays sharp at any zoom) at the left margin and the title
// and caption to its right, vertically centred; the block is kept on one
// page. When the content is an http(s) URL the code is also a link to it.
func (d *Document) QR(q QR) {
	d.endTable()
	code, err := qrcode.New(q.Content, qrcode.Medium)
	if err != nil {
		d.fail(fmt.Errorf("pdf: QR code: %w", err))
		return
	}
	bm := code.Bitmap() // with its quiet zone of four modules
	size := q.Size
	if size <= 0 {
		size = 32 * MM
	}
	f, fb := d.font(false), d.font(true)
	tx := size + 3*MM
	tw := d.Width() - tx
	var title, caption []line
	if q.Title != "" {
		title = d.wrap(fb, bodySize, tw, q.Title)
	}
	if q.Caption != "" {
		caption = d.wrap(f, 9.5, tw, q.Caption)
	}
	th := float64(len(title))*bodySize*1.4 + float64(len(caption))*9.5*1.35
	if len(title) > 0 && len(caption) > 0 {
		th += 1.5
	}
	h := max(size, th)
	d.ensure(h)
	top := d.y
	qy := top + (h-size)/2
	d.drawQR(bm, d.m.Left, qy, size)
	if strings.HasPrefix(q.Content, "https://") || strings.HasPrefix(q.Content, "http://") {
		d.annots = append(d.annots, annot{d.m.Left, qy, size, size, q.Content})
	}
	y := top + (h-th)/2
	for _, l := range title {
		d.text(d.m.Left+tx, y+baseline(bodySize, bodySize*1.4), fb, bodySize, l.text(), Black)
		y += bodySize * 1.4
	}
	if len(title) > 0 {
		y += 1.5
	}
	for _, l := range caption {
		d.text(d.m.Left+tx, y+baseline(9.5, 9.5*1.35), f, 9.5, l.text(), Black)
		y += 9.5 * 1.35
	}
	d.y = top + h
	d.gap(gapAfter)
}

// drawQR fills the dark modules of bm as one path of rectangles, a row's
// adjacent modules merged into one.
func (d *Document) drawQR(bm [][]bool, x, y, size float64) {
	d.begin()
	m := size / float64(len(bm))
	var b bytes.Buffer
	b.WriteString("0 g\n")
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			b.Write(appendRect(nil, x+float64(start)*m, d.ph-y-float64(r+1)*m, float64(c-start)*m, m))
			b.WriteByte('\n')
		}
	}
	b.WriteString("f\n")
	d.cur.Write(b.Bytes())
}

// Status sets a framed status line across the page, such as "SAH" in green
// or "DICABUT" in red, with an optional note under it.
func (d *Document) Status(label, note string, c Color) {
	d.endTable()
	fb, f := d.font(true), d.font(false)
	pad := 3 * MM
	w := d.Width() - 2*pad
	ls := d.wrap(fb, 12, w, label)
	var ns []line
	if note != "" {
		ns = d.wrap(f, 9.5, w, note)
	}
	h := float64(len(ls))*12*1.35 + float64(len(ns))*9.5*1.35 + 2*pad
	d.ensure(h)
	d.box(d.m.Left, d.y, d.Width(), h, 1.2, c)
	y := d.y + pad
	for _, l := range ls {
		d.drawLine(fb, 12, l, d.m.Left+pad, w, AlignCenter, y+baseline(12, 12*1.35), c)
		y += 12 * 1.35
	}
	for _, l := range ns {
		d.drawLine(f, 9.5, l, d.m.Left+pad, w, AlignCenter, y+baseline(9.5, 9.5*1.35), Black)
		y += 9.5 * 1.35
	}
	d.y += h
	d.gap(gapAfter)
}

// Image sets a PNG or JPEG image scaled to fit in a box of w × h points
// (keeping its proportions), placed in the text area as a says, kept on one
// page. An image of more than MaxImagePixels is refused.
func (d *Document) Image(data []byte, w, h float64, a Align) {
	d.endTable()
	ref, px, py, err := d.embedImage(data)
	if err != nil {
		d.fail(fmt.Errorf("pdf: image: %w", err))
		return
	}
	w = min(w, d.Width())
	s := min(w/float64(px), h/float64(py))
	iw, ih := float64(px)*s, float64(py)*s
	d.ensure(ih)
	x := d.m.Left
	switch a {
	case AlignCenter, AlignJustify:
		x += (d.Width() - iw) / 2
	case AlignRight:
		x += d.Width() - iw
	}
	d.drawImage(ref, x, d.y, iw, ih)
	d.y += ih
	d.gap(gapAfter)
}

// MaxImagePixels bounds the images a document takes (width × height), so
// that decoding one stays within a few tens of megabytes.
const MaxImagePixels = 16 << 20

// embedImage writes an image object for data now (the pixels are not
// kept) and returns its resource and size in pixels. JPEG files in RGB or
// grey go in as they are; anything else is decoded and stored losslessly,
// its transparency as a soft mask.
func (d *Document) embedImage(data []byte) (imageRef, int, int, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return imageRef{}, 0, 0, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxImagePixels {
		return imageRef{}, 0, 0, fmt.Errorf("image of %d × %d pixels refused", cfg.Width, cfg.Height)
	}
	d.begin()
	ref := imageRef{name: "Im" + strconv.Itoa(len(d.images)+1), id: d.newID()}
	dims := fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 ", cfg.Width, cfg.Height)
	if format == "jpeg" && (cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel) {
		space := "/DeviceRGB"
		if cfg.ColorModel == color.GrayModel {
			space = "/DeviceGray"
		}
		d.rawStream(ref.id, dims+"/ColorSpace "+space+" /Filter /DCTDecode ", data)
		d.images = append(d.images, ref)
		return ref, cfg.Width, cfg.Height, nil
	}
	var img image.Image
	switch format {
	case "png":
		img, err = png.Decode(bytes.NewReader(data))
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(data))
	default:
		err = errors.New("only PNG and JPEG images are taken")
	}
	if err != nil {
		return imageRef{}, 0, 0, err
	}
	bounds := img.Bounds()
	rgb := make([]byte, 0, 3*bounds.Dx()*bounds.Dy())
	alpha := make([]byte, 0, bounds.Dx()*bounds.Dy())
	opaque := true
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			rgb = append(rgb, c.R, c.G, c.B)
			alpha = append(alpha, c.A)
			opaque = opaque && c.A == 255
		}
	}
	extra := ""
	if !opaque {
		mask := d.newID()
		d.stream(mask, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray ", cfg.Width, cfg.Height), alpha)
		extra = fmt.Sprintf("/SMask %d 0 R ", mask)
	}
	d.stream(ref.id, dims+"/ColorSpace /DeviceRGB "+extra, rgb)
	d.images = append(d.images, ref)
	return ref, cfg.Width, cfg.Height, nil
}

// drawImage paints an embedded image into the box whose top left corner is
// (x, y).
func (d *Document) drawImage(ref imageRef, x, y, w, h float64) {
	fmt.Fprintf(d.cur, "q %s 0 0 %s %s %s cm /%s Do Q\n", num(w), num(h), num(x), num(d.ph-y-h), ref.name)
}
