package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/netra-id/netra"
)

// maxSearch is the longest search text a list accepts, in bytes: longer is
// no name or NIP anyone types, and the query would be wasted work.
const maxSearch = 200

// newQuery reads a request's query parameters as a form, so that a list
// answers 422 naming every bad parameter at once instead of ignoring it
// (?limit=abc) or failing deep in the store (a 60,000-character q).
func newQuery(r *http.Request) *form { return &form{values: r.URL.Query()} }

// intIn returns name as an integer in [lo, hi], def when absent; anything
// else is a field error.
func (f *form) intIn(name string, def, lo, hi int) int {
	v := f.trim(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		f.invalid(name, netra.Msg(fmt.Sprintf("Parameter %s harus bilangan bulat %d sampai %d.", name, lo, hi),
			fmt.Sprintf("Parameter %s must be a whole number from %d to %d.", name, lo, hi)))
		return def
	}
	return n
}

// idParam returns name as a positive id, 0 when absent; unlike id (a select
// the page offered) a malformed value is a field error.
func (f *form) idParam(name string) int64 {
	v := f.trim(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		f.invalid(name, netra.Msg("Parameter "+name+" harus nomor id (bilangan bulat positif).",
			"Parameter "+name+" must be an id (a positive whole number)."))
		return 0
	}
	return id
}

// text returns name trimmed, checked like every text that comes in, at
// most max bytes; bad text is a field error.
func (f *form) text(name string, max int) string {
	v := strings.TrimSpace(f.get(name))
	if m := netra.CheckText(v, max, false); m != nil {
		f.invalid(name, *m)
		return ""
	}
	return v
}
