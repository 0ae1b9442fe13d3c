package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Bounds on what a roster file may make Netra hold or unpack, so that a
// small hostile file cannot grow the server (a 1 MB XLSX once grew it to
// 3.1 GB, a CSV with a 300 MB line to 1 GB). Real rosters stay far below.
const (
	// MaxLineBytes bounds one physical line of a CSV roster.
	MaxLineBytes = 1 << 20
	// MaxCellChars bounds one cell; it is Excel's own limit.
	MaxCellChars = 32767
	// maxSharedStrings bounds an XLSX's shared strings, which the XLSX
	// library holds in memory whole (a 100,000-row roster needs a few MB).
	maxSharedStrings = 64 << 20
	// maxPart bounds any other part but a worksheet, and maxSheet a
	// worksheet, which is streamed from a temporary file row by row.
	maxPart  = 16 << 20
	maxSheet = 2 << 30
	// maxRatio is the largest compression ratio a part over maxPart may
	// have: XML sheets compress about 10:1, a zip bomb about 1000:1.
	maxRatio = 100
)

var errLineTooLong = errors.New("roster: CSV line too long")

// lineLimiter fails a read once a line passes max bytes, before the CSV
// parser buffers it whole.
type lineLimiter struct {
	r    io.Reader
	max  int
	run  int // bytes since the last newline
	line int // 1-based number of the current line
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	b := p[:n]
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += len(b)
			break
		}
		if l.run+i > l.max {
			l.run += i
			break
		}
		l.run, l.line, b = 0, l.line+1, b[i+1:]
	}
	if l.run > l.max {
		return 0, errLineTooLong
	}
	return n, err
}

func lineTooLong(line int) *FileError {
	return fileErr(fmt.Sprintf("Baris %d lebih panjang dari %d MiB; berkas ini bukan daftar pegawai yang dapat dibaca.", line, MaxLineBytes>>20),
		fmt.Sprintf("Line %d is longer than %d MiB; this file is not a readable roster.", line, MaxLineBytes>>20), errLineTooLong)
}

// checkXLSXParts refuses a workbook whose parts would unpack beyond the
// bounds above, from the sizes its zip directory declares (the zip reader
// refuses a part that unpacks to more than it declared, so the declaration
// is an upper bound).
func checkXLSXParts(name string) error {
	z, err := zip.OpenReader(name)
	if err != nil {
		return fileErr("Berkas XLSX rusak atau tidak dapat dibaca.", "The XLSX file is damaged or cannot be read.", err)
	}
	defer z.Close()
	bomb := fileErr("Berkas XLSX ini membengkak terlalu besar saat dibuka (kemungkinan bom zip); simpan ulang dari Excel atau kirim sebagai CSV.",
		"This XLSX file swells too much when opened (probably a zip bomb); save it again from Excel or send it as CSV.", nil)
	for _, f := range z.File {
		size, packed := f.UncompressedSize64, max(f.CompressedSize64, 1)
		limit := uint64(maxPart)
		switch p := strings.ToLower(f.Name); {
		case path.Base(p) == "sharedstrings.xml":
			limit = maxSharedStrings
		case strings.HasPrefix(p, "xl/worksheets/"):
			limit = maxSheet
		}
		if size > limit || (size > maxPart && size/packed > maxRatio) {
			return bomb
		}
	}
	return nil
}

// cellTooLong reports whether a cell of rec has more than MaxCellChars characters.
func cellTooLong(rec []string) bool {
	for _, c := range rec {
		if len(c) > MaxCellChars && len([]rune(c)) > MaxCellChars {
			return true
		}
	}
	return false
}
