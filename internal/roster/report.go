package roster

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// ErrorsCSV writes row problems, one at a time, as a semicolon-separated
// CSV report with the columns BARIS, KOLOM, NILAI, ALASAN (LINE, COLUMN,
// VALUE, REASON when lang is "en"), the reasons in lang. The report starts
// with a UTF-8 byte order mark, without which Excel shows the reasons' dashes
// and quotes as mojibake. A cell that starts with = + - @ (or a tab or
// carriage return) gets a leading quote so that a spreadsheet does not run it
// as a formula: the values come from uploaded files and may be hostile.
type ErrorsCSV struct {
	cw   *csv.Writer
	lang string
	rec  []string
}

// NewErrorsCSV starts a report on w with its byte order mark and header.
func NewErrorsCSV(w io.Writer, lang string) (*ErrorsCSV, error) {
	if _, err := w.Write(bom); err != nil {
		return nil, fmt.Errorf("roster: write error report: %w", err)
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
		return nil, fmt.Errorf("roster: write error report: %w", err)
	}
	return &ErrorsCSV{cw: cw, lang: lang, rec: make([]string, 4)}, nil
}

// Write adds one problem to the report.
func (r *ErrorsCSV) Write(e RowError) error {
	r.rec[0] = strconv.Itoa(e.Line)
	r.rec[1] = safeCell(e.Column)
	r.rec[2] = safeCell(e.Value)
	r.rec[3] = safeCell(e.Reason.In(r.lang))
	if err := r.cw.Write(r.rec); err != nil {
		return fmt.Errorf("roster: write error report: %w", err)
	}
	return nil
}

// Flush writes out what is buffered; call it at the end.
func (r *ErrorsCSV) Flush() error {
	r.cw.Flush()
	if err := r.cw.Error(); err != nil {
		return fmt.Errorf("roster: write error report: %w", err)
	}
	return nil
}

// WriteErrorsCSV writes errs as one ErrorsCSV report.
func WriteErrorsCSV(w io.Writer, errs []RowError, lang string) error {
	r, err := NewErrorsCSV(w, lang)
	if err != nil {
		return err
	}
	for _, e := range errs {
		if err := r.Write(e); err != nil {
			return err
		}
	}
	return r.Flush()
}

// safeCell defuses a cell that a spreadsheet would read as a formula.
func safeCell(s string) string { return Neutralize(s) }
