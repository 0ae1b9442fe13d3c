package roster

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// WriteErrorsCSV writes row problems as a semicolon-separated CSV report with the columns BARIS,
// KOLOM, NILAI, ALASAN (LINE, COLUMN, VALUE, REASON when lang is "en"), the
// reasons in lang. The report starts with a UTF-8 byte order mark, without
// which Excel shows the reasons' dashes and quotes as mojibake. A cell that
// starts with = + - @ (or a tab or carriage return) gets a leading quote so
// that a spreadsheet does not run it as a formula: the values come from
// uploaded files and may be hostile.
func WriteErrorsCSV(w io.Writer, errs []RowError, lang string) error {
	if _, err := w.Write(bom); err != nil {
		return fmt.Errorf("roster: write error report: %w", err)
	}
	cw := csv.NewWriter(w)
	// Indonesian Excel (decimal comma) splits CSV cells on semicolons; a
	// comma-separated report would open as one column there.
	cw.Comma = ';'
	header := []string{"BARIS", "KOLOM", "NILAI", "ALASAN"}
	if lang == "en" {
		header = []string{"LINE", "COLUMN", "VALUE", "REASON"}
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("roster: write error report: %w", err)
	}
	rec := make([]string, 4)
	for _, e := range errs {
		rec[0] = strconv.Itoa(e.Line)
		rec[1] = safeCell(e.Column)
		rec[2] = safeCell(e.Value)
		rec[3] = safeCell(e.Reason.In(lang))
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("roster: write error report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("roster: write error report: %w", err)
	}
	return nil
}

// safeCell defuses a cell that a spreadsheet would read as a formula
// (OWASP's CSV injection advice).
func safeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
