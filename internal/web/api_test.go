package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestOpenAPIDocument loads the served document with kin-openapi, validates
// it, and checks that it describes exactly the /api/v1 routes of the table.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	w := e.anon().get("/api/openapi.json")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document does not validate: %v", err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, rt := range e.srv.routes {
		if strings.HasPrefix(rt.Pattern, "/api/v1/") {
			routed[rt.Method+" "+rt.Pattern] = true
		}
	}
	var missing, extra []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("routes not in the document: %v\ndocumented but not routed: %v", missing, extra)
	}
}

// apiClient returns a client authenticated with a new API token.
func (e *env) apiClient(role netra.Role, tenant *netra.Tenant, unit *netra.OrgUnit) *client {
	e.t.Helper()
	var uid int64
	if unit != nil {
		uid = unit.ID
	}
	secret, _, err := e.srv.createToken(netra.WithActor(context.Background(), actorFor(e.users["super"], "")), "uji-"+string(role), role, tenant.ID, uid, 0)
	must(e.t, err)
	c := e.anon()
	c.bearer = secret
	return c
}

// TestAPI exercises the JSON API with a token: units, employees with keyset
// pages, imports, users, grants, tokens and the audit log.
func TestAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		me := decode[apiMeBody](t, c.get("/api/v1/me"))
		if me.TokenID == nil || len(me.Grants) != 1 || !strings.Contains(strings.Join(me.Permissions, ","), "employee.write") {
			t.Errorf("me: %+v", me)
		}
		tl := decode[list[apiTenant]](t, c.get("/api/v1/tenants"))
		if len(tl.Items) != 1 || tl.Items[0].Code != "62.71" || tl.Items[0].ActiveEmployees != 5 || tl.Items[0].Units != 4 {
			t.Errorf("tenants: %+v", tl.Items)
		}

		// Units.
		w := c.json("POST", "/api/v1/tenants/"+id(e.palangka.ID)+"/units", map[string]any{"parent_id": e.disdik.ID, "type": "upt",
			"code": "SDN2", "name": "SD Negeri 2"})
		if w.Code != 201 || !strings.HasPrefix(w.Header().Get("Location"), "/api/v1/units/") {
			t.Fatalf("create unit: %d %s", w.Code, w.Body.String())
		}
		u := decode[apiUnit](t, w)
		if *u.ParentID != e.disdik.ID || u.Depth != 1 {
			t.Errorf("unit: %+v", u)
		}
		u = decode[apiUnit](t, c.json("PATCH", "/api/v1/units/"+id(u.ID), map[string]string{"name": "SD Negeri 2 Palangka Raya"}))
		if u.Name != "SD Negeri 2 Palangka Raya" || u.Code != "SDN2" {
			t.Errorf("patched unit: %+v", u)
		}
		u = decode[apiUnit](t, c.json("POST", "/api/v1/units/"+id(u.ID)+"/move", map[string]any{"parent_id": e.disdikSD.ID}))
		if *u.ParentID != e.disdikSD.ID || u.Depth != 2 {
			t.Errorf("moved unit: %+v", u)
		}
		kids := decode[list[apiUnit]](t, c.get("/api/v1/tenants/"+id(e.palangka.ID)+"/units?parent_id="+id(e.disdikSD.ID)))
		if len(kids.Items) != 1 || kids.Items[0].ID != u.ID {
			t.Errorf("children: %+v", kids.Items)
		}
		w = c.json("POST", "/api/v1/units/"+id(e.disdikSD.ID)+"/close", nil)
		if w.Code != 409 || !strings.Contains(w.Body.String(), "tidak dapat ditutup") {
			t.Errorf("close with employees: %d %s", w.Code, w.Body.String())
		}
		if u = decode[apiUnit](t, c.json("POST", "/api/v1/units/"+id(u.ID)+"/close", nil)); u.ClosedAt == nil {
			t.Error("closed unit has no closed_at")
		}

		// Employees: create, page through, patch, history.
		for i := range 7 {
			in := apiEmployeeInput{NIP: nipFor(400 + i), Name: "Pegawai API " + string(rune('A'+i)), Type: netra.PPPK, Golongan: "IX",
				PositionType: netra.Fungsional, UnitID: e.disdikSMP.ID}
			if in.Type == netra.PPPK {
				in.NIP = in.NIP[:8] + "2020" + "21" + in.NIP[14:]
			}
			w := c.json("POST", "/api/v1/employees", in)
			if w.Code != 201 {
				t.Fatalf("create employee: %d %s", w.Code, w.Body.String())
			}
		}
		var names []string
		next := ""
		for pages := 0; ; pages++ {
			q := url.Values{"unit_id": {id(e.disdikSMP.ID)}, "limit": {"3"}}
			if next != "" {
				q.Set("cursor", next)
			}
			pg := decode[employeeList](t, c.get("/api/v1/employees?"+q.Encode()))
			if pg.Total != 8 {
				t.Errorf("total %d, want 8", pg.Total)
			}
			for _, x := range pg.Items {
				names = append(names, x.Name)
			}
			if pg.NextCursor == nil {
				break
			}
			next = *pg.NextCursor
			if pages > 5 {
				t.Fatal("endless pages")
			}
		}
		if len(names) != 8 || !sort.StringsAreSorted(names) {
			t.Errorf("paged names: %v", names)
		}
		first := decode[employeeList](t, c.get("/api/v1/employees?q=Pegawai+API+A")).Items[0]
		emp := decode[apiEmployee](t, c.json("PATCH", "/api/v1/employees/"+id(first.ID), map[string]any{"unit_id": e.disdikSD.ID, "phone": "0812-3456-7890"}))
		if emp.UnitID != e.disdikSD.ID || emp.Phone != "+6281234567890" || emp.BirthDate == "" {
			t.Errorf("patched employee: %+v", emp)
		}
		hist := decode[list[apiHistory]](t, c.get("/api/v1/employees/"+id(first.ID)+"/history"))
		if len(hist.Items) != 1 || hist.Items[0].Changes["unit_id"].To != float64(e.disdikSD.ID) {
			t.Errorf("history: %+v", hist.Items)
		}
		w = c.json("POST", "/api/v1/employees", map[string]any{"nip": first.NIP, "name": "Dua Kali", "type": "pppk", "golongan": "IX",
			"position_type": "fungsional", "unit_id": e.disdikSD.ID})
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"nip":"NIP `) {
			t.Errorf("duplicate NIP: %d %s", w.Code, w.Body.String())
		}

		// Imports.
		w = c.upload("/api/v1/imports", "tenant_id", e.palangka.ID, "roster.csv", smallRoster(), true)
		if w.Code != 201 {
			t.Fatalf("API import: %d %s", w.Code, w.Body.String())
		}
		im := decode[apiImport](t, w)
		if im.Status != "queued" {
			t.Errorf("import: %+v", im)
		}
		e.runJobs(nil)
		im = decode[apiImport](t, c.get("/api/v1/imports/"+id(im.ID)))
		if im.Status != "done" || im.Inserted != 2 || im.Rejected != 1 || im.Progress != 1 {
			t.Errorf("finished import: %+v", im)
		}
		probs := decode[list[apiImportProblem]](t, c.get("/api/v1/imports/"+id(im.ID)+"/problems"))
		if len(probs.Items) != 1 || probs.Items[0].Line != 4 || probs.Items[0].Column != "NIP" {
			t.Errorf("problems: %+v", probs.Items)
		}
		w = c.upload("/api/v1/imports", "tenant_id", e.palangka.ID, "x.csv", "NAMA\nBudi\n", true)
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"file":`) {
			t.Errorf("unreadable file: %d %s", w.Code, w.Body.String())
		}
		if l := decode[list[apiImport]](t, c.get("/api/v1/imports?tenant_id="+id(e.palangka.ID))); len(l.Items) != 1 {
			t.Errorf("imports: %d", len(l.Items))
		}

		// Users, grants and tokens.
		w = c.json("POST", "/api/v1/users", map[string]any{"username": "api.user", "name": "Pengguna API", "role": "auditor",
			"tenant_id": e.palangka.ID})
		nu := decode[apiUser](t, w)
		if w.Code != 201 || len(nu.InitialPassword) < 12 || len(nu.Grants) != 1 {
			t.Fatalf("create user: %d %s", w.Code, w.Body.String())
		}
		nu = decode[apiUser](t, c.json("POST", "/api/v1/users/"+id(nu.ID)+"/grants", map[string]any{"role": "verifier",
			"tenant_id": e.palangka.ID, "unit_id": e.disdik.ID}))
		if len(nu.Grants) != 2 || nu.Grants[1].UnitName != "Dinas Pendidikan" {
			t.Errorf("grants: %+v", nu.Grants)
		}
		if w := c.do("DELETE", "/api/v1/users/"+id(nu.ID)+"/grants/"+id(nu.Grants[0].ID), nil, nil); w.Code != 204 {
			t.Errorf("delete grant: %d", w.Code)
		}
		if got := decode[apiUser](t, c.get("/api/v1/users/"+id(nu.ID))); len(got.Grants) != 1 || got.Grants[0].Role != "verifier" {
			t.Errorf("after revoke: %+v", got.Grants)
		}
		w = c.json("POST", "/api/v1/users", map[string]any{"username": "jahat", "name": "Jahat", "role": "super_admin"})
		if w.Code != 403 {
			t.Errorf("a tenant admin token made a super admin: %d", w.Code)
		}
		tok := decode[apiToken](t, c.json("POST", "/api/v1/tokens", map[string]any{"name": "dasbor", "role": "leader",
			"tenant_id": e.palangka.ID, "expires_in_days": 30}))
		if !strings.HasPrefix(tok.Token, tokenPrefix) || tok.ExpiresAt == nil {
			t.Errorf("token: %+v", tok)
		}
		for _, x := range decode[list[apiToken]](t, c.get("/api/v1/tokens")).Items {
			if x.Token != "" {
				t.Error("the token list shows a secret")
			}
		}
		leader := e.anon()
		leader.bearer = tok.Token
		if w := leader.get("/api/v1/employees"); w.Code != 200 {
			t.Errorf("leader token reads employees: %d", w.Code)
		}
		if w := leader.json("POST", "/api/v1/employees", map[string]any{}); w.Code != 403 {
			t.Errorf("leader token writes: %d", w.Code)
		}
		if w := c.do("DELETE", "/api/v1/tokens/"+id(tok.ID), nil, nil); w.Code != 204 {
			t.Errorf("revoke: %d", w.Code)
		}
		if w := leader.get("/api/v1/employees"); w.Code != 401 {
			t.Errorf("revoked token: %d", w.Code)
		}
		bad := e.anon()
		bad.bearer = "ntr_tidak-sah"
		if w := bad.get("/api/v1/me"); w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("bad token: %d", w.Code)
		}

		// The audit log, newest first, with keyset pages and the token as actor.
		al := decode[auditList](t, c.get("/api/v1/audit?limit=5"))
		if len(al.Items) != 5 || al.NextBefore == nil || al.Items[0].Seq <= al.Items[4].Seq {
			t.Fatalf("audit: %+v", al)
		}
		al2 := decode[auditList](t, c.get("/api/v1/audit?limit=5&before="+id(*al.NextBefore)))
		if al2.Items[0].Seq >= al.Items[4].Seq {
			t.Error("the second audit page overlaps the first")
		}
		ups := decode[auditList](t, c.get("/api/v1/audit?action=unit.update"))
		if len(ups.Items) == 0 || ups.Items[0].TokenID == nil || !regexp.MustCompile(`"name":\{"from":"SD Negeri 2","to":"SD Negeri 2 Palangka Raya"\}`).Match(ups.Items[0].Summary) {
			t.Errorf("audit of the unit update: %+v", ups.Items)
		}
		if w := c.get("/api/v1/audit?from=xx"); w.Code != 422 {
			t.Errorf("bad date: %d", w.Code)
		}
	})
}

// TestAPISessionCookie checks that a signed-in browser may call the API
// with its session (the import progress page does), and that an
// employee's session reaches only their own data.
func TestAPISessionCookie(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	if w := e.as("admin").get("/api/v1/employees"); w.Code != 200 {
		t.Errorf("admin session: %d", w.Code)
	}
	p := e.as("pegawai")
	if w := p.get("/api/v1/me"); w.Code != 200 || decode[apiMeBody](t, w).EmployeeID == nil {
		t.Errorf("employee me: %d", w.Code)
	}
	if w := p.get("/api/v1/employees/" + id(e.employees["guru"].ID)); w.Code != http.StatusForbidden {
		t.Errorf("employee reads the employee API: %d", w.Code)
	}
}
