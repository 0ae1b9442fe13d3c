package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netra-id/netra/internal/pdf"
)

// "netra pdf sample" writes a certificate and a report that are PDFs.
func TestPDFSample(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	out, _ := mustRun(t, "pdf", "sample", "-o", dir, "--rows", "50")
	for _, name := range []string{"sample-certificate.pdf", "sample-report.pdf"} {
		path := filepath.Join(dir, name)
		if !strings.Contains(out, path) {
			t.Errorf("the output does not name %s:\n%s", path, out)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := pdf.Sniff(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f.Close()
	}
	for _, args := range [][]string{{"pdf"}, {"pdf", "other"}, {"pdf", "sample", "--rows", "-1"}} {
		if _, _, err := (cmdline{}).run(t, args...); err == nil {
			t.Errorf("netra %s succeeded", strings.Join(args, " "))
		}
	}
}
