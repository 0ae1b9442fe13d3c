package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
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
	return f, v.Err()
}

type auditRow struct {
	netra.AuditEntry
	When    string
	Changes []string
}

type auditListPage struct {
	*page
	Filter  []field
	Rows    []auditRow
	NextURL string
	Newest  string
}

// auditList browses the audit log, newest first, a page at a time.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := s.newPage(r, "audit.title")
	d := &auditListPage{page: p}
	ts, err := s.store.Tenants(r.Context())
	if err != nil {
		return err
	}
	tenants := []string{"", p.T("filter.all")}
	for _, t := range ts {
		tenants = append(tenants, strconv.FormatInt(t.ID, 10), t.Name)
	}
	d.Filter = []field{
		{Name: "action", Label: p.T("audit.action"), Hint: p.T("audit.action.hint"), Type: "text", Value: q.Get("action"), MaxLength: 64},
		{Name: "object_type", Label: p.T("audit.object_type"), Type: "text", Value: q.Get("object_type"), MaxLength: 32},
		{Name: "object_id", Label: p.T("audit.object_id"), Type: "text", Value: q.Get("object_id"), MaxLength: 32, InputMode: "numeric"},
		{Name: "actor_id", Label: p.T("audit.actor_id"), Type: "text", Value: q.Get("actor_id"), MaxLength: 20, InputMode: "numeric"},
		{Name: "tenant_id", Label: p.T("audit.tenant"), Type: "select", Options: options(q.Get("tenant_id"), tenants...)},
		{Name: "from", Label: p.T("audit.from"), Type: "date", Value: q.Get("from")},
		{Name: "to", Label: p.T("audit.to"), Type: "date", Value: q.Get("to")},
	}
	f, err := auditFilter(q, auditPage)
	if err != nil {
		p.applyErrors(err, d.Filter)
		return s.render(w, r, http.StatusUnprocessableEntity, "audit", d)
	}
	es, err := s.store.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	for _, e := range es {
		d.Rows = append(d.Rows, auditRow{AuditEntry: e, When: p.DateTime(e.At), Changes: summarize(e.Summary)})
	}
	if len(es) == auditPage {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("before", strconv.FormatInt(es[len(es)-1].Seq, 10))
		d.NextURL = "/audit?" + v.Encode()
	}
	if f.BeforeSeq != 0 {
		v := url.Values{}
		for k, vs := range q {
			if k != "before" {
				v[k] = vs
			}
		}
		d.Newest = "/audit?" + v.Encode()
	}
	return s.render(w, r, http.StatusOK, "audit", d)
}

// summarize turns an entry's JSON summary into short lines: "name: A → B"
// for a change, "count: 3" for a value.
func summarize(summary string) []string {
	if summary == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(summary), &m); err != nil {
		return []string{truncate(summary, 200)}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if ch, ok := m[k].(map[string]any); ok {
			if from, ok1 := ch["from"]; ok1 {
				if to, ok2 := ch["to"]; ok2 {
					out = append(out, k+": "+short(from)+" → "+short(to))
					continue
				}
			}
		}
		if m[k] == nil || m[k] == "" {
			continue // nothing to say, such as the error of an import that worked
		}
		out = append(out, k+": "+short(m[k]))
	}
	return out
}

func short(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		if x == "" {
			return "–"
		}
		return truncate(x, 80)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return truncate(fmt.Sprint(string(b)), 80)
}
