package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netra-id/netra"
)

// errNotFound is returned by handlers for a URL that names nothing.
var errNotFound = netra.ErrNotFound

// badRequest is input the server cannot even parse (malformed JSON, a
// non-numeric id); it maps to 400.
type badRequest struct{ msg netra.Message }

func (e *badRequest) Error() string { return e.msg.EN }

func errBadRequest(id, en string) error { return &badRequest{netra.Msg(id, en)} }

// tooMany is a refusal by a rate limit; it maps to 429 with Retry-After.
type tooMany struct{ retry time.Duration }

func (e *tooMany) Error() string { return "too many requests" }

// problem is an RFC 9457 problem details body, with the field messages of a
// failed validation in errors.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Instance  string            `json:"instance,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
	Errors    map[string]string `json:"errors,omitempty"`
}

// statusOf maps an error kind to its HTTP status.
func statusOf(err error) int {
	var ve *netra.ValidationError
	var br *badRequest
	var tm *tooMany
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity
	case errors.As(err, &br):
		return http.StatusBadRequest
	case errors.As(err, &tm):
		return http.StatusTooManyRequests
	case errors.As(err, &mb):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, netra.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, netra.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, netra.ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, netra.ErrConflict):
		return http.StatusConflict
	}
	var ue *netra.UserError
	if errors.As(err, &ue) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// userText returns the message of an error meant for the user, if it is one.
func userText(err error, lang string) (string, bool) {
	var ue *netra.UserError
	if errors.As(err, &ue) {
		return ue.Msg.In(lang), true
	}
	var br *badRequest
	if errors.As(err, &br) {
		return br.msg.In(lang), true
	}
	return "", false
}

// fieldMessages returns the per-field messages of a validation error in lang.
func fieldMessages(err error, lang string) map[string]string {
	ve, ok := netra.AsValidation(err)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(ve.Fields))
	for f, m := range ve.Fields {
		out[f] = m.In(lang)
	}
	return out
}

// fail answers a request whose handler returned err: the one place where
// error kinds become status codes, HTML pages or problem+json bodies.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	in := info(r)
	status := statusOf(err)
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		in.status = 499 // the client went away; nothing to answer
		return
	}
	if in.status != 0 {
		// The response has begun (a streamed download): it can only be cut short.
		s.log.Error("response cut short", "request_id", in.id, "route", in.route, "err", err)
		return
	}
	w.Header().Del("Content-Disposition") // an error page is not the download it replaces
	if status == http.StatusInternalServerError {
		s.log.Error("request failed", "request_id", in.id, "route", in.route, "err", err)
	}
	var tm *tooMany
	if errors.As(err, &tm) {
		w.Header().Set("Retry-After", strconv.Itoa(int(tm.retry.Seconds())+1))
	}
	if isAPI(r) {
		s.failAPI(w, r, status, err)
		return
	}
	if status == http.StatusUnauthorized {
		s.toSignIn(w, r)
		return
	}
	lang := in.lang
	p := s.newPage(r, "")
	data := &errorPage{page: p, Status: status}
	switch status {
	case http.StatusNotFound:
		p.Title = p.T("error.404.title")
		data.Message = p.T("error.404.text")
	case http.StatusForbidden:
		p.Title = p.T("error.403.title")
		data.Message = p.T("error.403.text")
	case http.StatusUnprocessableEntity:
		p.Title = p.T("error.422.title")
		data.Message = p.T("error.422.text")
		p.setErrors(fieldMessages(err, lang), nil)
	case http.StatusTooManyRequests:
		p.Title = p.T("error.429.title")
		data.Message = p.T("error.429.text")
	case http.StatusRequestEntityTooLarge:
		p.Title = p.T("error.413.title")
		data.Message = p.T("error.413.text") + tooLargeLimit(err, lang)
	case http.StatusInternalServerError:
		p.Title = p.T("error.500.title")
		data.Message = p.T("error.500.text", in.id)
	default:
		p.Title = p.T("error.generic.title")
		data.Message = p.T("error.generic.text")
	}
	if msg, ok := userText(err, lang); ok {
		data.Message = msg
	}
	s.render(w, r, status, "error", data)
}

// failAPI writes a problem+json body.
func (s *Server) failAPI(w http.ResponseWriter, r *http.Request, status int, err error) {
	in := info(r)
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Instance: r.URL.Path, RequestID: in.id}
	if key := fmt.Sprintf("error.%d.title", status); s.cat.T(in.lang, key) != key {
		p.Title = s.cat.T(in.lang, key) // in the caller's language, like the detail
	}
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="netra"`)
		p.Detail = s.cat.T(in.lang, "api.unauthenticated")
	case http.StatusForbidden:
		p.Detail = s.cat.T(in.lang, "error.403.text")
	case http.StatusNotFound:
		p.Detail = s.cat.T(in.lang, "error.404.text")
	case http.StatusUnprocessableEntity:
		p.Detail = s.cat.T(in.lang, "error.422.text")
		p.Errors = fieldMessages(err, in.lang)
	case http.StatusTooManyRequests:
		p.Detail = s.cat.T(in.lang, "error.429.text")
	case http.StatusRequestEntityTooLarge:
		p.Detail = s.cat.T(in.lang, "error.413.text") + tooLargeLimit(err, in.lang)
	case http.StatusInternalServerError:
		p.Detail = s.cat.T(in.lang, "error.500.text", in.id)
	}
	if msg, ok := userText(err, in.lang); ok {
		p.Detail = msg
	}
	writeJSONType(w, status, "application/problem+json", p)
}

// tooLargeLimit names the limit a too-large request passed, so the user
// knows how far to shrink the file.
func tooLargeLimit(err error, lang string) string {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return ""
	}
	size := fmt.Sprintf("%d KiB", mb.Limit>>10)
	if mb.Limit >= 1<<20 {
		size = fmt.Sprintf("%d MiB", mb.Limit>>20)
	}
	if lang == langEN {
		return " The limit is " + size + "."
	}
	return " Batasnya " + size + "."
}

// toSignIn redirects a browser without a session to the sign-in page that
// suits the route, remembering where it was going.
func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request) {
	in := info(r)
	target := "/masuk"
	if in.perm == netra.PermSelf {
		target = "/masuk/pegawai"
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		target += "?kembali=" + url.QueryEscape(r.URL.RequestURI())
	}
	in.status = http.StatusSeeOther
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeReturn returns a local path to go back to after signing in, or "/":
// anything that could lead off-site ("//evil", "/\evil", "https:…") is refused.
func safeReturn(v string) string {
	if v == "" || !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.HasPrefix(v, "/\\") ||
		strings.ContainsAny(v, "\r\n") {
		return "/"
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return v
}

// isAPI reports whether the request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// notFound answers every URL no route matches: 405 with Allow when the path
// exists for other methods, 404 otherwise.
func (s *Server) notFound(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
			if m == r.Method {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pat := mux.Handler(probe); pat != "" && pat != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			sort.Strings(allow)
			w.Header().Set("Allow", strings.Join(allow, ", "))
			info(r).status = http.StatusMethodNotAllowed
			if isAPI(r) {
				writeJSONType(w, http.StatusMethodNotAllowed, "application/problem+json", problem{Type: "about:blank",
					Title: http.StatusText(http.StatusMethodNotAllowed), Status: http.StatusMethodNotAllowed,
					Instance: r.URL.Path, RequestID: info(r).id})
				return
			}
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		s.fail(w, r, errNotFound)
	}
}
