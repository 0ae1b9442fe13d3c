package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
)

// The exports of a duty's coverage: the children table of a node with its
// totals as XLSX (in the page's language) and as a PDF report (Indonesian,
// with the government's letterhead, for the coordination meeting), and the
// node's whole pending list as XLSX. Every text cell goes through
// roster.Neutralize; counts are numbers and shares percentages, so that a
// spreadsheet can sum and sort them.

// sheet is one worksheet written with excelize's stream writer: rows go to
// a temporary file past a few MB, not memory, and the workbook is sent
// whole once complete, so a failure before then is still a clean error page.
type sheet struct {
	f          *excelize.File
	sw         *excelize.StreamWriter
	row        int
	bold, pct  int
	boldPct    int
	text, head int
}

func newSheet(name string, widths []float64) (*sheet, error) {
	f := excelize.NewFile()
	sh := &sheet{f: f}
	fail := func(err error) (*sheet, error) {
		f.Close()
		return nil, fmt.Errorf("web: xlsx: %w", err)
	}
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fail(err)
	}
	var err error
	if sh.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return fail(err)
	}
	if sh.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECEF"}}}); err != nil {
		return fail(err)
	}
	if sh.pct, err = f.NewStyle(&excelize.Style{NumFmt: 10}); err != nil { // 0.00%
		return fail(err)
	}
	if sh.boldPct, err = f.NewStyle(&excelize.Style{NumFmt: 10, Font: &excelize.Font{Bold: true}}); err != nil {
		return fail(err)
	}
	if sh.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": a NIP stays 18 digits
		return fail(err)
	}
	if sh.sw, err = f.NewStreamWriter(name); err != nil {
		return fail(err)
	}
	for i, w := range widths {
		if err := sh.sw.SetColWidth(i+1, i+1, w); err != nil {
			return fail(err)
		}
	}
	return sh, nil
}

// put writes the next row: strings are neutralised, excelize.Cell values
// keep their style (a string in one is neutralised too), anything else goes
// as it is (counts as numbers).
func (sh *sheet) put(cells ...any) error {
	for i, c := range cells {
		switch v := c.(type) {
		case string:
			cells[i] = roster.Neutralize(v)
		case excelize.Cell:
			if s, ok := v.Value.(string); ok {
				v.Value = roster.Neutralize(s)
				cells[i] = v
			}
		}
	}
	sh.row++
	cell, err := excelize.CoordinatesToCellName(1, sh.row)
	if err != nil {
		return err
	}
	return sh.sw.SetRow(cell, cells)
}

// styled gives every cell the style id.
func styled(style int, cells ...any) []any {
	out := make([]any, len(cells))
	for i, c := range cells {
		out[i] = excelize.Cell{StyleID: style, Value: c}
	}
	return out
}

// send finishes the workbook and writes it as a download called name; the
// caller closes the file.
func (sh *sheet) send(w http.ResponseWriter, name string) error {
	if err := sh.sw.Flush(); err != nil {
		return fmt.Errorf("web: xlsx: %w", err)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := sh.f.WriteTo(w)
	return err
}

// share is a coverage's share as a spreadsheet value: a fraction shown as
// a percentage, empty when nobody was targeted.
func share(c netra.Coverage) any {
	exp := c.Targeted - c.Excused
	switch {
	case c.Targeted <= 0:
		return ""
	case exp <= 0:
		return 1.0 // everyone excused, as Coverage.Percent
	}
	return float64(c.Done) / float64(exp)
}

// exportName is a download's file name: the prefix, the duty and the time.
func (s *Server) exportName(prefix string, d *netra.Duty, ext string) string {
	return prefix + "-" + strconv.FormatInt(d.ID, 10) + "-" + s.wibNow().Format("20060102-1504") + "." + ext
}

// coverageExportData reads what the children exports show.
func (s *Server) coverageExportData(r *http.Request) (*store.DutyCoverageView, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	n, err := readNode(newQuery(r))
	if err != nil {
		return nil, err
	}
	return s.coverage(r, id, n)
}

// nodeLabel is the heading of a node's children: "Unit kerja" below a
// unit, "Unit kerja/instansi" below a government.
func nodeLabel(p *page, v *store.DutyCoverageView) string {
	if v.Node.UnitID != 0 {
		return p.T("coverage.col.unit")
	}
	return p.T("coverage.col.node")
}

// nodeKind names what the node is: "Unit kerja" or "Instansi".
func nodeKind(p *page, v *store.DutyCoverageView) string {
	if v.Node.UnitID != 0 {
		return p.T("coverage.col.unit")
	}
	return p.T("coverage.col.government")
}

// dutyExportXLSX writes the children table of a node with its totals.
func (s *Server) dutyExportXLSX(w http.ResponseWriter, r *http.Request) error {
	v, err := s.coverageExportData(r)
	if err != nil {
		return err
	}
	p := s.newPage(r, "")
	sh, err := newSheet(p.T("coverage.sheet"), []float64{44, 12, 12, 14, 12, 12})
	if err != nil {
		return err
	}
	defer sh.f.Close()
	rows := s.coverageRows(p, v)
	for _, line := range [][]any{
		styled(sh.bold, v.Duty.Title),
		{nodeKind(p, v), v.Node.Name},
		{p.T("coverage.export.period"), dutyPeriod(p, v.Duty)},
		{p.T("coverage.export.at"), p.DateTime(s.now())},
		{},
		styled(sh.head, nodeLabel(p, v), p.T("coverage.col.targeted"), p.T("coverage.col.done"), p.T("coverage.col.excused"),
			p.T("coverage.col.pending"), p.T("coverage.col.percent")),
	} {
		if err := sh.put(line...); err != nil {
			return err
		}
	}
	for _, c := range rows {
		if err := sh.put(c.Label, c.Targeted, c.Done, c.Excused, c.Pending(), excelize.Cell{StyleID: sh.pct, Value: share(c.Coverage)}); err != nil {
			return err
		}
	}
	t := v.Node
	totals := styled(sh.bold, p.T("coverage.total"), t.Targeted, t.Done, t.Excused, t.Pending())
	totals = append(totals, excelize.Cell{StyleID: sh.boldPct, Value: share(t)})
	if err := sh.put(totals...); err != nil {
		return err
	}
	return sh.send(w, s.exportName("cakupan", v.Duty, "xlsx"))
}

// letterhead is a government's kop surat: its name as Indonesian letters
// head it ("PEMERINTAH KOTA PALANGKA RAYA"). Netra keeps no agency or
// address for a government yet, so the letterhead is that line alone.
func letterhead(t *netra.Tenant) pdf.Letterhead {
	name := strings.ToUpper(strings.TrimSpace(t.Name))
	if !strings.HasPrefix(name, "PEMERINTAH") {
		name = "PEMERINTAH " + name
	}
	return pdf.Letterhead{Government: name}
}

// dutyExportPDF writes the children table of a node with its totals as a
// report: the letterhead of the duty's government (or, for a reader of a
// government below it only, of the node's), the kind's title, the duty's
// name and period, and the moment it was made (the server's clock).
func (s *Server) dutyExportPDF(w http.ResponseWriter, r *http.Request) error {
	v, err := s.coverageExportData(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	head := v.Node.TenantID
	if t, err := s.store.Tenant(ctx, v.Duty.TenantID); err == nil && coversTenant(info(r).actor, netra.PermDutyRead, t) {
		head = t.ID
	}
	t, err := s.store.Tenant(ctx, head)
	if err != nil {
		return err
	}
	// An official document: in Indonesian whatever the page's language.
	p := s.newPage(r, "")
	p.Lang = langID
	now := s.wibNow()
	title := p.T("coverage.pdf.title")
	if k := "coverage.pdf.title." + string(v.Duty.Kind); s.cat[langID][k] != "" {
		title = p.T(k)
	}
	var body [][]string
	for i, c := range s.coverageRows(p, v) {
		body = append(body, []string{strconv.Itoa(i + 1), c.Label, pdf.Int(c.Targeted), pdf.Int(c.Done), pdf.Int(c.Excused),
			pdf.Int(c.Pending()), formatPercent(langID, c.Coverage)})
	}
	n := v.Node
	rep := pdf.Report{
		Letterhead: letterhead(t),
		Title:      title,
		Subtitle:   v.Duty.Title,
		Period:     p.T("coverage.pdf.period", dutyPeriod(p, v.Duty), pdf.DateTime(now)),
		Intro:      nodeKind(p, v) + ": " + n.Name + ". " + p.T("coverage.pdf.intro"),
		Columns: []pdf.Column{{Title: p.T("coverage.col.no"), Width: 0.75, Align: pdf.AlignRight}, {Title: nodeLabel(p, v), Width: 3.5},
			{Title: p.T("coverage.col.targeted"), Width: 1.1, Align: pdf.AlignRight}, {Title: p.T("coverage.col.done"), Width: 1, Align: pdf.AlignRight},
			{Title: p.T("coverage.col.excused"), Width: 1.65, Align: pdf.AlignRight}, {Title: p.T("coverage.col.pending"), Width: 1, Align: pdf.AlignRight},
			{Title: p.T("coverage.col.percent"), Width: 1.2, Align: pdf.AlignRight}},
		Rows: pdf.RowsOf(body),
		Totals: []string{"", p.T("coverage.total"), pdf.Int(n.Targeted), pdf.Int(n.Done), pdf.Int(n.Excused), pdf.Int(n.Pending()),
			formatPercent(langID, n)},
		Created:    now,
		FooterNote: "Netra · " + v.Duty.Kind.Label(langID) + " · " + v.Duty.Title,
	}
	var buf bytes.Buffer
	if err := pdf.WriteReport(&buf, rep); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.exportName("cakupan", v.Duty, "pdf")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err = buf.WriteTo(w)
	return err
}

// dutyPendingXLSX writes everyone under a node who has not done the duty
// yet: read 500 at a time by keyset (each an audited read) and streamed to
// the workbook's temporary file, so memory stays bounded at any size.
func (s *Server) dutyPendingXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := readNode(newQuery(r))
	if err != nil {
		return err
	}
	v, err := s.coverage(r, id, n)
	if err != nil {
		return err
	}
	p := s.newPage(r, "")
	sh, err := newSheet(p.T("coverage.pending.sheet"), []float64{22, 34, 36, 34, 30, 18})
	if err != nil {
		return err
	}
	defer sh.f.Close()
	for _, line := range [][]any{
		styled(sh.bold, v.Duty.Title),
		{nodeKind(p, v), v.Node.Name},
		{p.T("coverage.export.at"), p.DateTime(s.now())},
		{},
		styled(sh.head, p.T("coverage.col.nip"), p.T("coverage.col.name"), p.T("coverage.col.unit"), p.T("coverage.col.position"),
			p.T("coverage.col.email"), p.T("coverage.col.phone")),
	} {
		if err := sh.put(line...); err != nil {
			return err
		}
	}
	var after int64
	for {
		rows, err := s.pending(r, id, n, after, store.DutyPendingLimit)
		if err != nil {
			return err
		}
		for _, a := range rows {
			if err := sh.put(excelize.Cell{StyleID: sh.text, Value: a.NIP}, a.Name, a.UnitName, a.PositionName, a.Email, a.Phone); err != nil {
				return err
			}
		}
		if len(rows) < store.DutyPendingLimit {
			break
		}
		after = rows[len(rows)-1].EmployeeID
	}
	return sh.send(w, s.exportName("belum", v.Duty, "xlsx"))
}
