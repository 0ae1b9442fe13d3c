package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
)

// listFilterParams are the parameters of the employee list's filter, which
// the bulk form and the export links carry along.
var listFilterParams = []string{"q", "instansi", "unit", "jenis", "jabatan", "status"}

// listFilter reads the employee list's filter from a query or a form: the
// status is "active" unless given ("all" for any). It returns the status
// parameter as the page shows it.
func listFilter(q *form) (netra.EmployeeFilter, string, error) {
	f := netra.EmployeeFilter{TenantID: q.idParam("instansi"), UnitID: q.idParam("unit"),
		Type: netra.EmploymentType(q.get("jenis")), PositionType: netra.PositionType(q.get("jabatan")),
		Search: q.text("q", maxSearch), Limit: 50}
	if err := q.err(); err != nil {
		return f, "", err
	}
	status := q.get("status")
	switch {
	case status == "":
		status = string(netra.StatusActive)
		f.Status = netra.StatusActive
	case status != "all":
		f.Status = netra.EmployeeStatus(status)
	}
	return f, status, nil
}

// filterValues returns the filter parameters present in q.
func filterValues(q *form) url.Values {
	v := url.Values{}
	for _, k := range listFilterParams {
		if s := q.get(k); s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// hiddenField is one name and value the bulk forms carry unchanged.
type hiddenField struct{ Name, Value string }

func hiddenFields(v url.Values) []hiddenField {
	var out []hiddenField
	for _, k := range listFilterParams {
		for _, s := range v[k] {
			out = append(out, hiddenField{k, s})
		}
	}
	return out
}

// listExtras is what the employee list shows besides its rows: the export
// links and, for those who may write employees, the bulk action bar.
type listExtras struct {
	ExportCSV, ExportXLSX string
	Bulk                  *bulkBar
}

// bulkBar is the selection and the actions of the employee list.
type bulkBar struct {
	Hidden   []hiddenField
	PageIDs  []int64
	Statuses []option
	// TenantID is the government whose units the unit picker searches (0:
	// the filter names none; the picker then asks for a government).
	TenantID int64
}

// listExtrasFor fills the export links and the bulk bar of the list page.
func (s *Server) listExtrasFor(r *http.Request, p *page, q *form, f netra.EmployeeFilter, rows []netra.Employee) listExtras {
	v := filterValues(q)
	enc := ""
	if len(v) > 0 {
		enc = "?" + v.Encode()
	}
	x := listExtras{ExportCSV: "/pegawai/ekspor.csv" + enc, ExportXLSX: "/pegawai/ekspor.xlsx" + enc}
	a := info(r).actor
	if !a.Can(netra.PermEmployeeWrite) || len(rows) == 0 {
		return x
	}
	if f.TenantID != 0 {
		// A province's admin reads a city's list but does not write it.
		t, err := s.store.Tenant(r.Context(), f.TenantID)
		if err != nil || !a.ScopeFor(netra.PermEmployeeWrite).ReachesTenant(t.ID, t.Path()) {
			return x
		}
	}
	b := &bulkBar{Hidden: hiddenFields(v), Statuses: statusOptions(p, "", "", p.T("bulk.status.choose")), TenantID: f.TenantID}
	for _, e := range rows {
		b.PageIDs = append(b.PageIDs, e.ID)
	}
	x.Bulk = b
	return x
}

// bulkPage is the confirmation step of a bulk change, and the page that
// answers a refused one.
type bulkPage struct {
	*page
	Hidden   []hiddenField
	Pick     string
	IDs      []int64
	Action   string
	Unit     *netra.OrgUnit
	Status   netra.EmployeeStatus
	Count    int
	Question string
	BackURL  string
	Ready    bool // the change can be confirmed
}

// employeeBulk is the bulk form of the employee list. Without konfirmasi
// it shows what would change and how many employees (nothing is written);
// with konfirmasi=1 it applies the change in one audited operation.
func (s *Server) employeeBulk(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := s.newPage(r, "bulk.title")
	v := filterValues(f)
	d := &bulkPage{page: p, Hidden: hiddenFields(v), Pick: f.get("pilih"), Action: f.get("aksi"), BackURL: "/pegawai"}
	if len(v) > 0 {
		d.BackURL += "?" + v.Encode()
	}
	fail := func(err error) error {
		d.Ready = false
		status, ok := formStatus(err)
		if !ok {
			return err
		}
		p.applyErrors(err, nil)
		return s.render(w, r, status, "employee_bulk", d)
	}
	filter, _, err := listFilter(f)
	if err != nil {
		return fail(err)
	}
	var sel store.EmployeeSelection
	switch d.Pick {
	case "semua":
		sel.Filter = &filter
	case "halaman", "centang", "":
		name := "id"
		if d.Pick == "halaman" {
			name = "halaman_id"
		} else {
			d.Pick = "centang"
		}
		for _, s := range f.values[name] {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				return fail(netra.Invalid("selection", netra.Msg("Pilihan pegawai tidak sah.", "Invalid employee selection.")))
			}
			sel.IDs = append(sel.IDs, id)
		}
		if len(sel.IDs) == 0 {
			return fail(netra.Invalid("selection", netra.Msg("Centang paling sedikit satu pegawai, atau pilih semua di halaman ini atau semua yang cocok.",
				"Tick at least one employee, or choose all on this page or all matching.")))
		}
		d.IDs = sel.IDs
	default:
		return fail(netra.Invalid("selection", netra.Msg("Pilihan pegawai tidak sah.", "Invalid employee selection.")))
	}
	switch d.Action {
	case "pindah":
		u, err := s.bulkTargetUnit(r, f, filter)
		if err != nil {
			return fail(err)
		}
		d.Unit = u
	case "status":
		st := netra.EmployeeStatus(f.get("status_baru"))
		if !st.Valid() {
			return fail(netra.Invalid("status_baru", netra.Msg("Pilih status baru.", "Choose the new status.")))
		}
		d.Status = st
	default:
		return fail(netra.Invalid("aksi", netra.Msg("Pilih tindakan: pindahkan ke unit atau ubah status.", "Choose an action: move to a unit or change the status.")))
	}
	if f.get("konfirmasi") == "1" {
		var res store.BulkResult
		if d.Unit != nil {
			res, err = s.store.BulkMoveEmployees(ctx, sel, d.Unit.ID)
		} else {
			res, err = s.store.BulkSetStatus(ctx, sel, d.Status)
		}
		if err != nil {
			d.Count = res.Selected
			return fail(err)
		}
		return s.redirect(w, r, "/pegawai/massal", "bulk_done")
	}
	n, err := s.store.SelectionSize(ctx, sel)
	if err != nil {
		return fail(err)
	}
	if n == 0 {
		return fail(netra.Invalid("selection", netra.Msg("Tidak ada pegawai yang cocok dengan saringan.", "No employee matches the filter.")))
	}
	d.Count, d.Ready = n, true
	if d.Unit != nil {
		d.Question = p.T("bulk.confirm.move", p.Num(n), d.Unit.Name, d.Unit.Code)
	} else {
		d.Question = p.T("bulk.confirm.status", p.Num(n), d.Status.Label(p.Lang))
	}
	return s.render(w, r, http.StatusOK, "employee_bulk", d)
}

// bulkTargetUnit resolves the unit a bulk move goes to: unit_id once the
// confirmation step chose it, otherwise the text of the unit picker (a code
// or a name, exact first, then the only match), searched in the government
// of the filter or, failing that, of the actor's single write area.
func (s *Server) bulkTargetUnit(r *http.Request, f *form, filter netra.EmployeeFilter) (*netra.OrgUnit, error) {
	ctx := r.Context()
	if id := f.id("unit_id"); id != 0 {
		return s.store.Unit(ctx, id)
	}
	text := f.text("unit_tujuan", maxSearch)
	if err := f.err(); err != nil {
		return nil, err
	}
	if text == "" {
		return nil, netra.Invalid("unit_tujuan", netra.Msg("Isi unit tujuan (kode atau nama).", "Enter the target unit (code or name)."))
	}
	tenant := filter.TenantID
	if sc := info(r).actor.ScopeFor(netra.PermEmployeeWrite); tenant == 0 && !sc.All && len(sc.Areas) == 1 {
		tenant = sc.Areas[0].TenantID
	}
	if tenant == 0 {
		return nil, netra.Invalid("unit_tujuan", netra.Msg("Pilih instansi di saringan dulu: pemindahan massal terjadi di dalam satu instansi.",
			"Choose a government in the filter first: a bulk move stays within one government."))
	}
	units, err := s.store.Units(ctx, netra.UnitFilter{TenantID: tenant, Search: text, Limit: 50})
	if err != nil {
		return nil, err
	}
	var byName []netra.OrgUnit
	for i, u := range units {
		if strings.EqualFold(u.Code, text) {
			return &units[i], nil
		}
		if strings.EqualFold(u.Name, text) {
			byName = append(byName, u)
		}
	}
	switch {
	case len(byName) == 1:
		return &byName[0], nil
	case len(byName) == 0 && len(units) == 1:
		return &units[0], nil
	case len(units) == 0:
		return nil, netra.Invalid("unit_tujuan", netra.Msg("Tidak ada unit bernama atau berkode “"+text+"”.", "No unit is named or coded “"+text+"”."))
	}
	if len(byName) > 1 {
		units = byName
	}
	var names []string
	for i, u := range units {
		if i == 5 {
			names = append(names, "…")
			break
		}
		names = append(names, u.Name+" ("+u.Code+")")
	}
	return nil, netra.Invalid("unit_tujuan", netra.Msg("“"+text+"” cocok dengan beberapa unit: "+strings.Join(names, ", ")+". Tulis kodenya.",
		"“"+text+"” matches several units: "+strings.Join(names, ", ")+". Enter its code."))
}

// bulkListPage lists the bulk changes of employees.
type bulkListPage struct {
	*page
	Rows []bulkRow
}

type bulkRow struct {
	At, Actor, What, Selection string
	Count                      int
	Unchanged                  int
}

// employeeBulkList shows the bulk changes recorded in the audit log that
// the actor may read: who, when, what, which selection and how many.
func (s *Server) employeeBulkList(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	tenant := q.idParam("instansi")
	if err := q.err(); err != nil {
		return err
	}
	es, err := s.store.BulkOperations(r.Context(), netra.AuditFilter{TenantID: tenant, Limit: 200})
	if err != nil {
		return err
	}
	p := s.newPage(r, "bulk.list.title")
	d := &bulkListPage{page: p}
	for _, e := range es {
		var sum struct {
			Op        string         `json:"op"`
			Count     int            `json:"count"`
			Unchanged int            `json:"unchanged"`
			Unit      string         `json:"unit"`
			Status    string         `json:"status"`
			Filter    map[string]any `json:"filter"`
			IDs       []int64        `json:"ids"`
			Selected  int            `json:"selected"`
		}
		if err := json.Unmarshal([]byte(e.Summary), &sum); err != nil {
			continue
		}
		row := bulkRow{At: p.DateTime(e.At), Actor: e.ActorLabel, Count: sum.Count, Unchanged: sum.Unchanged}
		if sum.Op == "move" {
			row.What = p.T("bulk.what.move", sum.Unit)
		} else {
			row.What = p.T("bulk.what.status", netra.EmployeeStatus(sum.Status).Label(p.Lang))
		}
		if sum.Filter != nil {
			row.Selection = p.T("bulk.sel.filter", p.Num(sum.Selected), s.describeFilter(r, p, sum.Filter))
		} else {
			row.Selection = p.T("bulk.sel.ids", p.Num(sum.Selected))
		}
		d.Rows = append(d.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "employee_bulk_list", d)
}

// describeFilter shows a recorded filter in words: the government's and
// unit's names (or their ids when no longer readable), the labels of the
// codes, the search text.
func (s *Server) describeFilter(r *http.Request, p *page, f map[string]any) string {
	ctx := r.Context()
	var parts []string
	id := func(k string) int64 { v, _ := f[k].(float64); return int64(v) }
	str := func(k string) string { v, _ := f[k].(string); return v }
	if tid := id("tenant_id"); tid != 0 {
		name := "#" + strconv.FormatInt(tid, 10)
		if t, err := s.store.Tenant(ctx, tid); err == nil {
			name = t.Name
		}
		parts = append(parts, p.T("employee.tenant")+": "+name)
	}
	if uid := id("unit_id"); uid != 0 {
		name := "#" + strconv.FormatInt(uid, 10)
		if u, err := s.store.Unit(ctx, uid); err == nil {
			name = u.Name
		}
		parts = append(parts, p.T("employee.unit.subtree")+": "+name)
	}
	if v := str("type"); v != "" {
		parts = append(parts, p.T("employee.type")+": "+netra.EmploymentType(v).Label(p.Lang))
	}
	if v := str("position_type"); v != "" {
		parts = append(parts, p.T("employee.position_type")+": "+netra.PositionType(v).Label(p.Lang))
	}
	if v := str("status"); v != "" {
		parts = append(parts, p.T("employee.status")+": "+netra.EmployeeStatus(v).Label(p.Lang))
	}
	if v := str("q"); v != "" {
		parts = append(parts, "“"+v+"”")
	}
	return strings.Join(parts, ", ")
}

// writtenCounter notes whether anything reached the client.
type writtenCounter struct {
	w io.Writer
	n int64
}

func (c *writtenCounter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// employeeExport streams the employee list, with the list's filters, as a
// roster in format ("csv" or "xlsx") that the import reads back: the same
// column names, every cell neutralised against formulas. Rows are read a
// page at a time and written as they come (an XLSX is spooled by the writer
// and sent at the end), and the export is one audited list read with its
// count.
func (s *Server) employeeExport(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		f, _, err := listFilter(newQuery(r))
		if err != nil {
			return err
		}
		tenants, err := s.store.Tenants(ctx)
		if err != nil {
			return err
		}
		codes := make(map[int64]string, len(tenants))
		for _, t := range tenants {
			codes[t.ID] = t.Code
		}
		ctype := "text/csv; charset=utf-8"
		if format == "xlsx" {
			ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		out := &writtenCounter{w: w}
		rw, err := roster.NewWriter(out, format)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="pegawai.`+format+`"`)
		w.Header().Set("Cache-Control", "no-store")
		_, err = s.store.EachEmployee(ctx, f, format, func(e *netra.Employee, unitCode string) error {
			return rw.WriteIn(e, unitCode, codes[e.TenantID])
		})
		if err == nil {
			err = rw.Close()
		}
		if err != nil && out.n == 0 {
			w.Header().Del("Content-Disposition")
			w.Header().Del("Content-Type")
			return err
		}
		if err != nil {
			// Half a file is already out: cut the connection so that the
			// download fails instead of looking complete.
			if !errors.Is(err, http.ErrAbortHandler) {
				s.log.Error("employee export", "err", err)
			}
			panic(http.ErrAbortHandler)
		}
		return nil
	}
}

// apiUnitSearch finds units by part of their name or code for the unit
// picker: in the government tenant_id (or the caller's single one), at most
// limit (default 20), only those where the caller may place employees with
// writable=true.
func (s *Server) apiUnitSearch(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := newQuery(r)
	tenant := q.idParam("tenant_id")
	text := q.text("q", maxSearch)
	limit := q.intIn("limit", 20, 1, 50)
	writable := q.get("writable") == "true"
	if err := q.err(); err != nil {
		return err
	}
	a := info(r).actor
	if sc := a.ScopeFor(netra.PermUnitRead); tenant == 0 && !sc.All && len(sc.Areas) == 1 {
		tenant = sc.Areas[0].TenantID
	}
	if tenant == 0 {
		return netra.Invalid("tenant_id", netra.Msg("Sebutkan instansi (tenant_id).", "Name the government (tenant_id)."))
	}
	t, err := s.store.Tenant(ctx, tenant)
	if err != nil {
		return err
	}
	us, err := s.store.Units(ctx, netra.UnitFilter{TenantID: tenant, Search: text, Limit: 200})
	if err != nil {
		return err
	}
	out := list[apiUnit]{Items: []apiUnit{}}
	for i := range us {
		if writable && !covers(a, netra.PermEmployeeWrite, t, us[i].Path) {
			continue
		}
		out.Items = append(out.Items, unitJSON(&us[i]))
		if len(out.Items) == limit {
			break
		}
	}
	return writeJSON(w, http.StatusOK, out)
}
