package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// maxSearch is the longest search text a list accepts, in bytes: longer is
// no name or NIP anyone types, and the query would be wasted work.
const maxSearch = 200

// query reads a request's query parameters, collecting every bad one so a
// page or the API answers 422 naming them all at once instead of ignoring
// them (?limit=abc) or failing deep in the store (a 60,000-character q).
type query struct {
	v   url.Values
	bad netra.ValidationError
}

func newQuery(r *http.Request) *query { return &query{v: r.URL.Query()} }

// Get returns the raw value of name.
func (q *query) Get(name string) string { return q.v.Get(name) }

// Int returns name as an integer in [lo, hi], def when absent.
func (q *query) Int(name string, def, lo, hi int) int {
	v := strings.TrimSpace(q.v.Get(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		q.bad.Add(name, netra.Msg(fmt.Sprintf("Parameter %s harus bilangan bulat %d sampai %d.", name, lo, hi),
			fmt.Sprintf("Parameter %s must be a whole number from %d to %d.", name, lo, hi)))
		return def
	}
	return n
}

// ID returns name as a positive id, 0 when absent.
func (q *query) ID(name string) int64 {
	v := strings.TrimSpace(q.v.Get(name))
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		q.bad.Add(name, netra.Msg("Parameter "+name+" harus nomor id (bilangan bulat positif).",
			"Parameter "+name+" must be an id (a positive whole number)."))
		return 0
	}
	return id
}

// Text returns name trimmed, checked like every text that comes in, at
// most max bytes.
func (q *query) Text(name string, max int) string {
	v := strings.TrimSpace(q.v.Get(name))
	if m := netra.CheckText(v, max, false); m != nil {
		q.bad.Add(name, *m)
		return ""
	}
	return v
}

// Err returns the bad parameters as a validation error (422), or nil.
func (q *query) Err() error { return q.bad.Err() }
