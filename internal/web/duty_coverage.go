package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf"
	"github.com/netra-id/netra/internal/store"
)

// The coverage of duties (docs/duties.md), the same pages for every kind:
// a pledge campaign today, a circular or a socialisation session tomorrow.
//
//	/tugas                   the duties of a government (?instansi=, ?jenis=, ?status=)
//	/tugas/{id}              the coverage of a node: the government (?instansi= for one
//	                         below the duty's) or a unit (?unit=), its children, breakdowns
//	/tugas/{id}/belum        who under the node has not done it yet (?setelah= pages on)
//	/tugas/{id}/kecualikan   POST: excuse one of them, with a reason (duty.manage)
//	/tugas/{id}/ekspor.xlsx  the children table with totals; .pdf the same as a report
//	/tugas/{id}/belum.xlsx   the whole pending list, streamed
//
// Every number comes from the store's coverage rows (DutyCoverage*): a page
// never counts employees, so a national duty's page costs what a city's does.

// nodeRef names a node of a duty's target in a URL: a unit (?unit=), a
// government below the duty's own (?instansi=), or neither (the duty's
// government, or the actor's unit for a unit-scoped reader).
type nodeRef struct {
	UnitID, TenantID int64
}

// readNode reads ?unit= and ?instansi= (both is a bad request).
func readNode(q *form) (nodeRef, error) {
	n := nodeRef{UnitID: q.idParam("unit"), TenantID: q.idParam("instansi")}
	if err := q.err(); err != nil {
		return n, err
	}
	if n.UnitID != 0 && n.TenantID != 0 {
		return n, errBadRequest("Sebutkan unit atau instansi, bukan keduanya.", "Name a unit or a government, not both.")
	}
	return n, nil
}

// values is the node as query parameters.
func (n nodeRef) values() url.Values {
	v := url.Values{}
	if n.UnitID != 0 {
		v.Set("unit", strconv.FormatInt(n.UnitID, 10))
	}
	if n.TenantID != 0 {
		v.Set("instansi", strconv.FormatInt(n.TenantID, 10))
	}
	return v
}

// nodeOf is the reference of a coverage row: its unit, or its government.
func nodeOf(c netra.Coverage) nodeRef {
	if c.UnitID != 0 {
		return nodeRef{UnitID: c.UnitID}
	}
	return nodeRef{TenantID: c.TenantID}
}

// dutyURL is the address of one of a duty's pages (suffix "", "/belum",
// "/ekspor.xlsx"…) at node n, with extra parameters.
func dutyURL(dutyID int64, suffix string, n nodeRef, extra url.Values) string {
	v := n.values()
	for k, vs := range extra {
		v[k] = vs
	}
	u := "/tugas/" + strconv.FormatInt(dutyID, 10) + suffix
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// coverage reads the coverage of duty id at node n. With no node named it
// is the top node the actor reads: the duty's government, their unit of it,
// or, for a duty of a government above theirs that reaches the governments
// below (a province's campaign seen by a city's leader), their own government.
func (s *Server) coverage(r *http.Request, id int64, n nodeRef) (*store.DutyCoverageView, error) {
	ctx := r.Context()
	if n.TenantID != 0 {
		return s.store.DutyGovernmentCoverage(ctx, id, n.TenantID)
	}
	v, err := s.store.DutyCoverage(ctx, id, n.UnitID)
	if n.UnitID == 0 && errors.Is(err, netra.ErrForbidden) {
		if home := homeTenant(info(r).actor); home != 0 {
			return s.store.DutyGovernmentCoverage(ctx, id, home)
		}
	}
	return v, err
}

// formatPercent writes a share the way the page's language does: "87,5%"
// in Indonesian, "87.5%" in English, rounded down as pdf.Percent does (so
// that 99.96% never shows as 100%). Expected is done ÷ (targeted −
// excused): everyone excused is 100%, nobody targeted "–".
func formatPercent(lang string, c netra.Coverage) string {
	exp := c.Targeted - c.Excused
	var s string
	switch {
	case c.Targeted <= 0:
		return "–"
	case exp <= 0:
		s = pdf.Percent(1, 1)
	default:
		s = pdf.Percent(c.Done, exp)
	}
	if lang == langEN {
		s = strings.ReplaceAll(s, ",", ".")
	}
	return s
}

// coverageRow is one line of a coverage table.
type coverageRow struct {
	netra.Coverage
	Label   string
	Href    string // its own coverage page; "" for a line with none
	Percent string // formatted
	Value   float64
	Direct  bool // the employees placed in the node unit itself
}

func (s *Server) coverageRow(p *page, c netra.Coverage, label, href string) coverageRow {
	if label == "" {
		label = c.Name
	}
	return coverageRow{Coverage: c, Label: label, Href: href, Percent: formatPercent(p.Lang, c), Value: c.Percent()}
}

// coverageRows is the children table of a coverage view: each child with a
// link to its own page, then, for a unit, the employees placed in the unit
// itself (the node's totals less its children's), so that the rows add up
// to the totals.
func (s *Server) coverageRows(p *page, v *store.DutyCoverageView) []coverageRow {
	var out []coverageRow
	rest := v.Node
	for _, c := range v.Children {
		out = append(out, s.coverageRow(p, c, "", dutyURL(v.Duty.ID, "", nodeOf(c), nil)))
		rest.Targeted -= c.Targeted
		rest.Done -= c.Done
		rest.Excused -= c.Excused
	}
	if rest.Targeted > 0 && v.Node.UnitID != 0 {
		row := s.coverageRow(p, rest, p.T("coverage.direct", v.Node.Name), "")
		row.Direct = true
		out = append(out, row)
	}
	return out
}

// coverageTable is the data of the coverage-table partial: the page (for
// its words and numbers), the caption, the first column's heading, the
// lines and an optional totals line.
type coverageTable struct {
	P       *page
	Caption string
	Head    string
	Rows    []coverageRow
	Total   *coverageRow
}

// breakdownRows labels the rows of a breakdown by employment or position type.
func (s *Server) breakdownRows(p *page, cs []netra.Coverage) []coverageRow {
	var out []coverageRow
	for _, c := range cs {
		label := p.Label(c.EmploymentType)
		if c.PositionType != "" {
			label = p.Label(c.PositionType)
		}
		out = append(out, s.coverageRow(p, c, label, ""))
	}
	return out
}

// dutyPeriod is a duty's period in words: "1 September 2024 – 27 November 2024".
func dutyPeriod(p *page, d *netra.Duty) string {
	if d.OpensAt.IsZero() {
		return p.T("coverage.period.until", p.Date(d.DueAt))
	}
	return p.T("coverage.period", p.Date(d.OpensAt), p.Date(d.DueAt))
}

// dutyCrumbs is the trail from the duty list down to the node's parent:
// the governments from the duty's down to the node's (those the actor may
// read), then the node's units above it. A step the actor may not open
// shows as plain text.
func (s *Server) dutyCrumbs(r *http.Request, p *page, v *store.DutyCoverageView) ([]crumb, error) {
	ctx := r.Context()
	a := info(r).actor
	d := v.Duty
	out := []crumb{{Href: "/tugas?instansi=" + strconv.FormatInt(d.TenantID, 10), Label: p.T("coverage.list.title")}}
	// The governments, from the node's up to the duty's.
	var govs []*netra.Tenant
	var node *netra.Tenant
	for id := v.Node.TenantID; id != 0; {
		t, err := s.store.Tenant(ctx, id)
		if err != nil {
			break // above what the actor reads: the trail starts below
		}
		if node == nil {
			node = t
		}
		govs = append(govs, t)
		if t.ID == d.TenantID {
			break
		}
		id = t.ParentID
	}
	for i := len(govs) - 1; i >= 0; i-- {
		t := govs[i]
		if t.ID == v.Node.TenantID && v.Node.UnitID == 0 {
			break // the node itself is the heading
		}
		c := crumb{Label: t.Name}
		if a.ScopeFor(netra.PermDutyRead).CoversTenant(t.Path()) {
			c.Href = dutyURL(d.ID, "", govNode(d, t.ID), nil)
		}
		out = append(out, c)
	}
	if v.Node.UnitID == 0 || node == nil {
		return out, nil
	}
	u, err := s.store.Unit(ctx, v.Node.UnitID)
	if err != nil {
		return nil, err
	}
	anc, err := s.store.UnitAncestors(ctx, u)
	if err != nil {
		return nil, err
	}
	for _, x := range anc {
		if x.ID == u.ID {
			continue
		}
		c := crumb{Label: x.Name}
		if covers(a, netra.PermDutyRead, node, x.Path) {
			c.Href = dutyURL(d.ID, "", nodeRef{UnitID: x.ID}, nil)
		}
		out = append(out, c)
	}
	return out, nil
}

// govNode is the reference of government tenantID in duty d: none for the
// duty's own (its page is the plain one).
func govNode(d *netra.Duty, tenantID int64) nodeRef {
	if tenantID == d.TenantID {
		return nodeRef{}
	}
	return nodeRef{TenantID: tenantID}
}

type dutyCoveragePage struct {
	*page
	Duty     *netra.Duty
	Period   string
	Crumbs   []crumb
	Node     coverageRow
	NodeKind string // "unit" or "government", for the headings
	Children coverageTable
	// HasChildren: the node has units (or governments) below it; a leaf
	// unit shows its totals alone.
	HasChildren bool
	ByType      coverageTable
	ByPosition  coverageTable
	PendingURL  string
	ExportXLSX  string
	ExportPDF   string
	Draft       bool
	Closed      bool
}

// dutyCoverage is the coverage page of a duty at a node.
func (s *Server) dutyCoverage(w http.ResponseWriter, r *http.Request) error {
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
	p.Title = v.Duty.Title + " · " + v.Node.Name
	node := s.coverageRow(p, v.Node, "", "")
	d := &dutyCoveragePage{page: p, Duty: v.Duty, Period: dutyPeriod(p, v.Duty), Node: node,
		Children: coverageTable{P: p, Caption: p.T("coverage.children.government", v.Node.Name), Head: p.T("coverage.col.node"),
			Rows: s.coverageRows(p, v), Total: &node},
		ByType: coverageTable{P: p, Caption: p.T("coverage.by_type"), Head: p.T("coverage.col.type"),
			Rows: s.breakdownRows(p, v.ByType)},
		ByPosition: coverageTable{P: p, Caption: p.T("coverage.by_position"), Head: p.T("coverage.col.position_type"),
			Rows: s.breakdownRows(p, v.ByPosition)},
		HasChildren: len(v.Children) > 0, Draft: v.Duty.Status == netra.DutyDraft, Closed: v.Duty.Status == netra.DutyClosed, NodeKind: "government"}
	if v.Node.UnitID != 0 {
		d.NodeKind = "unit"
		d.Children.Caption, d.Children.Head = p.T("coverage.children.unit", v.Node.Name), p.T("coverage.col.unit")
	}
	if d.Crumbs, err = s.dutyCrumbs(r, p, v); err != nil {
		return err
	}
	// The node as the page resolved it, so that the links keep it.
	here := govNode(v.Duty, v.Node.TenantID)
	if v.Node.UnitID != 0 {
		here = nodeRef{UnitID: v.Node.UnitID}
	}
	d.PendingURL = dutyURL(id, "/belum", here, nil)
	d.ExportXLSX = dutyURL(id, "/ekspor.xlsx", here, nil)
	d.ExportPDF = dutyURL(id, "/ekspor.pdf", here, nil)
	return s.render(w, r, http.StatusOK, "duty_coverage", d)
}

// dutyListRow is one duty of the list with its totals where the actor reads them.
type dutyListRow struct {
	netra.Duty
	Period string
	Node   *coverageRow // nil when the totals could not be read
}

type dutyListPage struct {
	*page
	Rows     []dutyListRow
	Filter   []field
	Tenant   *netra.Tenant
	Filtered bool
}

// dutyList lists the duties of a government (?instansi=, by default the
// actor's own) that the actor may read, newest first, filtered by kind
// (?jenis=) and status (?status=), each with its totals at the top node
// the actor reads (the government, or their unit).
func (s *Server) dutyList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := newQuery(r)
	tenantID := q.idParam("instansi")
	kind := netra.DutyKind(q.trim("jenis"))
	status := netra.DutyStatus(q.trim("status"))
	if kind != "" && !kind.Valid() {
		q.invalid("jenis", netra.Msg("Jenis tugas tidak dikenal.", "Unknown duty kind."))
	}
	if status != "" && !status.Valid() {
		q.invalid("status", netra.Msg("Status tugas tidak dikenal.", "Unknown duty status."))
	}
	if err := q.err(); err != nil {
		return err
	}
	p := s.newPage(r, "coverage.list.title")
	tenants, err := s.store.Tenants(ctx)
	if err != nil {
		return err
	}
	if tenantID == 0 {
		tenantID = homeTenant(info(r).actor)
	}
	if tenantID == 0 && len(tenants) > 0 {
		tenantID = tenants[0].ID
	}
	d := &dutyListPage{page: p, Filtered: kind != "" || status != ""}
	if tenantID == 0 {
		return s.render(w, r, http.StatusOK, "duty_coverage_list", d)
	}
	if d.Tenant, err = s.store.Tenant(ctx, tenantID); err != nil {
		return err
	}
	govs := []string{}
	for _, t := range tenants {
		govs = append(govs, strconv.FormatInt(t.ID, 10), t.Name)
	}
	kinds := []string{"", p.T("coverage.filter.all")}
	for _, k := range netra.DutyKinds {
		kinds = append(kinds, string(k), k.Label(p.Lang))
	}
	statuses := []string{"", p.T("coverage.filter.all")}
	for _, st := range []netra.DutyStatus{netra.DutyDraft, netra.DutyOpen, netra.DutyClosed} {
		statuses = append(statuses, string(st), st.Label(p.Lang))
	}
	d.Filter = []field{
		{Name: "instansi", Label: p.T("coverage.filter.government"), Type: "select", Options: options(strconv.FormatInt(tenantID, 10), govs...)},
		{Name: "jenis", Label: p.T("coverage.filter.kind"), Type: "select", Options: options(string(kind), kinds...)},
		{Name: "status", Label: p.T("coverage.filter.status"), Type: "select", Options: options(string(status), statuses...)},
	}
	ds, err := s.store.Duties(ctx, store.DutyFilter{TenantID: tenantID, Kind: kind, Status: status})
	if err != nil {
		return err
	}
	for i := range ds {
		row := dutyListRow{Duty: ds[i], Period: dutyPeriod(p, &ds[i])}
		// The top node the actor reads: the duty's government, or their
		// unit of it. Four key reads; a draft has zero totals.
		if v, err := s.coverage(r, ds[i].ID, nodeRef{}); err == nil {
			c := s.coverageRow(p, v.Node, "", "")
			row.Node = &c
		}
		d.Rows = append(d.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "duty_coverage_list", d)
}

// homeTenant is the government of the actor's first grant that names one
// (0 for a super admin).
func homeTenant(a *netra.Actor) int64 {
	if a == nil {
		return 0
	}
	for _, g := range a.Grants {
		if g.TenantID != 0 {
			return g.TenantID
		}
	}
	return 0
}

// wibNow is the server's time in Western Indonesia Time, as documents print it.
func (s *Server) wibNow() time.Time { return s.now().In(wib) }
