package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// Who has not done a duty yet, under a node, for a unit head to act on:
// keyset pages by employee id (DutyPending*, each page an audited read),
// and, for an operator whose duty.manage covers the employee's unit, an
// excuse with a required reason (ExcuseDuty).

// pendingPageSize is how many people one page of the pending list shows.
const pendingPageSize = 50

// pending reads one page of duty id's pending list at node n.
func (s *Server) pending(r *http.Request, id int64, n nodeRef, after int64, limit int) ([]store.DutyAssignee, error) {
	if n.TenantID != 0 {
		return s.store.DutyGovernmentPending(r.Context(), id, n.TenantID, after, limit)
	}
	return s.store.DutyPending(r.Context(), id, n.UnitID, after, limit)
}

type pendingRow struct {
	store.DutyAssignee
	CanExcuse bool
	Error     string // why the excuse just sent was refused
	Reason    string // the reason as typed, when refused
}

type dutyPendingPage struct {
	*page
	Duty      *netra.Duty
	Crumbs    []crumb
	Node      coverageRow
	Rows      []pendingRow
	Hidden    []hiddenField // the node and the page, carried by the excuse forms
	FirstURL  string
	NextURL   string
	ExportURL string
	CanExcuse bool // some row may be excused
	Open      bool
}

// manageChecker answers, row by row, whether the actor's duty.manage
// covers an employee's unit, reading each unit and government once.
type manageChecker struct {
	s       *Server
	r       *http.Request
	all     bool // duty.manage covers the whole node
	none    bool // the actor holds no duty.manage at all
	units   map[int64]bool
	tenants map[int64]*netra.Tenant
}

func (s *Server) manageChecker(r *http.Request, v *store.DutyCoverageView) (*manageChecker, error) {
	a := info(r).actor
	m := &manageChecker{s: s, r: r, units: map[int64]bool{}, tenants: map[int64]*netra.Tenant{}}
	if !a.Can(netra.PermDutyManage) || v.Duty.Status != netra.DutyOpen {
		m.none = true
		return m, nil
	}
	t, err := m.tenant(v.Node.TenantID)
	if err != nil {
		return nil, err
	}
	if v.Node.UnitID == 0 {
		m.all = coversTenant(a, netra.PermDutyManage, t)
		return m, nil
	}
	u, err := s.store.Unit(r.Context(), v.Node.UnitID)
	if err != nil {
		return nil, err
	}
	m.all = covers(a, netra.PermDutyManage, t, u.Path)
	return m, nil
}

func (m *manageChecker) tenant(id int64) (*netra.Tenant, error) {
	if t, ok := m.tenants[id]; ok {
		return t, nil
	}
	t, err := m.s.store.Tenant(m.r.Context(), id)
	if err != nil {
		return nil, err
	}
	m.tenants[id] = t
	return t, nil
}

// covers reports whether the actor may excuse the employees of unit unitID.
func (m *manageChecker) covers(unitID int64) bool {
	if m.all || m.none {
		return m.all
	}
	if ok, seen := m.units[unitID]; seen {
		return ok
	}
	ok := false
	if u, err := m.s.store.Unit(m.r.Context(), unitID); err == nil {
		if t, err := m.tenant(u.TenantID); err == nil {
			ok = covers(info(m.r).actor, netra.PermDutyManage, t, u.Path)
		}
	}
	m.units[unitID] = ok
	return ok
}

// pendingData builds the pending list of duty id at node n from after.
func (s *Server) pendingData(r *http.Request, id int64, n nodeRef, after int64) (*dutyPendingPage, error) {
	v, err := s.coverage(r, id, n)
	if err != nil {
		return nil, err
	}
	rows, err := s.pending(r, id, n, after, pendingPageSize)
	if err != nil {
		return nil, err
	}
	p := s.newPage(r, "")
	p.Title = p.T("coverage.pending.title") + " · " + v.Node.Name
	d := &dutyPendingPage{page: p, Duty: v.Duty, Node: s.coverageRow(p, v.Node, "", ""), Open: v.Duty.Status == netra.DutyOpen}
	if d.Crumbs, err = s.dutyCrumbs(r, p, v); err != nil {
		return nil, err
	}
	here := govNode(v.Duty, v.Node.TenantID)
	if v.Node.UnitID != 0 {
		here = nodeRef{UnitID: v.Node.UnitID}
	}
	d.Crumbs = append(d.Crumbs, crumb{Href: dutyURL(id, "", here, nil), Label: v.Node.Name})
	m, err := s.manageChecker(r, v)
	if err != nil {
		return nil, err
	}
	for _, a := range rows {
		row := pendingRow{DutyAssignee: a, CanExcuse: m.covers(a.UnitID)}
		d.CanExcuse = d.CanExcuse || row.CanExcuse
		d.Rows = append(d.Rows, row)
	}
	for k, vs := range here.values() {
		d.Hidden = append(d.Hidden, hiddenField{k, vs[0]})
	}
	if after != 0 {
		d.Hidden = append(d.Hidden, hiddenField{"setelah", strconv.FormatInt(after, 10)})
		d.FirstURL = dutyURL(id, "/belum", here, nil)
	}
	if len(rows) == pendingPageSize {
		d.NextURL = dutyURL(id, "/belum", here, url.Values{"setelah": {strconv.FormatInt(rows[len(rows)-1].EmployeeID, 10)}})
	}
	d.ExportURL = dutyURL(id, "/belum.xlsx", here, nil)
	return d, nil
}

// dutyPending lists who under a node has not done the duty yet.
func (s *Server) dutyPending(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	n, err := readNode(q)
	if err != nil {
		return err
	}
	after := q.idParam("setelah")
	if err := q.err(); err != nil {
		return err
	}
	d, err := s.pendingData(r, id, n, after)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "duty_coverage_pending", d)
}

// dutyExcuse excuses one pending employee (pegawai) from the duty with a
// reason (alasan), then shows the same page of the list again. A refused
// excuse (no reason, too long, already done) shows the list with the
// message at the employee's row; an employee outside the actor's
// duty.manage is refused by the store (404 or 403).
func (s *Server) dutyExcuse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	n, err := readNode(f)
	if err != nil {
		return err
	}
	after := f.idParam("setelah")
	emp := f.idParam("pegawai")
	if err := f.err(); err != nil {
		return err
	}
	if emp == 0 {
		return errBadRequest("Pegawai tidak disebutkan.", "No employee given.")
	}
	reason := f.get("alasan")
	err = s.store.ExcuseDuty(r.Context(), id, emp, reason)
	if err == nil {
		back := url.Values{}
		if after != 0 {
			back.Set("setelah", strconv.FormatInt(after, 10))
		}
		return s.redirect(w, r, dutyURL(id, "/belum", n, back), "duty_excused")
	}
	status, ok := formStatus(err)
	if !ok {
		return err
	}
	d, derr := s.pendingData(r, id, n, after)
	if derr != nil {
		return derr
	}
	msg, isUser := userText(err, d.Lang)
	if !isUser {
		for _, m := range fieldMessages(err, d.Lang) {
			msg = m
			break
		}
	}
	found := false
	for i := range d.Rows {
		if d.Rows[i].EmployeeID == emp {
			d.Rows[i].Error, d.Rows[i].Reason, found = msg, reason, true
			d.Errors = append(d.Errors, summaryItem{Field: "alasan-" + strconv.FormatInt(emp, 10), Label: d.Rows[i].Name, Message: msg})
		}
	}
	if !found {
		d.FormError = msg
	}
	return s.render(w, r, status, "duty_coverage_pending", d)
}
