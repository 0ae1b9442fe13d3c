package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
)

// postForm parses vals as a submitted form.
func postForm(t *testing.T, vals url.Values) *form {
	t.Helper()
	r := httptest.NewRequest("POST", "/x", strings.NewReader(vals.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f, err := parseForm(httptest.NewRecorder(), r)
	if err != nil {
		t.Fatalf("parseForm: %v", err)
	}
	return f
}

func TestFormGetters(t *testing.T) {
	f := postForm(t, url.Values{"name": {"  Siti  "}, "count": {"42"}, "born": {"1990-05-17"}, "unit": {"7"},
		"badunit": {"x"}, "box": {"on"}, "role": {"admin"}, "blank": {""}})
	if got := f.get("name"); got != "  Siti  " {
		t.Errorf("get = %q", got)
	}
	if got := f.required("name"); got != "Siti" {
		t.Errorf("required = %q", got)
	}
	if got := f.int("count"); got != 42 {
		t.Errorf("int = %d", got)
	}
	if got := f.int("absent"); got != 0 {
		t.Errorf("int of an absent field = %d", got)
	}
	if got, want := f.date("born"), time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("date = %v", got)
	}
	if !f.date("blank").IsZero() {
		t.Error("date of an empty field is not zero")
	}
	if f.id("unit") != 7 || f.id("badunit") != 0 {
		t.Errorf("id = %d, %d", f.id("unit"), f.id("badunit"))
	}
	if !f.checked("box") || f.checked("absent") {
		t.Error("checked is wrong")
	}
	if !f.has("blank") || f.has("absent") {
		t.Error("has is wrong")
	}
	if got := f.choice("role", options("", "", "—", "admin", "Admin")); got != "admin" {
		t.Errorf("choice = %q", got)
	}
	if err := f.err(); err != nil {
		t.Errorf("good values gave %v", err)
	}
}

// Every bad field is reported in one error, each with its own message.
func TestFormCollectsAllFieldErrors(t *testing.T) {
	f := postForm(t, url.Values{"count": {"12a"}, "born": {"17-05-1990"}, "name": {"   "}, "role": {"root"}})
	if n := f.int("count"); n != 0 {
		t.Errorf("bad int = %d", n)
	}
	if d := f.date("born"); !d.IsZero() {
		t.Errorf("bad date = %v", d)
	}
	f.required("name")
	f.required("missing")
	if got := f.choice("role", options("", "admin", "Admin")); got != "" {
		t.Errorf("bad choice = %q", got)
	}
	f.int("count") // a second problem with a field does not replace the first
	ve, ok := netra.AsValidation(f.err())
	if !ok {
		t.Fatalf("err = %v, want a validation error", f.err())
	}
	want := map[string]netra.Message{"count": msgNotInt, "born": msgNotDate, "name": msgRequired, "missing": msgRequired, "role": msgNotChoice}
	if len(ve.Fields) != len(want) {
		t.Errorf("fields = %v, want %v", ve.Fields, want)
	}
	for k, m := range want {
		if ve.Fields[k] != m {
			t.Errorf("%s: %v, want %v", k, ve.Fields[k], m)
		}
	}
	// joined with the domain type's own errors, all of them still show
	all, ok := netra.AsValidation(joinInvalid(f.err(), netra.Invalid("email", netra.Msg("a", "b"))))
	if !ok || len(all.Fields) != len(want)+1 {
		t.Errorf("joinInvalid = %v", all)
	}
}

func TestParseFormTooLarge(t *testing.T) {
	body := "a=" + strings.Repeat("x", maxFormBytes)
	r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, err := parseForm(httptest.NewRecorder(), r)
	if err == nil || statusOf(err) != http.StatusRequestEntityTooLarge {
		t.Fatalf("err = %v (status %d), want 413", err, statusOf(err))
	}
}

func TestFormStatus(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		ok     bool
	}{
		{netra.Invalid("name", netra.Msg("a", "b")), http.StatusUnprocessableEntity, true},
		{netra.Userf(netra.ErrConflict, "a", "b"), http.StatusConflict, true},
		{netra.ErrNotFound, 0, false},
	} {
		status, ok := formStatus(c.err)
		if status != c.status || ok != c.ok {
			t.Errorf("formStatus(%v) = %d, %v; want %d, %v", c.err, status, ok, c.status, c.ok)
		}
	}
}

func TestTenantAndRoleOptions(t *testing.T) {
	p := &page{Lang: "en"}
	opts := roleOptions(p, "", "Choose", false)
	if opts[0].Value != "" || !opts[0].Selected {
		t.Errorf("first role option = %+v", opts[0])
	}
	for _, o := range opts {
		if o.Value == string(netra.RoleEmployee) || o.Value == string(netra.RoleSuperAdmin) {
			t.Errorf("role %s offered", o.Value)
		}
	}
	if !containsOption(roleOptions(p, "", "Choose", true), string(netra.RoleSuperAdmin)) {
		t.Error("super administrator not offered to a super administrator")
	}
}

func containsOption(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}
