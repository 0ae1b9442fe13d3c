package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCatalogSameKeys checks that Indonesian and English have the same keys
// and no empty strings.
func TestCatalogSameKeys(t *testing.T) {
	c, err := loadCatalog()
	must(t, err)
	id, en := c.keys(langID), c.keys(langEN)
	for _, k := range id {
		if _, ok := c[langEN][k]; !ok {
			t.Errorf("English lacks %q", k)
		}
		if strings.TrimSpace(c[langID][k]) == "" || strings.TrimSpace(c[langEN][k]) == "" {
			t.Errorf("%q is empty in a language", k)
		}
		if strings.Count(c[langID][k], "%") != strings.Count(c[langEN][k], "%") {
			t.Errorf("%q has different placeholders: %q / %q", k, c[langID][k], c[langEN][k])
		}
	}
	for _, k := range en {
		if _, ok := c[langID][k]; !ok {
			t.Errorf("Indonesian lacks %q", k)
		}
	}
}

var (
	templateKeyRe = regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	goKeyRe       = regexp.MustCompile(`(?:\.T\(|newPage\(r, |cat\.T\([a-z.]+, )"([a-z0-9_]+\.[a-z0-9_.]+)"`)
	flashKeyRe    = regexp.MustCompile(`(?m)(?:(?:redirect|showUser)\(w, r, .*, |flash = |flash := "[a-z._]+", |flash = "[a-z._]+", )"([a-z_]+)"\)?$`)
)

// TestCatalogHasEveryKeyUsed reads the templates and the Go files for the
// keys they look up, so that a typo shows here rather than as a raw key on
// a page.
func TestCatalogHasEveryKeyUsed(t *testing.T) {
	c, err := loadCatalog()
	must(t, err)
	used := map[string]string{}
	must(t, fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFiles.ReadFile(p)
		for _, m := range templateKeyRe.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = p
		}
		return err
	}))
	goFiles, err := filepath.Glob("*.go")
	must(t, err)
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		must(t, err)
		for _, m := range goKeyRe.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix completed at run time, listed below
				used[m[1]] = f
			}
		}
		for _, m := range flashKeyRe.FindAllStringSubmatch(string(b), -1) {
			used["flash."+m[1]] = f
		}
	}
	// Keys built at run time.
	for _, s := range []string{"queued", "running", "done", "failed"} {
		used["import.status."+s] = "import status"
	}
	for _, f := range []string{"name", "front_title", "back_title", "type", "golongan", "position_name", "position_type",
		"unit_id", "email", "phone", "status", "tenant_id"} {
		used["employee.field."+f] = "employee history"
	}
	for _, k := range []string{"nav.home", "nav.me", "nav.tenants", "nav.employees", "nav.import", "nav.transfers", "nav.users", "nav.audit", "nav.account"} {
		used[k] = "nav"
	}
	if len(used) < 300 {
		t.Fatalf("found only %d keys: the patterns no longer match the code", len(used))
	}
	flashes := 0
	for k := range used {
		if strings.HasPrefix(k, "flash.") {
			flashes++
		}
	}
	if flashes < 15 {
		t.Errorf("found only %d flash keys: the flash pattern no longer matches the code", flashes)
	}
	var missing []string
	for k, where := range used {
		if _, ok := c[langID][k]; !ok {
			missing = append(missing, k+" ("+where+")")
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("catalog lacks %s", m)
	}
}

func TestAcceptLanguage(t *testing.T) {
	for h, want := range map[string]string{
		"":                          langID,
		"en":                        langEN,
		"en-US,en;q=0.9":            langEN,
		"id-ID,id;q=0.9,en;q=0.8":   langID,
		"in":                        langID,
		"fr, en;q=0.5":              langEN,
		"en;q=0.2, id;q=0.8":        langID,
		"de, ja":                    langID,
		"en-GB;q=0.9, id-ID;q=0.95": langID,
	} {
		if got := acceptLanguage(h); got != want {
			t.Errorf("%q: %s, want %s", h, got, want)
		}
	}
}
