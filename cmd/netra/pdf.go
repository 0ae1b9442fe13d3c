package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/netra-id/netra/internal/pdf"
)

// cmdPDF is "netra pdf sample": it writes a sample certificate and a sample
// coverage report, so that people can look at what the documents look like
// without a database.
func cmdPDF(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sample" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			args = []string{"sample", "-h"}
		} else {
			fmt.Fprintln(stderr, "Usage: netra pdf sample [-o DIR] [--rows N]")
			return errUsage
		}
	}
	fs := newFlags("pdf sample", "pdf sample [-o DIR] [--rows N]", stderr)
	dir := fs.String("o", ".", "folder to write sample-certificate.pdf and sample-report.pdf into")
	rows := fs.Int("rows", 300, "rows of the sample report")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *rows < 0 {
		return fmt.Errorf("--rows must not be negative")
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	write := func(name string, fn func(io.Writer) error) error {
		path := filepath.Join(*dir, name)
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, path)
		return nil
	}
	if err := write("sample-certificate.pdf", func(w io.Writer) error {
		return pdf.WriteCertificate(w, pdf.SampleCertificate())
	}); err != nil {
		return err
	}
	return write("sample-report.pdf", func(w io.Writer) error {
		return pdf.WriteReport(w, pdf.SampleReport(*rows))
	})
}
