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
		fmt.Fprintln(stderr, "Usage: netra gen roster --employees N --seed S [--governments 62.71,65.71] [--format csv|xlsx] [-o FILE]")
		return errUsage
	}
	fs := newFlags("gen roster", "gen roster --employees N --seed S [--governments CODES] [--format csv|xlsx] [-o FILE]", stderr)
	n := fs.Int("employees", 1000, "number of employees")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same file")
	govs := fs.String("governments", "", "comma-separated Kemendagri codes of the governments to cover (default: all 552)")
	format := fs.String("format", "csv", "csv or xlsx (xlsx holds at most 1,048,575 rows)")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("--employees must be at least 1")
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
	stats, err := synth.Generate(bw, synth.GenOptions{Employees: *n, Seed: *seed, Governments: codes, Format: *format})
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
