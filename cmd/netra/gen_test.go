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

func TestGenRosterRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"gen", "roster", "--employees", "0"},
		{"gen", "roster", "--employees", "5", "--format", "pdf", "-o", filepath.Join(dir, "bad-format.csv")},
		{"gen", "roster", "--employees", "5", "--governments", "99.99", "-o", filepath.Join(dir, "bad-code.csv")},
		{"gen", "roster", "--employees", "5", "-o", filepath.Join(dir, "no", "such", "folder.csv")},
	} {
		if _, _, err := (cmdline{}).run(t, args...); err == nil || errors.Is(err, errUsage) {
			t.Errorf("netra %s: err = %v, want an error that says what is wrong", strings.Join(args, " "), err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("failed runs left %v behind", left)
	}
}
