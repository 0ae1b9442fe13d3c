package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The interface languages: Indonesian is the default, English on request.
const (
	langID = "id"
	langEN = "en"
)

// langCookie remembers the language a visitor chose with the switch in the header.
const langCookie = "lang"

//go:embed i18n/*.json
var catalogFiles embed.FS

// catalog holds every user-interface string, by key, in each language. The
// Indonesian and English files must have the same keys (a test checks).
type catalog map[string]map[string]string

func loadCatalog() (catalog, error) {
	c := catalog{langID: {}, langEN: {}}
	// i18n/id.json and i18n/en.json hold the common strings; a feature may
	// keep its own in i18n/NAME.id.json and i18n/NAME.en.json. A key defined
	// twice is an error, so files never override one another silently.
	names, err := fs.Glob(catalogFiles, "i18n/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".json")
		lang := base[strings.LastIndexByte(base, '.')+1:]
		if c[lang] == nil {
			return nil, fmt.Errorf("web: catalog %s: unknown language %q", name, lang)
		}
		b, err := catalogFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("web: catalog %s: %w", name, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: catalog %s: %w", name, err)
		}
		for k, v := range m {
			if _, dup := c[lang][k]; dup {
				return nil, fmt.Errorf("web: catalog %s: key %q is defined twice", name, k)
			}
			c[lang][k] = v
		}
	}
	return c, nil
}

// T returns the string for key in lang, formatted with args (fmt verbs,
// indexed ones such as %[2]s where word order differs). An unknown key comes
// back as itself, so a missing translation shows rather than vanishes.
func (c catalog) T(lang, key string, args ...any) string {
	s, ok := c[lang][key]
	if !ok {
		if s, ok = c[langID][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// keys returns the sorted keys of one language, for tests.
func (c catalog) keys(lang string) []string {
	out := make([]string, 0, len(c[lang]))
	for k := range c[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// requestLang picks the language of a request: the lang cookie, then the
// Accept-Language header, then Indonesian.
func requestLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langID || c.Value == langEN) {
		return c.Value
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// acceptLanguage returns the supported language the header prefers most,
// or Indonesian. "in" is the old code for Indonesian, still sent by some phones.
func acceptLanguage(h string) string {
	best, bestQ := langID, -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		var lang string
		switch base {
		case "id", "in":
			lang = langID
		case "en":
			lang = langEN
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

// wib is Western Indonesia Time, in which dates and times are shown. The
// country has three zones and no daylight saving; a per-tenant zone is future work.
var wib = time.FixedZone("WIB", 7*3600)

var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// formatInt writes n with thousands separators: 1.500.000 in Indonesian,
// 1,500,000 in English.
func formatInt(lang string, n int64) string {
	sep := "."
	if lang == langEN {
		sep = ","
	}
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// formatDate writes a date as "23 November 2026" in the user's language.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	t = t.In(wib)
	month := t.Month().String()
	if lang != langEN {
		month = monthsID[t.Month()-1]
	}
	return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year())
}

// formatDateTime writes "23 November 2026 14.05 WIB" (14:05 in English).
func formatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	l := t.In(wib)
	sep := "."
	if lang == langEN {
		sep = ":"
	}
	return fmt.Sprintf("%s %02d%s%02d WIB", formatDate(lang, t), l.Hour(), sep, l.Minute())
}

// formatBirthDate writes a calendar date that carries no time of day (a
// birth date stored at UTC midnight) without shifting it into WIB.
func formatBirthDate(lang string, t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return formatDate(lang, time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, wib))
}
