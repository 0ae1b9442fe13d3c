package pdf

import (
	"io"
	"iter"
	"strings"
	"time"
)

// Certificate is what a pledge certificate shows. It holds plain values,
// so it can be filled from any source; WriteCertificate lays it out on A4
// portrait, on one page when the text allows.
type Certificate struct {
	Letterhead Letterhead
	Title      string  // "SERTIFIKAT IKRAR NETRALITAS ASN"
	Subtitle   string  // e.g. the campaign or election; optional
	Intro      string  // before the signer, e.g. "Yang bertanda tangan di bawah ini:"; optional
	Signer     []Field // Nama, NIP, Jabatan, Unit kerja, Waktu…
	Text       string  // the full text signed, written as for Document.Body
	Status     string  // "SAH", "DICABUT"…; optional
	StatusNote string  // under the status, e.g. when and why it was revoked; optional
	Revoked    bool    // the status is set in red rather than green
	VerifyURL  string  // held by the QR code and printed beside it
	Code       string  // the short verification code, beside the QR code and in the footer
	Caption    string  // replaces the default text beside the QR code; optional
	Created    time.Time
	FooterNote string // optional
	// Attachments are embedded in the file, e.g. the signed record the
	// certificate shows, for software to read back with ReadAttachment.
	Attachments []Attachment
}

// WriteCertificate writes c as a PDF to w: letterhead, title, the status,
// intro, the signer's fields, the text, and the QR code with the
// verification code and URL beside it; the footer carries the time made,
// the code and the page numbers. The same c gives the same bytes.
func WriteCertificate(w io.Writer, c Certificate) error {
	d, err := New(w, Options{
		Created: c.Created, Title: c.Title, Author: authorOf(c.Letterhead), Subject: c.Subtitle,
		Code: c.Code, FooterNote: c.FooterNote, Attachments: c.Attachments,
	})
	if err != nil {
		return err
	}
	d.Letterhead(c.Letterhead)
	d.Title(c.Title)
	if c.Subtitle != "" {
		d.Subtitle(c.Subtitle)
	} else {
		d.gap(gapAfter)
	}
	if c.Status != "" {
		// Under the title, so that a revoked certificate says so on its
		// first page however long its text.
		col := Green
		if c.Revoked {
			col = Red
		}
		d.Status("STATUS: "+c.Status, c.StatusNote, col)
	}
	if c.Intro != "" {
		d.Paragraph(c.Intro)
	}
	if len(c.Signer) > 0 {
		d.Fields(c.Signer)
	}
	d.Body(c.Text)
	if c.VerifyURL != "" || c.Code != "" {
		caption := c.Caption
		if caption == "" {
			caption = "Pindai kode QR ini atau buka " + c.VerifyURL + " untuk memeriksa keabsahan sertifikat ini."
			if c.VerifyURL == "" {
				caption = "Periksa keabsahan sertifikat ini dengan kode verifikasi di atas."
			}
		}
		title := ""
		if c.Code != "" {
			title = "Kode verifikasi: " + c.Code
		}
		d.Space(2 * MM)
		if c.VerifyURL != "" {
			d.QR(QR{Content: c.VerifyURL, Title: title, Caption: caption})
		} else {
			d.Text(title, Style{Bold: true})
			d.Text(caption, Style{Size: 9.5})
		}
	}
	return d.Close()
}

// Report is a tabular report: coverage, circulars, readiness. Its rows
// are streamed, so a report of 100,000 rows costs the memory of one page.
type Report struct {
	Letterhead Letterhead
	Title      string
	Subtitle   string // optional
	Period     string // the period or moment covered, printed as given; optional
	Intro      string // text before the table, as for Document.Body; optional
	Columns    []Column
	// Rows yields the rows in order; the first error it yields stops the
	// report and is returned (what was written by then is not a whole PDF).
	// RowsOf turns a slice into Rows.
	Rows       iter.Seq2[[]string, error]
	Totals     []string   // a bold totals row under the rows; optional
	After      string     // text after the table; optional
	Signature  *Signature // optional
	Landscape  bool       // for wide tables
	Created    time.Time
	Code       string // a verification code for the footer; optional
	FooterNote string // optional
}

// RowsOf returns rows as Report.Rows.
func RowsOf(rows [][]string) iter.Seq2[[]string, error] {
	return func(yield func([]string, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// WriteReport writes r as a PDF to w: letterhead, title, period, text,
// the table (its header repeated on every page, numbers right-aligned as
// the columns say), the totals, and an optional signature.
func WriteReport(w io.Writer, r Report) error {
	d, err := New(w, Options{
		Created: r.Created, Landscape: r.Landscape, Title: r.Title, Author: authorOf(r.Letterhead),
		Subject: r.Subtitle, Code: r.Code, FooterNote: r.FooterNote,
	})
	if err != nil {
		return err
	}
	d.Letterhead(r.Letterhead)
	d.Title(r.Title)
	if r.Subtitle != "" {
		d.Subtitle(r.Subtitle)
	}
	if r.Period != "" {
		d.headed(r.Period, Style{Size: 10, Align: AlignCenter, Leading: 1.35}, gapAfter)
	} else if r.Subtitle == "" {
		d.gap(gapAfter)
	}
	if r.Intro != "" {
		d.Body(r.Intro)
	}
	t := d.Table(r.Columns)
	if r.Rows != nil {
		for row, err := range r.Rows {
			if err != nil {
				return err
			}
			t.Row(row...)
			if d.Err() != nil {
				return d.Err()
			}
		}
	}
	if r.Totals != nil {
		t.Total(r.Totals...)
	}
	t.End()
	if r.After != "" {
		d.Body(r.After)
	}
	if r.Signature != nil {
		d.Signature(*r.Signature)
	}
	return d.Close()
}

// authorOf names the issuer in the document information.
func authorOf(l Letterhead) string {
	return strings.TrimSpace(strings.Join(strings.Fields(l.Government+" "+l.Agency), " "))
}
