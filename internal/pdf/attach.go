package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Attachment is a file embedded in a document, as PDF viewers show in
// their attachments pane and poppler's pdfdetach extracts: for a
// certificate, the signed record it was printed from, so that software can
// check a certificate without reading its text.
type Attachment struct {
	Name        string // file name, ASCII, e.g. "ikrar.json"
	MIME        string // e.g. "application/json"; optional
	Description string // optional
	Data        []byte
}

// MaxAttachment bounds what ReadAttachment inflates.
const MaxAttachment = 8 << 20

// ErrNoAttachment is returned by ReadAttachment when the document holds no
// attachment of that name that it can read.
var ErrNoAttachment = errors.New("pdf: no such attachment")

// writeAttachments writes the embedded files and returns the catalog
// entries that list them.
func (d *Document) writeAttachments() string {
	if len(d.o.Attachments) == 0 {
		return ""
	}
	type named struct {
		name string
		id   int
	}
	var specs []named
	for _, a := range d.o.Attachments {
		file, spec := d.newID(), d.newID()
		sum := md5.Sum(a.Data) // the checksum PDF defines for embedded files
		dict := fmt.Sprintf("/Type /EmbeddedFile /Params << /Size %d /CheckSum <%x> /ModDate %s >> ", len(a.Data), sum, pdfDate(d.o.Created))
		if a.MIME != "" {
			dict += "/Subtype /" + pdfName(a.MIME) + " "
		}
		d.stream(file, dict, a.Data)
		desc := ""
		if a.Description != "" {
			desc = " /Desc " + textString(a.Description)
		}
		d.object(spec, fmt.Sprintf("<< /Type /Filespec /F %s /UF %s /EF << /F %d 0 R /UF %d 0 R >>%s /AFRelationship /Data >>",
			literal(a.Name), textString(a.Name), file, file, desc))
		specs = append(specs, named{a.Name, spec})
	}
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].name < specs[j].name })
	var names, af strings.Builder
	for _, s := range specs {
		fmt.Fprintf(&names, " %s %d 0 R", literal(s.name), s.id)
		fmt.Fprintf(&af, " %d 0 R", s.id)
	}
	return fmt.Sprintf(" /Names << /EmbeddedFiles << /Names [%s ] >> >> /AF [%s ]", names.String(), af.String())
}

// pdfName encodes s as the characters of a PDF name ("application/json"
// → "application#2Fjson").
func pdfName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '!' || c > '~' || strings.IndexByte("#/()<>[]{}%", c) >= 0 {
			fmt.Fprintf(&b, "#%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

var streamHead = regexp.MustCompile(`^<< /Length (\d+) /Filter /FlateDecode /Type /EmbeddedFile /Params << /Size (\d+) `)

// ReadAttachment returns the attachment called name of a document this
// package wrote. It reads the file as written, not any PDF: a document
// rewritten by other software (which may pack objects into compressed
// streams) gives ErrNoAttachment, as does a document without it. What it
// returns is only what the file holds: whoever needs it to be authentic
// checks its signature.
func ReadAttachment(doc []byte, name string) ([]byte, error) {
	spec := regexp.MustCompile(`/Type /Filespec /F ` + regexp.QuoteMeta(literal(name)) + ` /UF <[0-9A-F]*> /EF << /F (\d+) 0 R`)
	m := spec.FindAllSubmatch(doc, -1)
	if m == nil {
		return nil, ErrNoAttachment
	}
	id := string(m[len(m)-1][1]) // the last: an incremental update overrides
	at := bytes.LastIndex(doc, []byte("\n"+id+" 0 obj\n"))
	if at < 0 {
		return nil, ErrNoAttachment
	}
	rest := doc[at+len(id)+8:]
	h := streamHead.FindSubmatch(rest)
	if h == nil {
		return nil, ErrNoAttachment
	}
	n, err1 := strconv.Atoi(string(h[1]))
	size, err2 := strconv.Atoi(string(h[2]))
	start := bytes.Index(rest, []byte(">>\nstream\n"))
	if err1 != nil || err2 != nil || size > MaxAttachment || start < 0 || start+10+n > len(rest) {
		return nil, ErrNoAttachment
	}
	z, err := zlib.NewReader(bytes.NewReader(rest[start+10 : start+10+n]))
	if err != nil {
		return nil, ErrNoAttachment
	}
	data, err := io.ReadAll(io.LimitReader(z, int64(size)+1))
	if err != nil || len(data) != size {
		return nil, ErrNoAttachment
	}
	return data, nil
}
