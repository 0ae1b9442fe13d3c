package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netra-id/netra"
)

// TestImportDryRun prints the preview of a roster, per government, and
// writes no employee; the real run afterwards does what the preview said.
func TestImportDryRun(t *testing.T) {
	file, _ := smallRoster(t)
	for name, p := range places(t) {
		t.Run(name, func(t *testing.T) {
			mustRun(t, p.args("demo")...)
			s := p.open(t)
			city, err := s.TenantByCode(sys, "62.71")
			if err != nil {
				t.Fatal(err)
			}
			staff := func() int {
				t.Helper()
				page, err := s.Employees(sys, netra.EmployeeFilter{TenantID: city.ID, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				return page.Total
			}
			before := staff()
			path := filepath.Join(t.TempDir(), "pegawai.csv")
			if err := os.WriteFile(path, file, 0o600); err != nil {
				t.Fatal(err)
			}
			out, _ := mustRun(t, p.args("import", "employees", "--tenant", "62.71", "--dry-run", path)...)
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`(?m)^dry run \d+ into 62\.71 \(Kota Palangka Raya\): 4 rows read; would insert 3, update 0, leave 0 unchanged, reject 1, hold 0 as pending transfers; nothing written`),
				regexp.MustCompile(`(?m)^  62\.71 \(Kota Palangka Raya\): 3 to insert, 0 to update, 0 unchanged, 1 rejected, 0 pending$`),
				regexp.MustCompile(`(?m)^line 3, NIP "12345": `),
			} {
				if !want.MatchString(out) {
					t.Errorf("--dry-run printed:\n%s\nwant %s", out, want)
				}
			}
			if n := staff(); n != before {
				t.Fatalf("--dry-run wrote employees: %d → %d", before, n)
			}
			ims, err := s.Imports(sys, city.ID)
			if err != nil || len(ims) == 0 || ims[0].Status != netra.ImportCancelled {
				t.Fatalf("the dry run's import: %+v %v", ims, err)
			}
			if blobs := files(t, filepath.Join(p.data, "blobs", "imports")); len(blobs) != 0 {
				t.Errorf("the dry run left its upload: %v", blobs)
			}
			out, _ = mustRun(t, p.args("import", "employees", "--tenant", "62.71", path)...)
			if !strings.Contains(out, "4 rows read, 3 inserted, 0 updated, 0 unchanged, 1 rejected in ") {
				t.Errorf("the real run printed:\n%s", out)
			}
			if n := staff(); n != before+3 {
				t.Errorf("%d employees after the real run, want %d", n, before+3)
			}
		})
	}
}
