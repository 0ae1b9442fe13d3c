package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
)

// Form handling in one place: reading a submitted form, re-rendering it
// when the submission is refused, and the option lists of its selects. A
// new noun's handlers read their fields with a form's getters, answer a
// refused save with renderInvalid, and build selects from the builders here.

// form is a submitted url-encoded form. Its typed getters read the values
// and collect what is wrong with them field by field, so that a handler
// reports every field error at once: join err() with the domain type's
// Validate().
type form struct {
	values url.Values
	v      netra.ValidationError
}

// parseForm reads a small url-encoded form (at most maxFormBytes: more is
// 413) into r.PostForm and returns it.
func parseForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	return &form{values: r.PostForm}, nil
}

// get returns the first value of name as sent, or "".
func (f *form) get(name string) string { return f.values.Get(name) }

// trim returns the value of name without surrounding space.
func (f *form) trim(name string) string { return strings.TrimSpace(f.values.Get(name)) }

// has reports whether the form sent name at all, even empty.
func (f *form) has(name string) bool { return f.values.Has(name) }

// id returns an optional numeric id (a select of records); empty or
// malformed is 0, which the store refuses as "choose one" where one is needed.
func (f *form) id(name string) int64 { return formID(f.values.Get(name)) }

// checked reports whether the checkbox (or hidden flag) name is set: "1",
// "on" or "true".
func (f *form) checked(name string) bool {
	switch f.trim(name) {
	case "1", "on", "true":
		return true
	}
	return false
}

// required returns the trimmed value of name; an empty one is a field error.
func (f *form) required(name string) string {
	v := f.trim(name)
	if v == "" {
		f.invalid(name, msgRequired)
	}
	return v
}

// int returns the whole number in name; empty is 0 without an error, and
// anything else that is not a whole number is a field error.
func (f *form) int(name string) int {
	v := f.trim(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.invalid(name, msgNotInt)
		return 0
	}
	return n
}

// dateLayout is how an <input type="date"> sends a date.
const dateLayout = "2006-01-02"

// date returns the calendar date in name (YYYY-MM-DD, midnight UTC); empty
// is the zero time without an error, and a malformed date is a field error.
func (f *form) date(name string) time.Time {
	v := f.trim(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		f.invalid(name, msgNotDate)
		return time.Time{}
	}
	return t
}

// choice returns the value of the select name when it is one of opts (the
// options the page offered); anything else is a field error. The empty
// value is accepted only when opts offer it.
func (f *form) choice(name string, opts []option) string {
	v := f.get(name)
	for _, o := range opts {
		if o.Value == v {
			return v
		}
	}
	f.invalid(name, msgNotChoice)
	return ""
}

// invalid records a problem with field name; the first problem of a field wins.
func (f *form) invalid(name string, m netra.Message) { f.v.Add(name, m) }

// err returns the field errors collected so far, or nil.
func (f *form) err() error { return f.v.Err() }

var (
	msgRequired  = netra.Msg("Wajib diisi.", "This field is required.")
	msgNotInt    = netra.Msg("Isi dengan bilangan bulat.", "Enter a whole number.")
	msgNotDate   = netra.Msg("Isi tanggal yang benar (TTTT-BB-HH).", "Enter a valid date (YYYY-MM-DD).")
	msgNotChoice = netra.Msg("Pilih salah satu pilihan.", "Choose one of the options.")
)

// joinInvalid merges validation errors, so that a form reports every field
// error at once; any other error wins as it is.
func joinInvalid(errs ...error) error {
	var all netra.ValidationError
	for _, e := range errs {
		if e == nil {
			continue
		}
		ve, ok := netra.AsValidation(e)
		if !ok {
			return e
		}
		for f, m := range ve.Fields {
			all.Add(f, m)
		}
	}
	return all.Err()
}

// formStatus reports whether err belongs on the form that caused it (a
// validation error, or a user error such as a conflict) and with which status.
func formStatus(err error) (int, bool) {
	if _, ok := netra.AsValidation(err); ok {
		return http.StatusUnprocessableEntity, true
	}
	if _, ok := userText(err, langID); ok {
		return statusOf(err), true
	}
	return 0, false
}

// formPage is the data of a page that shows a form.
type formPage interface{ base() *page }

// renderInvalid answers a submission refused with err. When err belongs on
// the form (formStatus: a validation error is 422, a user error its own
// status), it renders the page template name with the data build returns
// (the page with the values as entered), the messages on fields and in the
// error summary. Any other error, or one from build, is returned for fail
// to answer.
func (s *Server) renderInvalid(w http.ResponseWriter, r *http.Request, err error, name string,
	build func() (formPage, []field, error)) error {
	status, ok := formStatus(err)
	if !ok {
		return err
	}
	d, fields, berr := build()
	if berr != nil {
		return berr
	}
	d.base().applyErrors(err, fields)
	return s.render(w, r, status, name, d)
}

// Option builders: each lists a domain's values in the page's language,
// marking the current one; empty, when not "", labels an empty first choice.

// unitOptions lists units as indented options, with an empty first choice.
func unitOptions(units []netra.OrgUnit, current int64, empty string) []option {
	minDepth := 1 << 30
	for _, u := range units {
		minDepth = min(minDepth, u.Depth)
	}
	out := []option{{Value: "", Label: empty, Selected: current == 0}}
	for _, u := range units {
		out = append(out, option{Value: strconv.FormatInt(u.ID, 10), Label: strings.Repeat("— ", u.Depth-minDepth) + u.Name,
			Selected: u.ID == current})
	}
	return out
}

// tenantOptions lists governments by name (or "code — name"), with an
// empty first choice when empty is not "".
func tenantOptions(ts []store.TenantSummary, current, empty string, withCode bool) []option {
	var pairs []string
	if empty != "" {
		pairs = append(pairs, "", empty)
	}
	for _, t := range ts {
		label := t.Name
		if withCode {
			label = t.Code + " — " + t.Name
		}
		pairs = append(pairs, strconv.FormatInt(t.ID, 10), label)
	}
	return options(current, pairs...)
}

// roleOptions lists the roles a grant may give, after an empty first
// choice: never the employee's (it comes with the employee record), and the
// super administrator's only when superAdmin is set.
func roleOptions(p *page, current, empty string, superAdmin bool) []option {
	pairs := []string{"", empty}
	for _, role := range netra.Roles {
		if role == netra.RoleEmployee || (role == netra.RoleSuperAdmin && !superAdmin) {
			continue
		}
		pairs = append(pairs, string(role), role.Label(p.Lang))
	}
	return options(current, pairs...)
}

// unitTypeOptions lists the kinds of organisation unit.
func unitTypeOptions(p *page, current string) []option {
	var pairs []string
	for _, t := range netra.UnitTypes {
		pairs = append(pairs, string(t), t.Label(p.Lang))
	}
	return options(current, pairs...)
}

func typeOptions(p *page, current, empty string) []option {
	pairs := []string{"", empty}
	for _, t := range netra.EmploymentTypes {
		pairs = append(pairs, string(t), t.Label(p.Lang))
	}
	return options(current, pairs...)
}

func positionOptions(p *page, current, empty string) []option {
	pairs := []string{"", empty}
	for _, t := range netra.PositionTypes {
		pairs = append(pairs, string(t), t.Label(p.Lang))
	}
	return options(current, pairs...)
}

func statusOptions(p *page, current, emptyValue, empty string) []option {
	var pairs []string
	if empty != "" {
		pairs = append(pairs, emptyValue, empty)
	}
	for _, t := range netra.EmployeeStatuses {
		pairs = append(pairs, string(t), t.Label(p.Lang))
	}
	return options(current, pairs...)
}

func golonganOptions(p *page, current string) []option {
	pairs := []string{"", p.T("employee.golongan.none")}
	for _, g := range netra.GolonganPNS {
		pairs = append(pairs, string(g), string(g)+" — "+g.Pangkat())
	}
	for _, g := range netra.GolonganPPPK {
		pairs = append(pairs, string(g), p.T("employee.golongan.pppk", string(g)))
	}
	return options(current, pairs...)
}
