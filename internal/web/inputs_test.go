package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestBadInputAnswers422 checks that bad query parameters, over-long
// searches and JSON of the wrong shape get a 422 (or 400) naming what is
// wrong in the caller's language, never a 500 or Go's own error text, and
// that a 401 from the API says how to authenticate.
func TestBadInputAnswers422(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		long := strings.Repeat("a", 60000)
		for _, target := range []string{"/api/v1/employees?limit=abc", "/api/v1/employees?q=" + long,
			"/api/v1/employees?unit_id=x", "/api/v1/audit?limit=abc",
			"/api/v1/tenants/" + id(e.palangka.ID) + "/units?limit=-1"} {
			w := c.get(target)
			var p problem
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != 422 || len(p.Errors) == 0 {
				t.Fatalf("GET %.60s: %d %.300s", target, w.Code, w.Body.String())
			}
		}
		w := c.get("/api/v1/employees?limit=abc&unit_id=x")
		if p := decodeProblem(t, w); p.Errors["limit"] == "" || p.Errors["unit_id"] == "" {
			t.Fatalf("both bad parameters at once: %+v", p)
		}
		// The page's search as well.
		if w := e.as("admin").get("/pegawai?q=" + long); w.Code != 422 {
			t.Fatalf("page search of 60,000 characters: %d", w.Code)
		}
		// JSON of the wrong shape: the field is named, in Indonesian by default.
		w = c.json("POST", "/api/v1/employees", map[string]any{"nip": 123, "name": "X"})
		if p := decodeProblem(t, w); w.Code != 422 || !strings.Contains(p.Errors["nip"], "bertipe salah") || strings.Contains(w.Body.String(), "json:") {
			t.Fatalf("wrong type: %d %s", w.Code, w.Body.String())
		}
		w = c.json("POST", "/api/v1/employees", map[string]any{"nama_lengkap": "X"})
		if p := decodeProblem(t, w); w.Code != 422 || !strings.Contains(p.Errors["nama_lengkap"], "tidak dikenal") || strings.Contains(w.Body.String(), "json:") {
			t.Fatalf("unknown field: %d %s", w.Code, w.Body.String())
		}
		// NUL and invalid UTF-8 through the API are refused like the import refuses them.
		w = c.json("POST", "/api/v1/employees", map[string]any{"nip": "198609262015051001", "name": "Budi\x00", "type": "pns",
			"golongan": "III/a", "unit_id": e.setda.ID})
		if p := decodeProblem(t, w); w.Code != 422 || p.Errors["name"] == "" {
			t.Fatalf("NUL in a name: %d %s", w.Code, w.Body.String())
		}
		anon := e.anon()
		if w := anon.get("/api/v1/employees"); w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
			t.Fatalf("401 without WWW-Authenticate: %d %v", w.Code, w.Header())
		}
	})
}

func decodeProblem(t *testing.T, w *httptest.ResponseRecorder) problem {
	t.Helper()
	var p problem
	_ = json.Unmarshal(w.Body.Bytes(), &p)
	return p
}

// TestUploadLimit checks that a roster over the configured limit is refused
// with 413 and a message naming the limit, on the page and the API, and
// leaves no import behind.
func TestUploadLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		srv, err := New(Config{MaxUpload: 4 << 10, Store: st, Imports: e.runner, BaseURL: "http://netra.test"})
		must(t, err)
		e.srv = srv
		big := smallRoster() + strings.Repeat("198609262015051001;Budi;PNS;III/a;Guru;Fungsional;DISDIK;;\n", 200)
		wantBody(t, e.as("admin").upload("/impor", "instansi", e.palangka.ID, "besar.csv", big, false), 413, "Batasnya 4 KiB")
		c := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		w := c.upload("/api/v1/imports", "tenant_id", e.palangka.ID, "besar.csv", big, true)
		if w.Code != 413 || !strings.Contains(w.Body.String(), "4 KiB") {
			t.Fatalf("API upload over the limit: %d %s", w.Code, w.Body.String())
		}
		ims, err := st.Imports(netra.WithActor(t.Context(), netra.System("test")), e.palangka.ID)
		if err != nil || len(ims) != 0 {
			t.Fatalf("imports after refused uploads: %v %v", ims, err)
		}
		// Under the limit it goes through.
		if w := e.as("admin").upload("/impor", "instansi", e.palangka.ID, "kecil.csv", smallRoster(), false); w.Code >= 400 {
			t.Fatalf("small upload: %d", w.Code)
		}
	})
}
