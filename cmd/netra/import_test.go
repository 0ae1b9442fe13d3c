package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/netra-id/netra"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/roster"
)

// smallRoster returns a roster of four employees of Kota Palangka Raya
// whose second row (line 3) has a NIP of five digits, and the good NIPs.
func smallRoster(t *testing.T) (file []byte, good []string) {
	t.Helper()
	out, _ := mustRun(t, "gen", "roster", "--employees", "4", "--seed", "11", "--governments", "62.71")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 {
		t.Fatalf("gen roster wrote %d records, want a header and 4 rows", len(recs))
	}
	nip := slices.Index(recs[0], "NIP")
	if nip < 0 {
		t.Fatalf("no NIP column in %v", recs[0])
	}
	for i, r := range recs[1:] {
		if i == 1 {
			r[nip] = "12345"
		} else {
			good = append(good, r[nip])
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(recs)
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), good
}

// cleanRows returns the roster without its line 3.
func cleanRows(file []byte) []byte {
	lines := strings.SplitAfter(string(file), "\n")
	return []byte(strings.Join(slices.Delete(lines, 2, 3), ""))
}

// problemsOf returns what the roster parser finds wrong in a file, by line.
func problemsOf(t *testing.T, file []byte) []roster.RowError {
	t.Helper()
	rd, err := roster.NewReader(bytes.NewReader(file), "pegawai.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var out []roster.RowError
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		_, ps := roster.ParseRow(row, time.Now())
		out = append(out, ps...)
	}
}

// files lists the files under dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

func TestImportEmployees(t *testing.T) {
	file, good := smallRoster(t)
	problems := problemsOf(t, file)
	if len(problems) == 0 || problems[0].Line != 3 {
		t.Fatalf("the broken roster has problems %v, want some on line 3", problems)
	}
	for name, p := range places(t) {
		t.Run(name, func(t *testing.T) {
			mustRun(t, p.args("demo")...)
			s := p.open(t)
			city, err := s.TenantByCode(sys, "62.71")
			if err != nil {
				t.Fatal(err)
			}
			imports := func() int {
				t.Helper()
				ims, err := s.Imports(sys, city.ID)
				if err != nil {
					t.Fatal(err)
				}
				return len(ims)
			}
			employees := func(search string) int {
				t.Helper()
				page, err := s.Employees(sys, netra.EmployeeFilter{TenantID: city.ID, Search: search, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				return page.Total
			}
			before, staff := imports(), employees("")
			dir := t.TempDir()
			path := filepath.Join(dir, "pegawai.csv")
			if err := os.WriteFile(path, file, 0o600); err != nil {
				t.Fatal(err)
			}
			report := filepath.Join(dir, "ditolak.csv")

			out, _ := mustRun(t, p.args("import", "employees", "--tenant", "62.71", path, "--errors", report)...)
			counts := regexp.MustCompile(`(?m)^import \d+ into 62\.71 \(Kota Palangka Raya\): 4 rows read, 3 inserted, 0 updated, 0 unchanged, 1 rejected in `)
			if !counts.MatchString(out) {
				t.Errorf("first import printed:\n%s\nwant %s", out, counts)
			}
			for _, pr := range problems {
				line := fmt.Sprintf("line %d, %s %q: %s\n", pr.Line, pr.Column, pr.Value, pr.Reason.ID)
				if !strings.Contains(out, line) {
					t.Errorf("the output lacks %q:\n%s", line, out)
				}
				if pr.Reason.EN != pr.Reason.ID && strings.Contains(out, pr.Reason.EN) {
					t.Errorf("the output has the English reason %q", pr.Reason.EN)
				}
			}
			if !strings.Contains(out, "rejected rows written to "+report) {
				t.Errorf("the output does not name the report:\n%s", out)
			}
			b, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			text := string(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))
			lines := strings.Split(strings.TrimSpace(text), "\n")
			if len(lines) != 1+len(problems) || !strings.Contains(lines[0], "BARIS") || !strings.Contains(lines[0], "ALASAN") {
				t.Errorf("the report has %d lines, want a header and %d:\n%s", len(lines), len(problems), text)
			}
			for i, pr := range problems {
				if i+1 >= len(lines) {
					break
				}
				l := lines[i+1]
				if !strings.HasPrefix(l, fmt.Sprint(pr.Line)) || !strings.Contains(l, pr.Value) || !strings.Contains(l, pr.Reason.ID) {
					t.Errorf("report line %q, want line %d, %q, %q", l, pr.Line, pr.Value, pr.Reason.ID)
				}
			}
			if n := imports(); n != before+1 {
				t.Errorf("%d imports, want %d", n, before+1)
			}
			for _, nip := range good {
				if n := employees(nip); n != 1 {
					t.Errorf("%d employees with NIP %s, want 1", n, nip)
				}
			}
			if n := employees(""); n != staff+3 {
				t.Errorf("%d employees after the import, want %d", n, staff+3)
			}

			// The same file again changes nothing; --lang en reports in English.
			out, _ = mustRun(t, p.args("import", "employees", "--tenant", "62.71", "--lang", "en", path)...)
			again := regexp.MustCompile(`(?m)^import \d+ into 62\.71 \(Kota Palangka Raya\): 4 rows read, 0 inserted, 0 updated, 3 unchanged, 1 rejected in `)
			if !again.MatchString(out) {
				t.Errorf("second import printed:\n%s\nwant %s", out, again)
			}
			if !strings.Contains(out, problems[0].Reason.EN) {
				t.Errorf("--lang en: the output lacks %q:\n%s", problems[0].Reason.EN, out)
			}
			if n := employees(""); n != staff+3 {
				t.Errorf("%d employees after the second import, want %d", n, staff+3)
			}

			// A clean file empties a report an earlier run left behind.
			clean := filepath.Join(dir, "bersih.csv")
			if err := os.WriteFile(clean, cleanRows(file), 0o600); err != nil {
				t.Fatal(err)
			}
			out, _ = mustRun(t, p.args("import", "employees", "--tenant", "62.71", clean, "--errors", report)...)
			if !strings.Contains(out, "3 unchanged, 0 rejected") {
				t.Errorf("importing the good rows printed:\n%s", out)
			}
			if b, err := os.ReadFile(report); err != nil || strings.Count(strings.TrimSpace(string(b)), "\n") != 0 {
				t.Errorf("after a clean import the report holds %q (%v), want only its header", b, err)
			}

			// A file that is not a roster is refused whole, with one message
			// in Indonesian, and leaves nothing behind.
			blobs := files(t, filepath.Join(p.data, "blobs"))
			binary := filepath.Join(dir, "foto.csv")
			junk := append([]byte("NIP,NAMA\n\x00\x01\x02\x03"), bytes.Repeat([]byte{0xff, 0}, 512)...)
			if err := os.WriteFile(binary, junk, 0o600); err != nil {
				t.Fatal(err)
			}
			_, want := roster.NewReader(bytes.NewReader(junk), "foto.csv")
			var fe *roster.FileError
			if !errors.As(want, &fe) {
				t.Fatalf("the roster reader took binary data: %v", want)
			}
			out, _, err = cmdline{}.run(t, p.args("import", "employees", "--tenant", "62.71", binary, "--errors", filepath.Join(dir, "binary-errors.csv"))...)
			if err == nil || err.Error() != fe.Msg.ID {
				t.Errorf("importing binary data: err = %v, want %q", err, fe.Msg.ID)
			}
			if out != "" {
				t.Errorf("importing binary data printed %q", out)
			}
			if n := imports(); n != before+3 {
				t.Errorf("%d imports after a refused file, want %d", n, before+3)
			}
			if after := files(t, filepath.Join(p.data, "blobs")); !slices.Equal(after, blobs) {
				t.Errorf("a refused file changed the blobs from %v to %v", blobs, after)
			}
			if _, err := os.Stat(filepath.Join(dir, "binary-errors.csv")); !os.IsNotExist(err) {
				t.Errorf("a refused file wrote an error report (%v)", err)
			}

			for _, args := range [][]string{
				{"import", "employees", "--tenant", "99.99", path},
				{"import", "employees", "--tenant", "62.71", filepath.Join(dir, "missing.csv")},
			} {
				if _, _, err := (cmdline{}).run(t, p.args(args...)...); err == nil || errors.Is(err, errUsage) {
					t.Errorf("netra %s: err = %v, want an error", strings.Join(args, " "), err)
				}
			}
			if n := imports(); n != before+3 {
				t.Errorf("%d imports after failed commands, want %d", n, before+3)
			}
		})
	}
}
