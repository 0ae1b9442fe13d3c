package roster

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
)

// FileError says why a whole roster file cannot be read — it is not text,
// it is empty, it has no header row, required columns are missing or two
// columns mean the same thing — in words meant for the operator who uploaded
// it. Err is the underlying cause, if any.
type FileError struct {
	Msg netra.Message
	Err error
}

// Error returns the English message.
func (e *FileError) Error() string { return e.Msg.EN }

// Unwrap returns the underlying cause, which may be nil.
func (e *FileError) Unwrap() error { return e.Err }

func fileErr(id, en string, cause error) *FileError {
	return &FileError{Msg: netra.Msg(id, en), Err: cause}
}

// Sizes of the reader's buffers: a large buffer keeps system calls rare on
// multi-gigabyte national rosters, and the sniffed prefix is enough to see
// a few dozen rows whatever their width.
const (
	bufSize   = 1 << 20
	sniffSize = 64 << 10
	// headerSearch is how many non-blank rows may come before the header:
	// exports often start with a title such as "DAFTAR PEGAWAI KOTA …".
	headerSearch = 10
)

// Reader reads the rows of a roster, one at a time, from CSV or XLSX. It
// holds one row in memory, whatever the file's size. Close releases the
// temporary files an XLSX needs.
type Reader struct {
	header []string
	cols   [numCols]int // index of each column in a record, -1 when absent

	// pending is a record read ahead while looking for a second header
	// row, returned by the next call to Next.
	pending     []string
	pendingLine int

	// CSV source.
	csv   *csv.Reader
	lines *lineLimiter

	// XLSX source.
	book    *excelize.File
	rows    *excelize.Rows
	rowNum  int
	tmpFile string
}

// NewReader opens a roster. The format comes from the content, not from
// filename (used only in messages): a ZIP signature means XLSX, whose first
// sheet is read; anything else is read as CSV separated by commas,
// semicolons, tabs or pipes, whichever the first lines use, with a UTF-8 byte order
// mark ignored. XLSX needs random access, so a plain reader is first copied
// to a temporary file; an *os.File is opened again by name instead.
//
// A file that cannot be read at all yields a *FileError.
func NewReader(r io.Reader, filename string) (*Reader, error) {
	br := bufio.NewReaderSize(r, bufSize)
	peek, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("roster: read %s: %w", filename, err)
	}
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(peek, bom))) == 0:
		return nil, fileErr("Berkas kosong.", "The file is empty.", nil)
	case bytes.HasPrefix(peek, []byte("PK\x03\x04")):
		return newXLSXReader(r, br, filename)
	case bytes.HasPrefix(peek, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileErr("Format Excel lama (.xls) tidak didukung; simpan sebagai .xlsx atau CSV UTF-8.",
			"The old Excel format (.xls) is not supported; save the file as .xlsx or CSV UTF-8.", nil)
	case bytes.HasPrefix(peek, []byte{0xFF, 0xFE}) || bytes.HasPrefix(peek, []byte{0xFE, 0xFF}):
		return nil, fileErr("Berkas tersimpan sebagai teks UTF-16; simpan sebagai CSV UTF-8 atau .xlsx.",
			"The file is saved as UTF-16 text; save it as CSV UTF-8 or .xlsx.", nil)
	case bytes.IndexByte(peek, 0) >= 0:
		return nil, fileErr("Berkas bukan CSV atau XLSX (berisi data biner).",
			"The file is neither CSV nor XLSX (it contains binary data).", nil)
	}
	if bytes.HasPrefix(peek, bom) {
		_, _ = br.Discard(len(bom)) // cannot fail: the bytes are buffered
	}
	ll := &lineLimiter{r: br, max: MaxLineBytes, line: 1}
	c := csv.NewReader(ll)
	c.Comma = sniffDelimiter(bytes.TrimPrefix(peek, bom))
	c.FieldsPerRecord = -1
	c.LazyQuotes = true
	c.ReuseRecord = true
	rd := &Reader{csv: c, lines: ll}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// sniffDelimiter picks the separator of a CSV prefix: among the first lines,
// the one with the most separators of one kind decides. Separators inside
// quotes do not count, and a quoted cell may span lines.
func sniffDelimiter(p []byte) rune {
	seps := []byte{',', ';', '\t', '|'}
	best, bestN := byte(','), 0
	var n [4]int
	inQuote, lines := false, 0
	flush := func() {
		for i, c := range n {
			if c > bestN {
				best, bestN = seps[i], c
			}
		}
		n = [4]int{}
		lines++
	}
	for _, b := range p {
		switch {
		case b == '"':
			inQuote = !inQuote
		case inQuote:
		case b == '\n':
			flush()
			if lines >= headerSearch {
				return rune(best)
			}
		default:
			if i := bytes.IndexByte(seps, b); i >= 0 {
				n[i]++
			}
		}
	}
	flush()
	return rune(best)
}

// newXLSXReader opens the first sheet of a workbook.
func newXLSXReader(r io.Reader, br *bufio.Reader, filename string) (*Reader, error) {
	rd := &Reader{}
	path := ""
	if f, ok := r.(*os.File); ok {
		if off, err := f.Seek(0, io.SeekCurrent); err == nil && off == int64(br.Buffered()) {
			// Nothing was read from f but what sits in br: f is the whole file.
			path = f.Name()
		}
	}
	if path == "" {
		tmp, err := os.CreateTemp("", "netra-roster-*.xlsx")
		if err != nil {
			return nil, fmt.Errorf("roster: spool %s: %w", filename, err)
		}
		rd.tmpFile = tmp.Name()
		_, err = io.Copy(tmp, br)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			rd.Close()
			return nil, fmt.Errorf("roster: spool %s: %w", filename, err)
		}
		path = rd.tmpFile
	}
	if err := checkXLSXParts(path); err != nil {
		rd.Close()
		return nil, err
	}
	book, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxSheet + 16*maxPart + maxSharedStrings, UnzipXMLSizeLimit: maxPart})
	if err != nil {
		rd.Close()
		return nil, fileErr("Berkas XLSX rusak atau tidak dapat dibaca.", "The XLSX file is damaged or cannot be read.", err)
	}
	rd.book = book
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		rd.Close()
		return nil, fileErr("Berkas XLSX tidak memuat lembar kerja.", "The XLSX file has no worksheet.", nil)
	}
	if rd.rows, err = book.Rows(sheets[0]); err != nil {
		rd.Close()
		return nil, fileErr("Lembar pertama berkas XLSX tidak dapat dibaca.", "The first sheet of the XLSX file cannot be read.", err)
	}
	if err := rd.readHeader(); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

// Close releases the temporary files of an XLSX roster. It is safe to call
// more than once, and does nothing for CSV.
func (r *Reader) Close() error {
	var errs []error
	if r.rows != nil {
		errs = append(errs, r.rows.Close())
		r.rows = nil
	}
	if r.book != nil {
		errs = append(errs, r.book.Close())
		r.book = nil
	}
	if r.tmpFile != "" {
		if err := os.Remove(r.tmpFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		r.tmpFile = ""
	}
	return errors.Join(errs...)
}

// record returns the next record and the line it starts on. The slice is
// reused by the next call.
func (r *Reader) record() ([]string, int, error) {
	if r.csv != nil {
		rec, err := r.csv.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, &FileError{Err: err, Msg: netra.Msg(
					fmt.Sprintf("Baris %d tidak dapat dibaca sebagai CSV.", pe.StartLine),
					fmt.Sprintf("Line %d cannot be read as CSV.", pe.StartLine))}
			}
			if errors.Is(err, errLineTooLong) {
				return nil, 0, lineTooLong(r.lines.line)
			}
			if err != io.EOF {
				err = fmt.Errorf("roster: read: %w", err)
			}
			return nil, 0, err
		}
		line, _ := r.csv.FieldPos(0)
		if cellTooLong(rec) {
			return nil, 0, cellError(line)
		}
		return rec, line, nil
	}
	if r.rows == nil {
		return nil, 0, errors.New("roster: read after Close")
	}
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return nil, 0, fileErr("Lembar XLSX tidak dapat dibaca sampai akhir.", "The XLSX sheet cannot be read to the end.", err)
		}
		return nil, 0, io.EOF
	}
	// Rows.Next advances one row number at a time, gaps included, so a
	// counter is the row number.
	r.rowNum++
	// Raw values: a date cell reads as its serial number (ParseRow knows
	// serials) rather than in the workbook's display format, which may be
	// month-first; a number cell as the number Excel stored.
	rec, err := r.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, fileErr(fmt.Sprintf("Baris %d berkas XLSX tidak dapat dibaca.", r.rowNum),
			fmt.Sprintf("Row %d of the XLSX file cannot be read.", r.rowNum), err)
	}
	if cellTooLong(rec) {
		return nil, 0, cellError(r.rowNum)
	}
	return rec, r.rowNum, nil
}

func cellError(line int) *FileError {
	return fileErr(fmt.Sprintf("Baris %d memuat sel lebih dari %d karakter (batas Excel).", line, MaxCellChars),
		fmt.Sprintf("Line %d holds a cell of more than %d characters (Excel's limit).", line, MaxCellChars), nil)
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// readHeader finds the header row among the first non-blank rows and maps
// its cells to columns.
func (r *Reader) readHeader() error {
	seen := 0
	for {
		rec, _, err := r.record()
		if err == io.EOF {
			if seen == 0 {
				return fileErr("Berkas kosong.", "The file is empty.", nil)
			}
			return noHeader()
		}
		if err != nil {
			return err
		}
		if blank(rec) {
			continue
		}
		for _, cell := range rec {
			if !utf8.ValidString(cell) {
				return fileErr("Baris judul kolom bukan teks UTF-8; simpan berkas sebagai CSV UTF-8 atau .xlsx.",
					"The header row is not UTF-8 text; save the file as CSV UTF-8 or .xlsx.", nil)
			}
		}
		known := false
		for _, cell := range rec {
			if _, _, ok := match(cell); ok {
				known = true
				break
			}
		}
		if known {
			r.header = make([]string, len(rec))
			for i, cell := range rec {
				r.header[i] = strings.TrimSpace(cell)
			}
			if err := r.readSubHeader(); err != nil {
				return err
			}
			return r.mapColumns()
		}
		if seen++; seen >= headerSearch {
			return noHeader()
		}
	}
}

// readSubHeader looks at the rows under the header. Nominatif and DUK
// sheets have a two-level header — a merged "PANGKAT" over "GOL/RUANG" and
// "TMT", a merged "JABATAN" over "NAMA", "TMT" and "ESELON" — which becomes
// one header per column, parent and child joined ("JABATAN › TMT"); and
// often a row of column numbers (1, 2, 3 …) under it, which is skipped. Any
// other row is kept for Next.
func (r *Reader) readSubHeader() error {
	rec, line, err := r.nextNonBlank()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	if subHeader(r.header, rec) {
		parent := ""
		for i := range max(len(rec), len(r.header)) {
			h, c := "", ""
			if i < len(r.header) {
				h = r.header[i]
			}
			if i < len(rec) {
				c = strings.TrimSpace(rec[i])
			}
			if h != "" {
				parent = h
			}
			switch {
			case c == "":
				// A header of one level ("NIP") spans both rows.
			case i >= len(r.header):
				r.header = append(r.header, parent+" › "+c)
			default:
				r.header[i] = parent + " › " + c
			}
		}
		if rec, line, err = r.nextNonBlank(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
	if columnNumbers(rec) {
		return nil
	}
	r.pending, r.pendingLine = slices.Clone(rec), line
	return nil
}

// nextNonBlank returns the next record with a non-blank cell.
func (r *Reader) nextNonBlank() ([]string, int, error) {
	for {
		rec, line, err := r.record()
		if err != nil || !blank(rec) {
			return rec, line, err
		}
	}
}

// subHeader reports whether rec is the second row of a two-level header
// whose first row is header: it has a label under an empty header cell (the
// continuation of a merged parent), every label sits under a parent or its
// continuation rather than under a one-level header, and no cell is a
// number (data rows have NIPs, column-number rows numbers).
func subHeader(header, rec []string) bool {
	continuation := false
	for i, c := range rec {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if allDigits(c) {
			return false
		}
		switch {
		case i >= len(header) || header[i] == "":
			continuation = true
		case i+1 < len(header) && header[i+1] != "":
			// Under a one-level header: a data row's value.
			return false
		}
	}
	return continuation
}

// columnNumbers reports whether rec is a row of column numbers, as
// nominatif sheets have under their header: at least two cells, all
// integers ("1", "(2)", "3."), increasing and starting at 0 or 1.
func columnNumbers(rec []string) bool {
	n, last := 0, -1
	for _, c := range rec {
		c = strings.Trim(strings.TrimSpace(c), "().")
		if c == "" {
			continue
		}
		v, err := strconv.Atoi(c)
		if err != nil || v <= last || (n == 0 && v > 1) {
			return false
		}
		n, last = n+1, v
	}
	return n >= 2
}

func noHeader() error {
	return fileErr("Baris judul kolom tidak ditemukan: baris pertama harus memuat nama kolom seperti NIP, NAMA, JENIS_PEGAWAI, JENIS_JABATAN dan KODE_UNIT.",
		"No header row found: the first row must hold column names such as NIP, NAMA, JENIS_PEGAWAI, JENIS_JABATAN and KODE_UNIT.", nil)
}

// mapColumns assigns each header cell to its column and checks that the
// required columns are there and none is given twice.
func (r *Reader) mapColumns() error {
	rank := [numCols]int{}
	for i := range r.cols {
		r.cols[i] = -1
	}
	// E-mail headers by rank: government, plain, personal. The best is the
	// sign-in address, the next is kept as EMAIL_LAIN.
	email := [3]int{-1, -1, -1}
	for i, h := range r.header {
		c, rk, ok := match(h)
		if !ok {
			continue
		}
		if c == iEmail {
			if j := email[rk+1]; j >= 0 {
				return &FileError{Msg: netra.Msg(
					fmt.Sprintf("Kolom %q dan %q sama-sama berarti %s; hapus salah satu.", r.header[j], h, ColEmail),
					fmt.Sprintf("Columns %q and %q both mean %s; remove one of them.", r.header[j], h, ColEmail))}
			}
			email[rk+1] = i
			continue
		}
		switch j := r.cols[c]; {
		case j < 0 || rk < rank[c]:
			r.cols[c], rank[c] = i, rk
		case rk == rank[c]:
			name := Columns[c].Name
			return &FileError{Msg: netra.Msg(
				fmt.Sprintf("Kolom %q dan %q sama-sama berarti %s; hapus salah satu.", r.header[j], h, name),
				fmt.Sprintf("Columns %q and %q both mean %s; remove one of them.", r.header[j], h, name))}
		}
	}
	for _, j := range email {
		switch {
		case j < 0:
		case r.cols[iEmail] < 0:
			r.cols[iEmail] = j
		case r.cols[iOtherEmail] < 0:
			r.cols[iOtherEmail] = j
		}
	}
	if r.cols[iNIP] < 0 {
		// Without a NIP column the NIK is the identifier (non-ASN rosters).
		r.cols[iNIP] = r.cols[iNIK]
	}
	var missing []string
	for i, c := range Columns {
		switch {
		case !c.Required || r.cols[i] >= 0:
		case i == iType && r.cols[iCPNS] >= 0:
		case i == iPositionType && r.cols[iEselon] >= 0:
		default:
			missing = append(missing, c.Name)
		}
	}
	unitID, unitEN := "", ""
	if r.cols[iUnitCode] < 0 && r.cols[iUnitPath] < 0 && r.cols[iUnitName] < 0 {
		unitID, unitEN = ColUnitCode+", "+ColUnitPath+" atau "+ColUnitName, ColUnitCode+", "+ColUnitPath+" or "+ColUnitName
	}
	if len(missing) > 0 || unitID != "" {
		id, en := strings.Join(missing, ", "), strings.Join(missing, ", ")
		if unitID != "" {
			if id != "" {
				id, en = id+", ", en+", "
			}
			id, en = id+unitID, en+unitEN
		}
		return &FileError{Msg: netra.Msg("Kolom wajib tidak ada: "+id+".", "Required columns are missing: "+en+".")}
	}
	return nil
}

// Header returns the header row as it is in the file, cells trimmed.
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// Has reports whether the file has the canonical column col ("KODE_INSTANSI").
func (r *Reader) Has(col string) bool {
	for i, c := range Columns {
		if c.Name == col {
			return r.cols[i] >= 0
		}
	}
	return false
}

// Next returns the next non-blank row, and io.EOF after the last one. A row
// that cannot be read at all (a broken XLSX sheet) is a *FileError.
func (r *Reader) Next() (Row, error) {
	for {
		rec, line, err := r.pending, r.pendingLine, error(nil)
		if rec != nil {
			r.pending = nil
		} else if rec, line, err = r.record(); err != nil {
			return Row{}, err
		}
		if blank(rec) {
			continue
		}
		row := Row{Line: line}
		for i, j := range r.cols {
			if j >= 0 && j < len(rec) {
				// An exported roster neutralised "+62…" as "'+62…".
				*row.field(i) = unneutralize(strings.TrimSpace(rec[j]))
			}
		}
		return row, nil
	}
}
