package roster

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
)

// Writer writes employees as a roster that Reader reads back unchanged: the
// canonical headers of Columns but the ReadOnly ones, in their order, and values in the forms
// ParseRow accepts. CSV is semicolon-separated with a UTF-8 byte order mark,
// as Indonesian Excel opens it; XLSX is streamed (excelize's StreamWriter
// spools rows to a temporary file past a few MB), so memory stays bounded
// whatever the number of rows. Every cell goes through Neutralize.
type Writer struct {
	csv *csv.Writer
	bw  *bufio.Writer

	book  *excelize.File
	sheet *excelize.StreamWriter
	out   io.Writer
	style int
	row   int

	cols   []int // the indexes in Columns of the columns written
	rec    []string
	cells  []any
	closed bool
}

// sheetName is the one worksheet of an exported workbook.
const sheetName = "Pegawai"

// NewWriter starts a roster on w in format "csv" or "xlsx" and writes its
// header. Any other format is an error. Nothing of an XLSX reaches w before
// Close.
func NewWriter(w io.Writer, format string) (*Writer, error) {
	wr := &Writer{out: w}
	var header []string
	for i, c := range Columns {
		if !c.ReadOnly {
			wr.cols = append(wr.cols, i)
			header = append(header, c.Name)
		}
	}
	wr.rec = make([]string, len(header))
	switch format {
	case "csv":
		wr.bw = bufio.NewWriterSize(w, 64<<10)
		if _, err := wr.bw.Write(bom); err != nil {
			return nil, fmt.Errorf("roster: write: %w", err)
		}
		wr.csv = csv.NewWriter(wr.bw)
		// Indonesian Excel (decimal comma) splits CSV cells on semicolons.
		wr.csv.Comma = ';'
		if err := wr.csv.Write(header); err != nil {
			return nil, fmt.Errorf("roster: write: %w", err)
		}
	case "xlsx":
		wr.book = excelize.NewFile()
		if err := wr.book.SetSheetName("Sheet1", sheetName); err != nil {
			return nil, fmt.Errorf("roster: xlsx: %w", err)
		}
		sw, err := wr.book.NewStreamWriter(sheetName)
		if err != nil {
			return nil, fmt.Errorf("roster: xlsx: %w", err)
		}
		wr.sheet = sw
		// Number format 49 is "@", text: a NIP or NIK edited in Excel stays
		// 18 or 16 digits instead of turning into 1.98609E+17.
		if wr.style, err = wr.book.NewStyle(&excelize.Style{NumFmt: 49}); err != nil {
			return nil, fmt.Errorf("roster: xlsx: %w", err)
		}
		if err := sw.SetColStyle(1, len(header), wr.style); err != nil {
			return nil, fmt.Errorf("roster: xlsx: %w", err)
		}
		if err := sw.SetColWidth(1, len(header), 20); err != nil {
			return nil, fmt.Errorf("roster: xlsx: %w", err)
		}
		wr.cells = make([]any, len(header))
		if err := wr.xlsxRow(header); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("roster: unknown export format %q (want csv or xlsx)", format)
	}
	return wr, nil
}

func (w *Writer) xlsxRow(rec []string) error {
	w.row++
	for i, s := range rec {
		w.cells[i] = excelize.Cell{StyleID: w.style, Value: s}
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	if err := w.sheet.SetRow(cell, w.cells); err != nil {
		return fmt.Errorf("roster: xlsx: %w", err)
	}
	return nil
}

// Write adds one employee, in unit unitCode (its code in the tenant's
// tree). The KODE_INSTANSI column stays empty: use WriteIn for an export
// that spans several governments.
func (w *Writer) Write(e *netra.Employee, unitCode string) error {
	return w.WriteIn(e, unitCode, "")
}

// WriteIn adds one employee, in unit unitCode of the government whose
// Kemendagri code is government ("62.71"; "" leaves KODE_INSTANSI empty).
func (w *Writer) WriteIn(e *netra.Employee, unitCode, government string) error {
	if w.closed {
		return errors.New("roster: write after Close")
	}
	for k, i := range w.cols {
		w.rec[k] = Neutralize(cellOf(e, i, unitCode, government))
	}
	if w.csv != nil {
		if err := w.csv.Write(w.rec); err != nil {
			return fmt.Errorf("roster: write: %w", err)
		}
		return nil
	}
	return w.xlsxRow(w.rec)
}

// Close finishes the roster: it flushes a CSV, and writes the whole XLSX to
// the writer given to NewWriter. It does not close that writer. Calling it
// again does nothing.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return fmt.Errorf("roster: write: %w", err)
		}
		if err := w.bw.Flush(); err != nil {
			return fmt.Errorf("roster: write: %w", err)
		}
		return nil
	}
	err := w.sheet.Flush()
	if err == nil {
		_, err = w.book.WriteTo(w.out)
	}
	if cerr := w.book.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("roster: xlsx: %w", err)
	}
	return nil
}

// dateLayout is how exported dates are written: ISO, which no reader takes
// for month-first or day-first.
const dateLayout = "2006-01-02"

// cellOf returns the text of column i for e, in the form ParseRow reads.
func cellOf(e *netra.Employee, i int, unitCode, government string) string {
	switch i {
	case iNIP:
		return e.NIP
	case iNIK:
		return e.NIK
	case iPNSID:
		return e.PNSID
	case iOldNIP:
		return e.OldNIP
	case iName:
		return e.Name
	case iFrontTitle:
		return e.FrontTitle
	case iBackTitle:
		return e.BackTitle
	case iBirthPlace:
		return e.BirthPlace
	case iBirthDate:
		return formatDate(e.BirthDate)
	case iSex:
		return string(e.Sex)
	case iType:
		return e.Type.Label("id")
	case iCPNS:
		return "" // JENIS_PEGAWAI says CPNS already
	case iGolongan:
		return string(e.Golongan)
	case iRankDate:
		return formatDate(e.RankDate)
	case iPosition:
		return e.PositionName
	case iPositionType:
		return e.PositionType.Label("id")
	case iEselon:
		return e.Eselon
	case iPositionDate:
		return formatDate(e.PositionDate)
	case iHead:
		if e.Head {
			return "Ya"
		}
		return "Tidak"
	case iEducation:
		return e.Education
	case iUnitCode:
		return unitCode
	case iUnitPath:
		return ""
	case iUnitName:
		// The unit's name, for people reading the file; KODE_UNIT decides.
		return e.UnitName
	case iParentUnit, iGovName:
		return ""
	case iEmail:
		return e.Email
	case iOtherEmail:
		return e.OtherEmail
	case iPhone:
		// The national form needs no apostrophe against formulas (see
		// Neutralize), and NormalizePhone turns it back into +62….
		if strings.HasPrefix(e.Phone, "+62") {
			return "0" + e.Phone[3:]
		}
		return e.Phone
	case iStatus:
		return e.Status.Label("id")
	case iGovernment:
		return government
	}
	return ""
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

// Neutralize defuses a cell that a spreadsheet would run as a formula
// (OWASP's advice on CSV injection): a value starting with =, +, -, @, a
// tab or a carriage return gets a leading apostrophe, which Excel and
// LibreOffice take as "this is text" and do not show. Numbers are not
// exempted: "+6281234567890" opened unprotected becomes the number
// 6281234567890 and loses its plus, and "-1+2" is a formula, so the only rule
// that is both safe and simple is the first character. Values Netra exports
// rarely start that way (phone numbers in +62 form are the common case). The
// Reader strips the apostrophe again before such a character, so an
// exported roster imports unchanged.
func Neutralize(s string) string {
	if s != "" && formulaStart(s[0]) {
		return "'" + s
	}
	return s
}

func formulaStart(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// unneutralize undoes Neutralize on a trimmed cell.
func unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaStart(s[1]) {
		return s[1:]
	}
	return s
}
