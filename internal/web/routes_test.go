package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// concrete turns a route pattern into a URL naming real fixture objects.
func (e *env) concrete(t *testing.T, pattern string) string {
	t.Helper()
	im := e.lazyImport(t)
	tok := e.lazyToken(t)
	verifier := e.users["verifier"]
	election, stage := e.lazyElection(t)
	pl := e.lazyPledge(t)
	repl := []struct{ prefix, name, value string }{
		{"/instansi/", "{id}", id(e.palangka.ID)},
		{"/api/v1/tenants/", "{id}", id(e.palangka.ID)},
		{"/unit/", "{id}", id(e.disdikSD.ID)},
		{"/api/v1/units/", "{id}", id(e.disdikSD.ID)},
		{"/pegawai/", "{id}", id(e.employees["guru"].ID)},
		{"/api/v1/employees/", "{id}", id(e.employees["guru"].ID)},
		{"/api/v1/employees/", "{assignment}", "1"},
		{"/api/v1/office-holders/", "{id}", "1"},
		{"/impor/", "{id}", id(im)},
		{"/api/v1/imports/", "{id}", id(im)},
		{"/mutasi/", "{id}", "1"},
		{"/api/v1/transfers/", "{id}", "1"},
		{"/pengguna/", "{id}", id(verifier.ID)},
		{"/api/v1/users/", "{id}", id(verifier.ID)},
		{"/pengguna/", "{grant}", id(verifier.Grants[0].ID)},
		{"/api/v1/users/", "{grant}", id(verifier.Grants[0].ID)},
		{"/token/", "{id}", id(tok)},
		{"/api/v1/tokens/", "{id}", id(tok)},
		{"/api/v1/pledge-campaigns/", "{id}", "1"},
		{"/masuk/tautan/", "{token}", "bukan-token"},
		{"/masuk/sandi-baru/", "{token}", "bukan-token"},
		{"/bahasa/", "{lang}", "en"},
		{"/log/ikrar/", "{tenant}", e.palangka.Code},
		{"/akun/sesi/", "{ref}", "0000000000000000"},
		{"/static/", "{file}", strings.TrimPrefix(e.srv.assets.url("app.css"), "/static/")},
		{"/pemilu/", "{id}", id(election)},
		{"/api/v1/elections/", "{id}", id(election)},
		{"/api/v1/elections/", "{stage}", id(stage)},
		{"/saya/pemberitahuan/", "{id}", "1"},
		{"/api/v1/me/notices/", "{id}", "1"},
		{"/instansi/", "{template}", id(pl.template)},
		{"/instansi/", "{campaign}", id(pl.campaign)},
		{"/instansi/", "{signature}", id(pl.signature)},
		{"/ikrar/tanda-tangan/", "{id}", id(pl.signature)},
		{"/ikrar/", "{id}", id(pl.campaign)},
		{"/v/", "{code}", pl.code},
		{"/tugas/", "{id}", id(e.lazyDuty(t))},
	}
	u := pattern
	for _, r := range repl {
		if strings.HasPrefix(pattern, r.prefix) {
			u = strings.ReplaceAll(u, r.name, r.value)
		}
	}
	u = strings.TrimSuffix(u, "{$}")
	if strings.Contains(u, "{") {
		t.Fatalf("no substitution for %s", pattern)
	}
	return u
}

var fixtureImport, fixtureToken = map[*env]int64{}, map[*env]int64{}

func (e *env) lazyImport(t *testing.T) int64 {
	if id, ok := fixtureImport[e]; ok {
		return id
	}
	ctx := netra.WithActor(context.Background(), actorFor(e.users["admin"], "127.0.0.1"))
	im, err := e.runner.Submit(ctx, e.palangka.ID, "roster.csv", strings.NewReader(sampleRoster))
	must(t, err)
	fixtureImport[e] = im.ID
	return im.ID
}

func (e *env) lazyToken(t *testing.T) int64 {
	if id, ok := fixtureToken[e]; ok {
		return id
	}
	ctx := netra.WithActor(context.Background(), actorFor(e.users["admin"], "127.0.0.1"))
	_, tok, err := e.srv.createToken(ctx, "uji", netra.RoleAuditor, e.palangka.ID, 0, 30)
	must(t, err)
	fixtureToken[e] = tok.ID
	return tok.ID
}

// lacking names a fixture user whose roles lack p, or "" when every
// signed-in user holds it.
func lacking(p netra.Permission) string {
	switch p {
	case netra.PermSelf, netra.PermTenantManage:
		return "admin"
	case netra.PermTenantRead, netra.PermUnitRead, netra.PermEmployeeRead:
		return "pegawai"
	case netra.PermUnitManage, netra.PermEmployeeWrite, netra.PermImport, netra.PermUserManage,
		netra.PermDutyManage, netra.PermElectionManage, netra.PermDutyRead:
		return "verifier"
	case netra.PermAuditRead:
		return "leader"
	}
	return ""
}

// TestEveryRoute hits every route of the table without a session (pages
// redirect to a sign-in page, the API answers 401) and as a user whose role
// lacks the route's permission (403), and checks that the roles holding it
// get past the check.
func TestEveryRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		for _, rt := range e.srv.routes {
			name := rt.Method + " " + rt.Pattern
			target := e.concrete(t, rt.Pattern)
			send := func(c *client) *httptest.ResponseRecorder {
				switch {
				case rt.Method == "GET":
					return c.get(target)
				case strings.HasPrefix(target, "/api/"):
					return c.do(rt.Method, target, strings.NewReader("{}"), http.Header{"Content-Type": {"application/json"}})
				default:
					return c.post(target, nil)
				}
			}
			t.Run(name, func(t *testing.T) {
				if rt.Perm == netra.PermPublic {
					w := send(e.anon())
					if w.Code == http.StatusForbidden || w.Code >= 500 {
						t.Errorf("public route answered %d", w.Code)
					}
					return
				}
				w := send(e.anon())
				if strings.HasPrefix(target, "/api/") {
					if w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/problem+json") {
						t.Errorf("unauthenticated API call: %d %s", w.Code, w.Header().Get("Content-Type"))
					}
				} else if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/masuk") {
					t.Errorf("unauthenticated page: %d to %q", w.Code, loc)
				}
				if who := lacking(rt.Perm); who != "" {
					if w := send(e.as(who)); w.Code != http.StatusForbidden {
						t.Errorf("as %s (lacks %s): %d", who, rt.Perm, w.Code)
					}
				}
				holder := "super"
				if rt.Perm == netra.PermSelf {
					holder = "pegawai"
				}
				if w := send(e.as(holder)); w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden || w.Code >= 500 {
					t.Errorf("as %s (holds %s): %d %s", holder, rt.Perm, w.Code, w.Body.String())
				}
				// A password reset by the super admin sends its user to the
				// password form first; the next routes need them as they were.
				chosen := false
				for _, u := range e.users {
					must(t, st.UpdateUser(sys, u.ID, store.UserUpdate{MustChangePassword: &chosen}, ""))
				}
			})
		}
	})
}

// TestRouterRefusesRouteWithoutPermission checks the table cannot name a
// route without a permission, with an unknown one, or twice.
func TestRouterRefusesRouteWithoutPermission(t *testing.T) {
	s := &Server{}
	h := func(http.ResponseWriter, *http.Request) error { return nil }
	for _, tc := range []struct {
		name   string
		routes []route
		want   string
	}{
		{"no permission", []route{{"GET", "/x", "", h}}, "names no permission"},
		{"unknown permission", []route{{"GET", "/x", "everything", h}}, "unknown permission"},
		{"no handler", []route{{"GET", "/x", netra.PermPublic, nil}}, "no handler"},
		{"twice", []route{{"GET", "/x", netra.PermPublic, h}, {"GET", "/x", netra.PermPublic, h}}, "twice"},
		{"conflict", []route{{"GET", "/x/{a}", netra.PermPublic, h}, {"GET", "/x/{b}", netra.PermPublic, h}}, "conflict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.router(tc.routes)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
	// And the real table passes.
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	if _, err := e.srv.router(e.srv.routes); err != nil {
		t.Fatal(err)
	}
}

// TestUnitScopedAdmin checks that an admin limited to Dinas Pendidikan sees
// that subtree and nothing else, on pages and in the API.
func TestUnitScopedAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.as("disdik")
		w := c.get("/pegawai")
		body := w.Body.String()
		for _, in := range []string{"Rina Kadis", "Siti Aminah", "Budi Santoso"} {
			if !strings.Contains(body, in) {
				t.Errorf("employee list lacks %s", in)
			}
		}
		for _, out := range []string{"Ahmad Sekda", "Andi Wijaya", "Dewi Tarakan"} {
			if strings.Contains(body, out) {
				t.Errorf("employee list shows %s, outside the subtree", out)
			}
		}
		list := decode[employeeList](t, c.get("/api/v1/employees"))
		if list.Total != 3 || len(list.Items) != 3 {
			t.Errorf("API lists %d (total %d), want 3", len(list.Items), list.Total)
		}
		for path, want := range map[string]int{
			"/unit/" + id(e.disdikSD.ID):                      200,
			"/unit/" + id(e.disdik.ID):                        200,
			"/unit/" + id(e.setda.ID):                         404,
			"/unit/" + id(e.setdaTRK.ID):                      404,
			"/pegawai/" + id(e.employees["guru"].ID):          200,
			"/pegawai/" + id(e.employees["sekda"].ID):         404,
			"/pegawai/" + id(e.employees["tarakan"].ID):       404,
			"/api/v1/units/" + id(e.setda.ID):                 404,
			"/api/v1/employees/" + id(e.employees["andi"].ID): 404,
			"/instansi/" + id(e.tarakan.ID):                   404,
		} {
			if got := c.get(path).Code; got != want {
				t.Errorf("GET %s: %d, want %d", path, got, want)
			}
		}
		tree := c.get("/instansi/" + id(e.palangka.ID) + "/unit").Body.String()
		if !strings.Contains(tree, "Dinas Pendidikan") || strings.Contains(tree, "Sekretariat Daerah") {
			t.Errorf("the tree should start at Dinas Pendidikan only:\n%s", tree)
		}
		// Writing outside the subtree is refused: the unit is not even visible.
		if w := c.post("/unit/"+id(e.setda.ID)+"/ubah", map[string][]string{"name": {"Setda Baru"}}); w.Code != http.StatusNotFound {
			t.Errorf("edit a unit outside the subtree: %d", w.Code)
		}
		w = c.post("/pegawai", map[string][]string{"instansi": {id(e.palangka.ID)}, "nip": {nipFor(90)}, "name": {"Pegawai Baru"},
			"type": {"pns"}, "golongan": {"III/a"}, "position_type": {"pelaksana"}, "unit": {id(e.setda.ID)}})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "di luar wewenang Anda") {
			t.Errorf("create an employee outside the subtree: %d", w.Code)
		}
		// A tenant admin of another city sees none of Palangka Raya.
		o := e.as("tarakan")
		if got := o.get("/pegawai/" + id(e.employees["guru"].ID)).Code; got != http.StatusNotFound {
			t.Errorf("Tarakan admin opens a Palangka Raya employee: %d", got)
		}
		if got := o.get("/instansi/" + id(e.palangka.ID)).Code; got != http.StatusNotFound {
			t.Errorf("Tarakan admin opens Palangka Raya: %d", got)
		}
	})
}
