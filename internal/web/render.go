package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

//go:embed templates
var templateFiles embed.FS

// pageTemplate is one page parsed together with the layout and partials.
type pageTemplate struct{ t *template.Template }

// parseTemplates parses every page in templates/pages with the layout and
// the partials; a page's name is its file name without ".html".
func (s *Server) parseTemplates() (map[string]*pageTemplate, error) {
	funcs := template.FuncMap{
		"asset": s.assets.url,
		"nip":   netra.FormatNIP,
		"pct": func(f float64) int {
			return int(f*100 + 0.5)
		},
		"add":  func(a, b int) int { return a + b },
		"i64":  func(n int) int64 { return int64(n) },
		"safe": func(s string) template.URL { return template.URL(s) }, // only for data: URLs we build
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, n := range names {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles,
			"templates/layout.html", "templates/partials.html", "templates/partials/*.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		out[strings.TrimSuffix(path.Base(n), ".html")] = &pageTemplate{t}
	}
	return out, nil
}

// page is what every page shows besides its own content: the layout's
// header, navigation, flash message and error summary. Each page's data
// struct embeds it, so templates call {{.T "key"}} and friends on any page.
type page struct {
	s         *Server
	Lang      string
	Title     string
	Path      string // the current URL, for the language switch to come back to
	Actor     *netra.Actor
	User      *netra.User
	Nav       []navItem
	Flash     string
	RequestID string
	Refresh   int // seconds: a meta refresh for browsers without JavaScript
	// ReplaceURL is the address app.js puts in the location bar of a page
	// that answers a failed POST: the GET address of the form, so that a
	// reload shows the form again instead of posting it once more.
	ReplaceURL string

	Errors    []summaryItem // the error summary at the top of a form
	FormError string        // a problem not tied to one field
	flashSeen bool
}

type navItem struct {
	Href, Label string
	Current     bool
}

type summaryItem struct {
	Field, Label, Message string
}

func (p *page) base() *page { return p }

// T returns the catalog string for key in the page's language.
func (p *page) T(key string, args ...any) string { return p.s.cat.T(p.Lang, key, args...) }

// Num formats a count the Indonesian (or English) way: 1.500.000.
func (p *page) Num(n any) string {
	switch v := n.(type) {
	case int:
		return formatInt(p.Lang, int64(v))
	case int64:
		return formatInt(p.Lang, v)
	}
	return fmt.Sprint(n)
}

// Date formats a date as "23 November 2026".
func (p *page) Date(t time.Time) string { return formatDate(p.Lang, t) }

// DateTime formats a moment as "23 November 2026 14.05 WIB".
func (p *page) DateTime(t time.Time) string { return formatDateTime(p.Lang, t) }

// Birth formats a calendar date that has no time of day.
func (p *page) Birth(t time.Time) string { return formatBirthDate(p.Lang, t) }

// Can reports whether the signed-in actor holds a permission anywhere.
func (p *page) Can(perm string) bool { return p.Actor != nil && p.Actor.Can(netra.Permission(perm)) }

// Label returns the name of a domain value in the page's language: any
// value with a Label(lang) method (roles, unit types, employment and
// position types, statuses, tenant levels, and every enum after them) or
// a bilingual Message.
func (p *page) Label(v any) string {
	switch x := v.(type) {
	case interface{ Label(lang string) string }:
		return x.Label(p.Lang)
	case netra.Message:
		return x.In(p.Lang)
	}
	return fmt.Sprint(v)
}

// newPage starts the page data for a request.
func (s *Server) newPage(r *http.Request, titleKey string) *page {
	in := info(r)
	p := &page{s: s, Lang: in.lang, Path: r.URL.RequestURI(), Actor: in.actor, User: in.user, RequestID: in.id}
	if titleKey != "" {
		p.Title = p.T(titleKey)
	}
	if c, err := r.Cookie(flashCookie); err == nil && c.Value != "" {
		if _, ok := s.cat[langID]["flash."+c.Value]; ok {
			p.Flash = p.T("flash." + c.Value)
		}
		p.flashSeen = true
	}
	p.Nav = s.nav(r, p)
	return p
}

// nav lists the sections the actor may open.
func (s *Server) nav(r *http.Request, p *page) []navItem {
	a := p.Actor
	if a == nil {
		return nil
	}
	var items []navItem
	add := func(href, key string, perm netra.Permission) {
		if !a.Can(perm) {
			return
		}
		cur := r.URL.Path == href || (href != "/" && strings.HasPrefix(r.URL.Path, href+"/"))
		items = append(items, navItem{Href: href, Label: p.T(key), Current: cur})
	}
	if a.Can(netra.PermSelf) && !isStaff(a) {
		add("/saya", "nav.me", netra.PermSelf)
	} else {
		add("/", "nav.home", netra.PermSignedIn)
	}
	add(pledgeNavHref(a), "nav.pledge", pledgeNavPerm(a))
	add("/instansi", "nav.tenants", netra.PermTenantRead)
	add("/pegawai", "nav.employees", netra.PermEmployeeRead)
	add("/impor", "nav.import", netra.PermImport)
	add("/mutasi", "nav.transfers", netra.PermEmployeeWrite)
	add("/tugas", "nav.duties", netra.PermDutyRead)
	add("/pemilu", "nav.elections", netra.PermPublic)
	add("/pengguna", "nav.users", netra.PermUserManage)
	add("/audit", "nav.audit", netra.PermAuditRead)
	add("/akun", "nav.account", netra.PermSignedIn)
	return items
}

// isStaff reports whether the actor holds any role but the employee's.
func isStaff(a *netra.Actor) bool {
	for _, g := range a.Grants {
		if g.Role.Staff() {
			return true
		}
	}
	return false
}

// field is one labelled form control. Handlers build them with translated
// labels, so every input has a label and its error next to it.
type field struct {
	Name, Label, Type, Value, Hint, Error string
	Autocomplete, InputMode, Pattern      string
	Accept                                string
	Required, Autofocus, Readonly         bool
	MaxLength                             int
	Options                               []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// ID is the element id of the control, the target of the error summary's links.
func (f field) ID() string { return "f-" + f.Name }

// Described lists the ids of the hint and the error, for aria-describedby.
func (f field) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// options builds select options, marking the one equal to current.
func options(current string, pairs ...string) []option {
	out := make([]option, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, option{Value: pairs[i], Label: pairs[i+1], Selected: pairs[i] == current})
	}
	return out
}

// applyErrors puts the messages of err on the fields they belong to and
// fills the error summary. A validation error on a field the form does not
// show, and any user error, appear in the summary without a link.
func (p *page) applyErrors(err error, fields []field) {
	if err == nil {
		return
	}
	if msg, ok := userText(err, p.Lang); ok {
		p.FormError = msg
		return
	}
	p.setErrors(fieldMessages(err, p.Lang), fields)
}

func (p *page) setErrors(msgs map[string]string, fields []field) {
	used := map[string]bool{}
	for i := range fields {
		if m, ok := msgs[fields[i].Name]; ok {
			fields[i].Error = m
			used[fields[i].Name] = true
			p.Errors = append(p.Errors, summaryItem{Field: fields[i].ID(), Label: fields[i].Label, Message: m})
		}
	}
	for name, m := range msgs {
		if !used[name] {
			p.Errors = append(p.Errors, summaryItem{Message: m})
		}
	}
}

// errorPage is the data of the error page (404, 403, 422, 429, 500…).
type errorPage struct {
	*page
	Status  int
	Message string
}

// flashCookie carries a catalog key ("saved") across the redirect after a
// successful form, so the next page can say what happened.
const flashCookie = "netra_flash"

// redirect answers a successful form with 303 See Other and a flash message.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: flash, Path: "/", HttpOnly: true,
			Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: 60})
	}
	info(r).status = http.StatusSeeOther
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// render executes a page into a buffer and writes it with status, so that a
// template failure becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data interface{ base() *page }) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("web: no page template %q", name)
	}
	if r.Method == http.MethodPost && status >= 400 {
		if u := formAddress(r); u != "" {
			p := data.base()
			p.ReplaceURL, p.Path = u, u
		}
	}
	var buf bytes.Buffer
	if err := t.t.ExecuteTemplate(&buf, "layout", data); err != nil {
		if name == "error" {
			s.log.Error("render error page", "err", err)
			http.Error(w, http.StatusText(status), status)
			return nil
		}
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	if data.base().flashSeen {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			Secure: s.secure, SameSite: http.SameSiteLaxMode})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// formAddress returns the path and query of the page a POST came from
// (the Referer, sent for same-origin requests under our Referrer-Policy),
// or "" when it is missing or from another origin.
func formAddress(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || ref.Path == "" || !strings.HasPrefix(ref.Path, "/") {
		return ""
	}
	return ref.RequestURI()
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	return writeJSONType(w, status, "application/json", v)
}

func writeJSONType(w http.ResponseWriter, status int, ctype string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, err = w.Write(append(b, '\n'))
	return err
}

// pathID reads a numeric path value; anything else is a 404, as for a URL
// that names nothing.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// formID reads an optional numeric form or query value; empty or bad is 0.
func formID(v string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}
