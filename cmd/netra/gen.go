package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netra-id/netra/internal/synth"
)

func cmdGen(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		args = []string{"roster", "-h"} // the flags of the one thing gen makes
	}
	if len(args) == 0 || args[0] != "roster" {
		fmt.Fprintln(stderr, "Usage: netra gen roster --employees N --seed S [--governments 62.71,65.71] [--format netra|siasn] [--file csv|xlsx] [--sep ,|;|tab|pipe] [-o FILE]")
		return errUsage
	}
	fs := newFlags("gen roster", "gen roster --employees N --seed S [--governments CODES] [--format netra|siasn] [--file csv|xlsx] [--sep SEP] [-o FILE]", stderr)
	n := fs.Int("employees", 1000, "number of employees")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same file")
	govs := fs.String("governments", "", "comma-separated Kemendagri codes of the governments to cover (default: all 552)")
	format := fs.String("format", synth.ShapeNetra, "columns: netra (Netra's own, with unit codes) or siasn (the national SIASN data-utama export, units by name, ASN only); csv and xlsx are still read as netra in that file type")
	file := fs.String("file", "csv", "csv or xlsx (xlsx holds at most 1,048,575 rows)")
	sepName := fs.String("sep", ",", "CSV separator: , ; tab or | (SIASN downloads often use | or ;)")
	wrongBirth := fs.Int("wrong-birth", 0, "siasn: per mille of rows whose TANGGAL_LAHIR and JENIS_KELAMIN disagree with the NIP (to try the import's warnings)")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("--employees must be at least 1")
	}
	shape, kind := *format, *file
	switch shape {
	case "csv", "xlsx": // the flag's meaning before the SIASN shape
		shape, kind = synth.ShapeNetra, *format
	case synth.ShapeNetra, synth.ShapeSIASN:
	default:
		return fmt.Errorf("--format %q: use netra or siasn", *format)
	}
	if kind != "csv" && kind != "xlsx" {
		return fmt.Errorf("--file %q: use csv or xlsx", *file)
	}
	var sep rune
	switch *sepName {
	case ",", "comma":
		sep = ','
	case ";", "semicolon":
		sep = ';'
	case "tab", "\\t", "\t":
		sep = '\t'
	case "|", "pipe":
		sep = '|'
	default:
		return fmt.Errorf("--sep %q: use , ; tab or |", *sepName)
	}
	if sep != ',' && kind == "xlsx" {
		return fmt.Errorf("--sep applies to CSV files only")
	}
	if *wrongBirth != 0 && shape != synth.ShapeSIASN {
		return fmt.Errorf("--wrong-birth applies to --format siasn only")
	}
	var codes []string
	for _, c := range strings.Split(*govs, ",") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	w := stdout
	var f *os.File
	if *out != "-" {
		var err error
		if f, err = os.Create(*out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	stats, err := synth.Generate(bw, synth.GenOptions{Employees: *n, Seed: *seed, Governments: codes, Format: kind, Shape: shape,
		Sep: sep, WrongBirth: *wrongBirth})
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		// A failed or short write must not leave a truncated roster that
		// looks like a good one.
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*out)
		}
	}
	if err != nil {
		return err
	}
	if *out != "-" {
		fmt.Fprintf(stderr, "wrote %s: %+v\n", *out, stats)
	}
	return nil
}
