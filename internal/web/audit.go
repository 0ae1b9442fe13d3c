package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
)

const auditPage = 50

// auditFilter reads the audit log filters from a query: action (exact, or
// a prefix ending in "."), object type and id, actor id, government, a date
// range (inclusive dates, in WIB) and the keyset position.
func auditFilter(q url.Values, limit int) (netra.AuditFilter, error) {
	f := netra.AuditFilter{Action: strings.TrimSpace(q.Get("action")), ObjectType: strings.TrimSpace(q.Get("object_type")),
		ObjectID: strings.TrimSpace(q.Get("object_id")), ActorID: formID(q.Get("actor_id")), TenantID: formID(q.Get("tenant_id")),
		BeforeSeq: formID(q.Get("before")), Limit: limit}
	var v netra.ValidationError
	day := func(field string) time.Time {
		s := strings.TrimSpace(q.Get(field))
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, wib)
		if err != nil {
			v.Add(field, netra.Msg("Tanggal harus berbentuk TTTT-BB-HH.", "The date must be YYYY-MM-DD."))
		}
		return t
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Add("to", netra.Msg("Tanggal akhir tidak boleh sebelum tanggal awal.", "The end date cannot be before the start date."))
	}
	return f, v.Err()
}

// auditKinds are the kinds of action the page filters by, in the order the
// picker shows them: an action prefix, or "read" for reads of personal data.
var auditKinds = []string{"auth.", "employee.", "unit.", "user.", "import.", "token.", "tenant.", "read", "audit."}

// auditQuery reads the page's filters: those of auditFilter plus the unit
// (unit_id) and the kind of action (kind).
func auditQuery(q url.Values, limit int) (store.AuditQuery, error) {
	f, err := auditFilter(q, limit)
	aq := store.AuditQuery{AuditFilter: f, UnitID: formID(q.Get("unit_id")), Kind: strings.TrimSpace(q.Get("kind"))}
	if aq.Kind != "" && !contains(auditKinds, aq.Kind) {
		var v *netra.ValidationError
		if errors.As(err, &v) {
			v.Add("kind", netra.Msg("Jenis tindakan tidak dikenal.", "Unknown kind of action."))
			return aq, v.Err()
		}
		return aq, netra.Invalid("kind", netra.Msg("Jenis tindakan tidak dikenal.", "Unknown kind of action."))
	}
	return aq, err
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// auditRow is one entry as the page and the exports show it.
type auditRow struct {
	netra.AuditEntry
	When     string
	Actor    string // the person's name, "API token x", or "System"
	Tenant   string
	Sentence string   // "Mengubah pegawai Budi Santoso"
	Changes  []string // "unit: Bagian Umum → Bagian Keuangan"
}

type auditListPage struct {
	*page
	Filter    []field
	Rows      []auditRow
	NextURL   string
	Newest    string
	ExportCSV string
	ExportXLS string
}

// auditFields builds the filter form: person, government, unit, kind of
// action and period. The unit picker appears once a government is chosen
// (or the actor sees only one) and its tree is small enough for a select.
func (s *Server) auditFields(r *http.Request, p *page, q url.Values) ([]field, error) {
	ctx := r.Context()
	people, err := s.store.AuditPeople(ctx)
	if err != nil {
		return nil, err
	}
	persons := []string{"", p.T("audit.person.all")}
	for _, u := range people {
		persons = append(persons, strconv.FormatInt(u.ID, 10), u.Name+" ("+u.Username+")")
	}
	ts, err := s.store.Tenants(ctx)
	if err != nil {
		return nil, err
	}
	tenants := []string{"", p.T("filter.all")}
	for _, t := range ts {
		tenants = append(tenants, strconv.FormatInt(t.ID, 10), t.Name)
	}
	kinds := []string{"", p.T("audit.kind.all")}
	for _, k := range auditKinds {
		kinds = append(kinds, k, p.T("audit.kind."+strings.TrimSuffix(k, ".")))
	}
	fs := []field{
		{Name: "actor_id", Label: p.T("audit.person"), Hint: p.T("audit.person.hint"), Type: "select", Options: options(q.Get("actor_id"), persons...)},
		{Name: "tenant_id", Label: p.T("audit.tenant"), Type: "select", Options: options(q.Get("tenant_id"), tenants...)},
	}
	tenantID := formID(q.Get("tenant_id"))
	if tenantID == 0 && len(ts) == 1 {
		tenantID = ts[0].ID
	}
	if tenantID != 0 {
		units, err := s.store.Units(ctx, netra.UnitFilter{TenantID: tenantID, Limit: maxUnitChoices + 1})
		if err != nil && !errors.Is(err, netra.ErrForbidden) {
			return nil, err
		}
		if err == nil && len(units) <= maxUnitChoices {
			fs = append(fs, field{Name: "unit_id", Label: p.T("audit.unit"), Hint: p.T("audit.unit.hint"), Type: "select",
				Options: unitOptions(units, formID(q.Get("unit_id")), p.T("filter.all"))})
		}
	}
	fs = append(fs,
		field{Name: "kind", Label: p.T("audit.kind"), Type: "select", Options: options(q.Get("kind"), kinds...)},
		field{Name: "from", Label: p.T("audit.from"), Type: "date", Value: q.Get("from")},
		field{Name: "to", Label: p.T("audit.to"), Type: "date", Value: q.Get("to")},
	)
	return fs, nil
}

// auditList browses the audit log, newest first, a page at a time.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := s.newPage(r, "audit.title")
	d := &auditListPage{page: p}
	var err error
	if d.Filter, err = s.auditFields(r, p, q); err != nil {
		return err
	}
	aq, err := auditQuery(q, auditPage)
	if err != nil {
		p.applyErrors(err, d.Filter)
		return s.render(w, r, http.StatusUnprocessableEntity, "audit", d)
	}
	es, err := s.store.AuditSearch(r.Context(), aq)
	if errors.Is(err, netra.ErrNotFound) && aq.UnitID != 0 {
		p.applyErrors(netra.Invalid("unit_id", netra.Msg("Unit kerja tidak ditemukan.", "No such unit.")), d.Filter)
		return s.render(w, r, http.StatusUnprocessableEntity, "audit", d)
	} else if err != nil {
		return err
	}
	if d.Rows, err = s.auditRows(r, p, es); err != nil {
		return err
	}
	keep := func(drop ...string) url.Values {
		v := url.Values{}
		for k, vs := range q {
			if !contains(drop, k) {
				v[k] = vs
			}
		}
		return v
	}
	if len(es) == auditPage {
		v := keep()
		v.Set("before", strconv.FormatInt(es[len(es)-1].Seq, 10))
		d.NextURL = "/audit?" + v.Encode()
	}
	if aq.BeforeSeq != 0 {
		d.Newest = "/audit?" + keep("before").Encode()
	}
	all := keep("before").Encode()
	d.ExportCSV, d.ExportXLS = "/audit/ekspor.csv", "/audit/ekspor.xlsx"
	if all != "" {
		d.ExportCSV += "?" + all
		d.ExportXLS += "?" + all
	}
	return s.render(w, r, http.StatusOK, "audit", d)
}

// auditRows turns entries into rows with names and sentences, resolving
// the names of the whole batch in one store call.
func (s *Server) auditRows(r *http.Request, p *page, es []netra.AuditEntry) ([]auditRow, error) {
	if len(es) == 0 {
		return nil, nil
	}
	names, err := s.store.AuditNamesFor(r.Context(), es)
	if err != nil {
		return nil, err
	}
	out := make([]auditRow, 0, len(es))
	for _, e := range es {
		out = append(out, describeAudit(p.Lang, p.s.cat, e, names))
	}
	return out, nil
}

// describeAudit renders one entry in plain words: who, the action as a
// sentence with the object's name, and each changed field with its old
// and new values (names for unit, government and employee ids).
func describeAudit(lang string, cat catalog, e netra.AuditEntry, n *store.AuditNames) auditRow {
	T := func(key string, args ...any) string { return cat.T(lang, key, args...) }
	row := auditRow{AuditEntry: e, When: formatDateTime(lang, e.At), Tenant: n.Tenants[e.TenantID]}
	switch {
	case e.ActorID != 0 && n.Users[e.ActorID] != "":
		row.Actor = n.Users[e.ActorID]
	case e.TokenID != 0:
		row.Actor = T("audit.actor.token", orDefault(n.Tokens[e.TokenID], "#"+strconv.FormatInt(e.TokenID, 10)))
	case e.ActorLabel != "" && e.ActorLabel != "system":
		row.Actor = e.ActorLabel
	default:
		row.Actor = T("audit.actor.system")
	}
	id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
	var object string
	switch e.ObjectType {
	case "employee":
		object = n.Employees[id]
	case "unit":
		object = n.Units[id]
	case "user":
		object = n.Users[id]
	case "tenant":
		object = n.Tenants[id]
	case "import":
		object = n.Imports[id]
	case "token":
		object = n.Tokens[id]
	}
	if object == "" && e.ObjectID != "" {
		object = "#" + e.ObjectID
	}
	var sum map[string]any
	if e.Summary != "" && json.Unmarshal([]byte(e.Summary), &sum) != nil {
		sum = nil
		row.Changes = []string{netra.Truncate(e.Summary, 200)}
	}
	if object == "" {
		if v, ok := sum["name"].(string); ok {
			object = v
		} else if v, ok := sum["filename"].(string); ok {
			object = v
		}
	}
	key := "audit.act." + e.Action
	if tpl, ok := cat[langID][key]; ok {
		if strings.Contains(tpl, "%s") {
			row.Sentence = T(key, object)
		} else {
			row.Sentence = T(key) // the object is the actor: "Masuk"
		}
	} else if strings.HasSuffix(e.Action, ".read") {
		row.Sentence = T("audit.act.read", object)
	} else {
		row.Sentence = T("audit.act.other", e.Action, object)
	}
	row.Sentence = strings.TrimSpace(strings.ReplaceAll(row.Sentence, "  ", " "))
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "path" || k == "sha256" {
			continue // internal: the unit's tree path, the file's digest
		}
		label := T("audit.field." + k)
		if label == "audit.field."+k {
			label = k
		}
		if ch, ok := sum[k].(map[string]any); ok {
			from, ok1 := ch["from"]
			to, ok2 := ch["to"]
			if ok1 && ok2 {
				row.Changes = append(row.Changes, label+": "+auditValue(lang, cat, e, k, from, n)+" → "+auditValue(lang, cat, e, k, to, n))
				continue
			}
		}
		if sum[k] == nil || sum[k] == "" || (strings.HasSuffix(k, "_id") && sum[k] == float64(0)) {
			continue // nothing to say: the error of an import that worked, a grant without a unit
		}
		if (k == "name" || k == "filename") && sum[k] == object {
			continue // already in the sentence
		}
		row.Changes = append(row.Changes, label+": "+auditValue(lang, cat, e, k, sum[k], n))
	}
	return row
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// auditValue shows one recorded value the way the forms show it.
func auditValue(lang string, cat catalog, e netra.AuditEntry, field string, v any, n *store.AuditNames) string {
	if v == nil || v == "" {
		return "–"
	}
	num, isNum := v.(float64)
	str, _ := v.(string)
	name := func(m map[int64]string) string {
		if !isNum || num == 0 {
			return "–"
		}
		if s := m[int64(num)]; s != "" {
			return s
		}
		return "#" + strconv.FormatFloat(num, 'f', -1, 64)
	}
	switch field {
	case "unit_id", "parent_id":
		return name(n.Units)
	case "tenant_id":
		return name(n.Tenants)
	case "employee_id":
		return name(n.Employees)
	case "type":
		if e.ObjectType == "unit" {
			return netra.UnitType(str).Label(lang)
		}
		return netra.EmploymentType(str).Label(lang)
	case "position_type":
		return netra.PositionType(str).Label(lang)
	case "status":
		if e.ObjectType == "employee" {
			return netra.EmployeeStatus(str).Label(lang)
		}
	case "role":
		return netra.Role(str).Label(lang)
	case "method", "reason":
		if s := cat.T(lang, "audit.value."+str); s != "audit.value."+str {
			return s
		}
	case "disabled", "totp_enabled":
		if b, ok := v.(bool); ok {
			if b {
				return cat.T(lang, "audit.value.yes")
			}
			return cat.T(lang, "audit.value.no")
		}
	case "locked_until", "expires_at":
		if t, err := time.Parse(time.RFC3339Nano, str); err == nil {
			return formatDateTime(lang, t)
		}
	case "lines":
		if l, ok := v.([]any); ok && len(l) == 2 {
			return short(l[0]) + "–" + short(l[1])
		}
	}
	if isNum {
		return formatInt(lang, int64(num))
	}
	if str == "changed" { // secrets are recorded as changed, never with their values
		return cat.T(lang, "audit.value.changed")
	}
	return short(v)
}

func short(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		if x == "" {
			return "–"
		}
		return netra.Truncate(x, 80)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return netra.Truncate(string(b), 80)
}

// auditExportMax bounds one export: a spreadsheet holds about a million
// rows, and an auditor who needs more narrows the period.
const auditExportMax = 1_000_000

// auditExportBatch is how many entries one keyset step reads.
const auditExportBatch = 500

// auditExport writes every entry matching the page's filters, newest
// first, as CSV or XLSX. It records the export (with its filters) in the
// audit log before the first byte, and reads the log in keyset steps so
// memory stays flat however long the period.
func (s *Server) auditExport(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		q.Del("before")
		aq, err := auditQuery(q, auditExportBatch)
		if err != nil {
			return err
		}
		ctx := r.Context()
		filters := map[string]string{"format": format}
		for k := range q {
			filters[k] = q.Get(k)
		}
		// The export belongs to the exporter's own government, where its
		// auditors see it; the filters say what was taken.
		var home int64
		for _, g := range info(r).actor.Grants {
			if g.TenantID != 0 {
				home = g.TenantID
				break
			}
		}
		if err := s.store.Audit(ctx, home, "audit.export", "audit", 0, filters); err != nil {
			return err
		}
		p := s.newPage(r, "")
		head := []string{p.T("audit.col.seq"), p.T("audit.col.when"), p.T("audit.col.actor"), p.T("audit.col.ip"),
			p.T("audit.col.tenant"), p.T("audit.col.action"), p.T("audit.col.changes"), p.T("audit.col.code"),
			p.T("audit.col.object")}
		each := func(emit func([]string) error) error {
			n := 0
			for {
				es, err := s.store.AuditSearch(ctx, aq)
				if err != nil {
					return err
				}
				rows, err := s.auditRows(r, p, es)
				if err != nil {
					return err
				}
				for _, row := range rows {
					obj := row.ObjectType
					if row.ObjectID != "" {
						obj += " " + row.ObjectID
					}
					if err := emit([]string{strconv.FormatInt(row.Seq, 10), row.At.In(wib).Format("2006-01-02 15:04:05"),
						row.Actor, row.IP, row.Tenant, row.Sentence, strings.Join(row.Changes, "; "), row.Action, obj}); err != nil {
						return err
					}
					if n++; n >= auditExportMax {
						return nil
					}
				}
				if len(es) < auditExportBatch {
					return nil
				}
				aq.BeforeSeq = es[len(es)-1].Seq
			}
		}
		name := "log-audit-" + s.store.Clock().Now().In(wib).Format("20060102-1504")
		if format == "xlsx" {
			return writeAuditXLSX(w, name+".xlsx", p.T("audit.title"), head, each)
		}
		return writeAuditCSV(w, name+".csv", head, each)
	}
}

// writeAuditCSV streams the rows as UTF-8 CSV with a byte order mark, so
// that spreadsheet programs read the Indonesian names right. A failure
// once the first bytes are out aborts the response: a cut download, not
// a file that looks complete.
func writeAuditCSV(w http.ResponseWriter, name string, head []string, each func(func([]string) error) error) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_, _ = w.Write([]byte("\uFEFF"))
	if err := cw.Write(head); err != nil {
		return nil // the client went away
	}
	err := each(func(rec []string) error {
		for i, v := range rec {
			rec[i] = roster.Neutralize(v)
		}
		return cw.Write(rec)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return nil
}

// writeAuditXLSX builds the workbook with excelize's stream writer (rows go
// to a temporary file, not memory) and sends it once it is complete, so a
// failure is still a clean error page.
func writeAuditXLSX(w http.ResponseWriter, name, sheet string, head []string, each func(func([]string) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := []float64{8, 20, 24, 16, 24, 48, 60, 22, 14}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	row := 1
	put := func(rec []string) error {
		cells := make([]any, len(rec))
		for i, v := range rec {
			cells[i] = roster.Neutralize(v) // as every export does, in case the sheet is saved as CSV
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(cell, cells)
	}
	if err := put(head); err != nil {
		return err
	}
	if err := each(put); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("web: audit xlsx: %w", err)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = f.WriteTo(w)
	return err
}
