package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/synth"
)

func TestGenRoster(t *testing.T) {
	args := []string{"gen", "roster", "--employees", "500", "--seed", "7"}
	first, _ := mustRun(t, args...)
	second, _ := mustRun(t, args...)
	if first != second {
		t.Fatal("the same seed gave different rosters")
	}
	other, _ := mustRun(t, "gen", "roster", "--employees", "500", "--seed", "8")
	if other == first {
		t.Error("seeds 7 and 8 gave the same roster")
	}

	file := filepath.Join(t.TempDir(), "roster.csv")
	out, errOut := mustRun(t, append(args, "-o", file)...)
	if out != "" {
		t.Errorf("with -o, stdout got %d bytes", len(out))
	}
	if !strings.Contains(errOut, "wrote "+file) {
		t.Errorf("stderr does not say what was written:\n%s", errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != first {
		t.Error("-o FILE differs from standard output")
	}

	if n := parseRoster(t, first); n != 500 {
		t.Errorf("%d rows, want 500", n)
	}
}

// parseRoster reads a roster with the import's own reader and parser, fails
// the test for any row the import would refuse, and returns the row count.
func parseRoster(t *testing.T, csv string) int {
	t.Helper()
	rd, err := roster.NewReader(strings.NewReader(csv), "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	n := 0
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return n
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		if _, problems := roster.ParseRow(row, synth.DefaultNow()); len(problems) > 0 {
			t.Errorf("line %d: %v", row.Line, problems)
		}
	}
}

// TestGenRosterSIASN: --format siasn writes the SIASN header and values
// with the separator asked for, the same every time; the default stays
// Netra's own columns, and --format csv/xlsx keep their old meaning.
func TestGenRosterSIASN(t *testing.T) {
	args := []string{"gen", "roster", "--employees", "300", "--seed", "3", "--governments", "62.71", "--format", "siasn", "--sep", "pipe"}
	out, _ := mustRun(t, args...)
	if again, _ := mustRun(t, args...); again != out {
		t.Fatal("the same seed gave different SIASN rosters")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 301 || lines[0] != strings.Join(synth.SIASNColumns, "|") {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	if !strings.HasPrefix(lines[0], "PNS_ID|NIP_BARU|NIP_LAMA|NAMA|") || !strings.HasSuffix(lines[0], "|UNOR_NAMA|UNOR_INDUK_NAMA|INSTANSI_KERJA_NAMA|SATUAN_KERJA_KERJA_NAMA") {
		t.Errorf("header %q", lines[0])
	}
	for _, want := range []string{"|PNS DAERAH KAB/KOTA|Aktif|P|", "|Pemerintah Kota Palangka Raya|", "|PPPK Penuh Waktu|", "|Struktural|", "|DINAS KESEHATAN KOTA PALANGKA RAYA|"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the SIASN roster", want)
		}
	}
	semi, _ := mustRun(t, "gen", "roster", "--employees", "300", "--seed", "3", "--governments", "62.71", "--format", "siasn", "--sep", ";")
	if semi == out || strings.ReplaceAll(semi, ";", "|") != out {
		t.Error("--sep ; should change only the separator (no field here contains one)")
	}
	netraOut, _ := mustRun(t, "gen", "roster", "--employees", "300", "--seed", "3", "--governments", "62.71")
	if oldFlag, _ := mustRun(t, "gen", "roster", "--employees", "300", "--seed", "3", "--governments", "62.71", "--format", "csv"); oldFlag != netraOut {
		t.Error("--format csv no longer means the netra columns in CSV")
	}
	if n := parseRoster(t, netraOut); n != 300 {
		t.Errorf("default format: %d rows", n)
	}
}

func TestGenRosterRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"gen", "roster", "--employees", "0"},
		{"gen", "roster", "--employees", "5", "--format", "pdf", "-o", filepath.Join(dir, "bad-format.csv")},
		{"gen", "roster", "--employees", "5", "--governments", "99.99", "-o", filepath.Join(dir, "bad-code.csv")},
		{"gen", "roster", "--employees", "5", "-o", filepath.Join(dir, "no", "such", "folder.csv")},
		{"gen", "roster", "--employees", "5", "--format", "siasn", "--sep", ":", "-o", filepath.Join(dir, "bad-sep.csv")},
		{"gen", "roster", "--employees", "5", "--format", "siasn", "--file", "ods", "-o", filepath.Join(dir, "bad-file.csv")},
		{"gen", "roster", "--employees", "5", "--format", "siasn", "--file", "xlsx", "--sep", "|", "-o", filepath.Join(dir, "sep-xlsx.xlsx")},
		{"gen", "roster", "--employees", "5", "--wrong-birth", "5", "-o", filepath.Join(dir, "wrong-netra.csv")},
	} {
		if _, _, err := (cmdline{}).run(t, args...); err == nil || errors.Is(err, errUsage) {
			t.Errorf("netra %s: err = %v, want an error that says what is wrong", strings.Join(args, " "), err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("failed runs left %v behind", left)
	}
}
