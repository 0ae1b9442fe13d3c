// Package pdftest reads PDFs in tests the way an outsider would, with the
// Debian tools: pdftotext and pdfinfo (poppler-utils) for the text and the
// pages, pdftoppm to render a page and zbarimg (zbar-tools) to decode the QR
// codes on it. Without the tools a test is skipped, and fails under CI=true
// (install them with apt-get install poppler-utils zbar-tools).
package pdftest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// packages names the Debian package of each tool.
var packages = map[string]string{
	"pdftotext": "poppler-utils", "pdfinfo": "poppler-utils", "pdftoppm": "poppler-utils",
	"pdffonts": "poppler-utils", "pdfdetach": "poppler-utils", "zbarimg": "zbar-tools",
}

// Need skips t when one of the tools is missing, or fails it under CI=true.
func Need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " is not installed (apt-get install -y " + packages[tool] + ")"
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true but %s", msg)
			}
			t.Skip(msg)
		}
	}
}

// file writes pdf to a temporary file and returns its path.
func file(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// run runs a tool and returns its standard output; the test fails when the
// tool fails or reports a syntax error in the file.
func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	Need(t, name)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil && !(name == "zbarimg" && cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == 4) {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	if name != "zbarimg" && strings.Contains(stderr.String(), "Error") {
		t.Fatalf("%s %s reports: %s", name, strings.Join(args, " "), stderr.String())
	}
	return stdout.Bytes()
}

// Text returns the text pdftotext extracts from pdf; args go before the
// file name ("-layout", "-f", "2", "-l", "2").
func Text(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	return string(run(t, "pdftotext", append(append(args, "-enc", "UTF-8"), file(t, pdf), "-")...))
}

// PageText returns the text of page n (from 1), laid out as on the page
// (pdftotext -layout), so that a table row reads as one line.
func PageText(t testing.TB, pdf []byte, n int) string {
	t.Helper()
	p := strconv.Itoa(n)
	return Text(t, pdf, "-layout", "-f", p, "-l", p)
}

// Info returns the fields pdfinfo prints ("Pages", "Page size", "Title"…).
func Info(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range strings.Split(string(run(t, "pdfinfo", file(t, pdf))), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

// Pages returns the number of pages of pdf.
func Pages(t testing.TB, pdf []byte) int {
	t.Helper()
	n, err := strconv.Atoi(Info(t, pdf)["Pages"])
	if err != nil {
		t.Fatalf("pdfinfo gives no page count: %v", err)
	}
	return n
}

// Render returns page n of pdf as a PNG at dpi dots per inch.
func Render(t testing.TB, pdf []byte, n, dpi int) []byte {
	t.Helper()
	dir := t.TempDir()
	p := strconv.Itoa(n)
	run(t, "pdftoppm", "-png", "-r", strconv.Itoa(dpi), "-f", p, "-l", p, "-singlefile", file(t, pdf), filepath.Join(dir, "page"))
	png, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	return png
}

// QR returns what the QR codes on page n of pdf hold, rendered at 150 dpi
// as a phone camera would see a print; none is an empty list.
func QR(t testing.TB, pdf []byte, n int) []string {
	t.Helper()
	Need(t, "pdftoppm", "zbarimg")
	path := filepath.Join(t.TempDir(), "page.png")
	if err := os.WriteFile(path, Render(t, pdf, n, 150), 0o600); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(run(t, "zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", path)), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

var fontLine = regexp.MustCompile(`(?m)^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$`)

// Font is one font of a PDF as pdffonts lists it.
type Font struct {
	Name, Type, Encoding           string
	Embedded, Subset, ToUnicodeMap bool
}

// Fonts lists the fonts of pdf.
func Fonts(t testing.TB, pdf []byte) []Font {
	t.Helper()
	var out []Font
	for _, m := range fontLine.FindAllStringSubmatch(string(run(t, "pdffonts", file(t, pdf))), -1) {
		out = append(out, Font{m[1], m[2], m[3], m[4] == "yes", m[5] == "yes", m[6] == "yes"})
	}
	return out
}

// Attachments returns the files embedded in pdf, by name, as pdfdetach
// extracts them.
func Attachments(t testing.TB, pdf []byte) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	run(t, "pdfdetach", "-saveall", "-o", dir, file(t, pdf))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// Words collapses every run of white space in s to one space, so that text
// can be compared whatever the line breaks.
func Words(s string) string { return strings.Join(strings.Fields(s), " ") }
