package web

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// maxPrevPages bounds the trail of earlier page cursors the employee list
// carries in its URL for the "previous" link (keyset pages only go forward).
const maxPrevPages = 30

// encodeCursor makes a store cursor opaque and URL-safe.
func encodeCursor(c string) string {
	if c == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(c))
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", netra.Invalid("after", netra.Msg("Penanda halaman tidak sah.", "Invalid page cursor."))
	}
	return string(b), nil
}

type employeeListPage struct {
	*page
	Filter []field
	Search string
	// SearchHint explains what a search matches here.
	SearchHint string
	Rows       []netra.Employee
	Total      int
	More       bool
	NextURL    string
	PrevURL    string
	FirstURL   string
	CanCreate  bool
	CreateURL  string
	// FiltersOpen unfolds the filters when any is set.
	FiltersOpen bool
	listExtras
}

// employeeList lists the employees in scope with filters, a search by name
// or NIP, and keyset pages that stay fast at national size.
func (s *Server) employeeList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := newQuery(r)
	p := s.newPage(r, "employees.title")
	f, status, err := listFilter(q)
	if err != nil {
		return err
	}
	after, err := decodeCursor(q.get("after"))
	if err != nil {
		return err
	}
	f.After = after
	tenants, err := s.store.Tenants(ctx)
	if err != nil {
		return err
	}
	if len(tenants) == 1 {
		f.TenantID = tenants[0].ID
	}
	d := &employeeListPage{page: p, Search: f.Search, CanCreate: info(r).actor.Can(netra.PermEmployeeWrite),
		FiltersOpen: q.get("instansi") != "" || q.get("unit") != "" || q.get("jenis") != "" || q.get("jabatan") != "" || q.get("status") != ""}
	d.SearchHint = p.T("registry.search.hint")
	if store.NameSearchMatchesStart(ctx, f) {
		d.SearchHint = p.T("registry.search.hint_start")
	}
	d.Filter = append(d.Filter, field{Name: "instansi", Label: p.T("employee.tenant"), Type: "select",
		Options: tenantOptions(tenants, strconv.FormatInt(f.TenantID, 10), p.T("filter.all"), false)})
	if f.TenantID != 0 {
		units, err := s.store.Units(ctx, netra.UnitFilter{TenantID: f.TenantID, Limit: maxUnitChoices + 1})
		if err != nil {
			return err
		}
		if len(units) <= maxUnitChoices {
			d.Filter = append(d.Filter, field{Name: "unit", Label: p.T("employee.unit.subtree"), Type: "select",
				Options: unitOptions(units, f.UnitID, p.T("filter.all"))})
		}
	}
	d.Filter = append(d.Filter,
		field{Name: "jenis", Label: p.T("employee.type"), Type: "select", Options: typeOptions(p, string(f.Type), p.T("filter.all"))},
		field{Name: "jabatan", Label: p.T("employee.position_type"), Type: "select", Options: positionOptions(p, string(f.PositionType), p.T("filter.all"))},
		field{Name: "status", Label: p.T("employee.status"), Type: "select", Options: statusOptions(p, status, "all", p.T("filter.all"))},
	)
	pg, err := s.store.Employees(ctx, f)
	if err != nil {
		return err
	}
	d.Rows, d.Total, d.More = pg.Employees, pg.Total, pg.More
	d.listExtras = s.listExtrasFor(r, p, q, f, pg.Employees)
	// Previous pages: the cursors that led here travel in p, oldest first; "0" is the first page.
	prev := []string{}
	if v := q.get("p"); v != "" {
		prev = strings.Split(v, ",")
	}
	link := func(after string, trail []string) string {
		v := url.Values{}
		for k, vs := range q.values {
			if k != "after" && k != "p" {
				v[k] = vs
			}
		}
		if after != "" && after != "0" {
			v.Set("after", after)
		}
		if len(trail) > 0 {
			v.Set("p", strings.Join(trail, ","))
		}
		return "/pegawai?" + v.Encode()
	}
	if pg.Next != "" {
		cur := q.get("after")
		if cur == "" {
			cur = "0"
		}
		trail := append(append([]string{}, prev...), cur)
		if len(trail) > maxPrevPages {
			trail = trail[len(trail)-maxPrevPages:]
		}
		d.NextURL = link(encodeCursor(pg.Next), trail)
	}
	if q.get("after") != "" {
		d.FirstURL = link("", nil)
		if len(prev) > 0 {
			d.PrevURL = link(prev[len(prev)-1], prev[:len(prev)-1])
		} else {
			d.PrevURL = d.FirstURL
		}
	}
	d.CreateURL = "/pegawai/baru"
	if f.TenantID != 0 {
		d.CreateURL += "?instansi=" + strconv.FormatInt(f.TenantID, 10)
		if f.UnitID != 0 {
			d.CreateURL += "&unit=" + strconv.FormatInt(f.UnitID, 10)
		}
	}
	return s.render(w, r, http.StatusOK, "employees", d)
}

type historyRow struct {
	At      string
	Actor   string
	Source  string
	Changes []changeRow
}

type changeRow struct {
	Field, From, To string
}

type employeePage struct {
	*page
	Employee *netra.Employee
	Tenant   *netra.Tenant
	Crumbs   []crumb
	History  []historyRow
	CanEdit  bool
	// Positions is the chain of superiors and the assignments (position.go).
	Positions *positionsView
	// Identifiers is every identifier the person behind the record has had.
	Identifiers []identifierRow
}

type identifierRow struct {
	Kind, Value, Tenant, Since, Until, Record, Href string
}

// employeePage shows one employee with the history of their record. The
// read is audited by the store.
func (s *Server) employeePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	rec, err := s.store.EmployeeRecord(ctx, id)
	if err != nil {
		return err
	}
	e, hist := rec.Employee, rec.History
	t, err := s.store.Tenant(ctx, e.TenantID)
	if err != nil {
		return err
	}
	u, err := s.store.Unit(ctx, e.UnitID)
	if err != nil {
		return err
	}
	p := s.newPage(r, "")
	p.Title = e.FullName()
	d := &employeePage{page: p, Employee: e, Tenant: t, CanEdit: covers(info(r).actor, netra.PermEmployeeWrite, t, e.UnitPath)}
	if d.Crumbs, err = s.crumbs(r, t, u); err != nil {
		return err
	}
	d.Crumbs = append(d.Crumbs, crumb{Href: "/unit/" + strconv.FormatInt(u.ID, 10), Label: u.Name})
	if d.Positions, err = s.positionsView(r, p, e, t, d.CanEdit); err != nil {
		return err
	}
	unitNames := map[string]string{}
	for _, h := range hist {
		row := historyRow{At: p.DateTime(h.At), Actor: h.Actor, Source: h.Source}
		for field, ch := range h.Changes {
			row.Changes = append(row.Changes, changeRow{Field: p.T("employee.field." + field),
				From: s.historyValue(r, p, field, ch.From, unitNames), To: s.historyValue(r, p, field, ch.To, unitNames)})
		}
		sortChanges(row.Changes)
		d.History = append(d.History, row)
	}
	for _, i := range rec.Identifiers {
		row := identifierRow{Kind: p.T("registry.kind." + i.Kind), Value: i.Value, Tenant: i.TenantName, Since: p.Date(i.Since), Until: p.T("registry.current")}
		if !i.Until.IsZero() {
			row.Until = p.Date(i.Until)
		}
		if i.Kind == store.KindElsewhere {
			row.Value = "–" // another government's numbers are its own
		}
		switch {
		case i.EmployeeID == e.ID:
			row.Record = p.T("registry.identifiers.this")
		case i.EmployeeID != 0:
			row.Record, row.Href = "#"+strconv.FormatInt(i.EmployeeID, 10), "/pegawai/"+strconv.FormatInt(i.EmployeeID, 10)
		default:
			row.Record = "–"
		}
		d.Identifiers = append(d.Identifiers, row)
	}
	return s.render(w, r, http.StatusOK, "employee", d)
}

func sortChanges(cs []changeRow) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Field < cs[j-1].Field; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// historyValue shows a recorded value the way the form shows it: labels
// for codes, unit names for unit ids.
func (s *Server) historyValue(r *http.Request, p *page, field string, v any, units map[string]string) string {
	str := fmt.Sprint(v)
	if v == nil || str == "" {
		return "–"
	}
	switch field {
	case "type":
		return netra.EmploymentType(str).Label(p.Lang)
	case "position_type":
		return netra.PositionType(str).Label(p.Lang)
	case "status":
		return netra.EmployeeStatus(str).Label(p.Lang)
	case "head":
		if v == true {
			return p.T("registry.yes")
		}
		return p.T("registry.no")
	case "unit_id":
		if n, ok := units[str]; ok {
			return n
		}
		name := "#" + str
		if f, ok := v.(float64); ok {
			if u, err := s.store.Unit(r.Context(), int64(f)); err == nil {
				name = u.Name
			}
		}
		units[str] = name
		return name
	}
	return str
}
