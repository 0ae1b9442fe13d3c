package pdf

// Column is one column of a table.
type Column struct {
	Title string
	Width float64 // the column's share of the table width; 0 means 1
	Align Align   // of the title and the cells; AlignRight for numbers
}

// Table is a table being set row by row. Its header row is set again at
// the top of every page the table reaches, and a row never splits across
// pages. Rows are drawn as they come, so a table of any length costs the
// memory of one page. Begin one with Document.Table.
type Table struct {
	d      *Document
	cols   []Column
	xs, ws []float64
	header bool // the header has been set on this page
	done   bool
}

// Table layout, in points.
const (
	cellSize    = 9
	cellLeading = 1.3
	cellPadX    = 1.5 * MM
	cellPadY    = 1.1 * MM
)

var (
	gridColor   = Color{110, 110, 110}
	headerShade = Color{225, 228, 232}
	totalShade  = Color{240, 241, 243}
	white       = Color{255, 255, 255}
)

// Table begins a table across the text area with cols; its header is set
// with the first row (or by End when there is none). The table ends with
// End or when another block begins.
func (d *Document) Table(cols []Column) *Table {
	d.endTable()
	t := &Table{d: d, cols: cols}
	sum := 0.0
	for _, c := range cols {
		if c.Width <= 0 {
			c.Width = 1
		}
		sum += c.Width
	}
	x := d.m.Left
	for _, c := range cols {
		w := c.Width
		if w <= 0 {
			w = 1
		}
		w *= d.Width() / sum
		t.xs = append(t.xs, x)
		t.ws = append(t.ws, w)
		x += w
	}
	d.table = t
	return t
}

// Row sets one row; missing cells are empty, extra ones are ignored. Text
// wraps within its cell.
func (t *Table) Row(cells ...string) { t.row(cells, false) }

// Total sets a totals row: bold, shaded.
func (t *Table) Total(cells ...string) { t.row(cells, true) }

// End ends the table (setting its header if no row came) and leaves
// paragraph space after it.
func (t *Table) End() {
	if t.done {
		return
	}
	t.done = true
	d := t.d
	if d.table == t {
		d.table = nil
	}
	if !t.header {
		t.row(nil, false)
		return
	}
	d.gap(gapAfter)
}

// row sets a row of cells, or only the header when cells is nil at End.
// The header goes with the first row, and again above the first row of
// every new page.
func (t *Table) row(cells []string, total bool) {
	d := t.d
	if t.done && cells != nil || len(t.cols) == 0 {
		return
	}
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.Title
	}
	hl, hh := t.layout(titles, true, 0)
	if cells == nil {
		d.ensure(hh)
		t.draw(hl, hh, true, headerShade)
		d.gap(gapAfter)
		return
	}
	// A row taller than a page is cut to what fits under the header.
	lines, h := t.layout(cells, total, d.ph-d.m.Top-d.m.Bottom-hh)
	d.begin()
	switch {
	case !t.header:
		d.ensure(hh + h)
		t.draw(hl, hh, true, headerShade)
		t.header = true
	case d.y+h > d.ph-d.m.Bottom+0.01:
		d.newPage()
		t.draw(hl, hh, true, headerShade)
	}
	shade := white
	if total {
		shade = totalShade
	}
	t.draw(lines, h, total, shade)
}

// layout wraps cells into their columns and returns the lines and the row
// height, cutting cells to at most maxH when maxH > 0.
func (t *Table) layout(cells []string, bold bool, maxH float64) ([][]line, float64) {
	f := t.d.font(bold)
	lh := cellSize * cellLeading
	out := make([][]line, len(t.cols))
	n := 1
	for i := range t.cols {
		if i < len(cells) && cells[i] != "" {
			out[i] = t.d.wrap(f, cellSize, t.ws[i]-2*cellPadX, cells[i])
		}
		n = max(n, len(out[i]))
	}
	if maxH > 0 {
		if most := int((maxH - 2*cellPadY) / lh); n > most && most >= 1 {
			for i, ls := range out {
				if len(ls) > most {
					out[i] = ls[:most]
					cut := &out[i][most-1]
					cut.words = append(append([]string(nil), cut.words...), "…")
					cut.last = true
				}
			}
			n = most
		}
	}
	return out, float64(n)*lh + 2*cellPadY
}

// draw sets a laid-out row at d.y: its shade, its text and its grid. The
// header row also draws the line above it; every row the line under it.
func (t *Table) draw(lines [][]line, h float64, bold bool, shade Color) {
	d := t.d
	f := d.font(bold)
	lh := cellSize * cellLeading
	left, right := t.xs[0], t.xs[len(t.xs)-1]+t.ws[len(t.ws)-1]
	if shade != white {
		d.rect(left, d.y, right-left, h, shade)
	}
	for i, ls := range lines {
		y := d.y + cellPadY
		a := t.cols[i].Align
		if a == AlignJustify {
			a = AlignLeft
		}
		for _, l := range ls {
			l.width = f.width(l.text(), cellSize)
			d.drawLine(f, cellSize, l, t.xs[i]+cellPadX, t.ws[i]-2*cellPadX, a, y+baseline(cellSize, lh), Black)
			y += lh
		}
	}
	top := d.y
	d.line(left, top, left, top+h, 0.4, gridColor)
	for i, x := range t.xs {
		d.line(x+t.ws[i], top, x+t.ws[i], top+h, 0.4, gridColor)
	}
	if shade == headerShade {
		d.line(left, top, right, top, 0.6, gridColor)
	}
	d.line(left, top+h, right, top+h, 0.4, gridColor)
	d.y += h
}
