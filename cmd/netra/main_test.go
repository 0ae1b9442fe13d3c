package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/netra-id/netra"
)

// cmdline is one command run in-process: its environment and standard input.
type cmdline struct {
	env   map[string]string // NETRA_* variables; the test process's own are never seen
	stdin string
}

// run runs netra with args and returns what it printed.
func (c cmdline) run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return c.env[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(c.stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// must runs netra with args and fails the test when it returns an error.
func (c cmdline) must(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, err := c.run(t, args...)
	if err != nil {
		t.Fatalf("netra %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout, stderr
}

// mustRun runs netra with args, an empty environment and no input.
func mustRun(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	return cmdline{}.must(t, args...)
}

func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--help"}, {"help", "help"}, {"-h", "--help"}} {
		out, _ := mustRun(t, args...)
		for _, c := range commands() {
			if !strings.Contains(out, "  "+c.name+" ") {
				t.Errorf("netra %s: usage does not list %q:\n%s", strings.Join(args, " "), c.name, out)
			}
		}
	}
}

// TestCommandHelp checks that "netra COMMAND -h" and "netra help COMMAND"
// exit cleanly (main exits 0 on flag.ErrHelp) and name the command's flags.
func TestCommandHelp(t *testing.T) {
	// Flags are written with their dash, words of the synopsis without.
	storage := []string{"-data", "-db", "-blobs"}
	flags := map[string][]string{
		"serve":   append([]string{"-addr", "-base-url", "-smtp", "-demo"}, storage...),
		"migrate": storage,
		"demo":    append([]string{"demo code"}, storage...),
		"import":  append([]string{"employees", "-tenant", "-errors", "-lang", "FILE"}, storage...),
		"gen":     {"roster", "-employees", "-seed", "-governments", "-format", "-o"},
		"user":    {"-username", "-name", "-email", "-role", "-tenant", "-unit", "-revoke", "-password-stdin", "-data", "-db"},
		"audit":   append([]string{"verify"}, storage...),
		"pdf":     {"sample", "-o", "-rows"},
		"pledge":  {"verify", "-bundle", "-key", "-checkpoint"},
		"version": nil,
	}
	if len(flags) != len(commands()) {
		t.Errorf("the table covers %d commands, netra has %d", len(flags), len(commands()))
	}
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}} {
			t.Run(strings.Join(args, "_"), func(t *testing.T) {
				out, errOut, err := cmdline{}.run(t, args...)
				if err != nil && !errors.Is(err, flag.ErrHelp) {
					t.Fatalf("netra %s: %v (want a clean exit)", strings.Join(args, " "), err)
				}
				text := out + errOut
				if !strings.Contains(text, "Usage: netra "+c.name) && !strings.Contains(text, "netra "+c.name+" ") {
					t.Errorf("no usage line for %s:\n%s", c.name, text)
				}
				for _, f := range flags[c.name] {
					if !strings.Contains(text, f) {
						t.Errorf("help of %s does not mention %s:\n%s", c.name, f, text)
					}
				}
			})
		}
	}
}

func TestBadCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"help", "frobnicate"},
		{"migrate", "--no-such-flag"},
		{"gen"},
		{"gen", "people"},
		{"import"},
		{"import", "employees", "--tenant", "62.71"}, // no file
		{"import", "employees", "some.csv"},          // no tenant
		{"import", "employees", "--tenant", "62.71", "a.csv", "b.csv"},
		{"user"},
		{"user", "promote", "--username", "x"},
		{"user", "disable"}, // no username
		{"audit"},
		{"demo", "code", "nobody"},
	} {
		out, errOut, err := cmdline{}.run(t, args...)
		if !errors.Is(err, errUsage) {
			t.Errorf("netra %s: err = %v, want errUsage", strings.Join(args, " "), err)
		}
		if errOut == "" {
			t.Errorf("netra %s: nothing on stderr says what is wrong", strings.Join(args, " "))
		}
		if out != "" {
			t.Errorf("netra %s: printed to stdout on a usage error:\n%s", strings.Join(args, " "), out)
		}
	}
	_, errOut, _ := cmdline{}.run(t, "frobnicate")
	if !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("stderr does not name the unknown command:\n%s", errOut)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args     []string
		pos      []string
		tenant   string
		errorsTo string
	}{
		{[]string{"--tenant", "62.71", "f.csv"}, []string{"f.csv"}, "62.71", ""},
		{[]string{"--tenant", "62.71", "f.csv", "--errors", "e.csv"}, []string{"f.csv"}, "62.71", "e.csv"},
		{[]string{"f.csv", "--tenant=62.71", "g.csv", "-errors", "e.csv"}, []string{"f.csv", "g.csv"}, "62.71", "e.csv"},
		{[]string{"--tenant", "62.71", "--", "--errors", "-"}, []string{"--errors", "-"}, "62.71", ""},
		{[]string{"-", "--tenant", "00"}, []string{"-"}, "00", ""},
		{nil, nil, "", ""},
	}
	for _, tt := range tests {
		fs := newFlags("test", "test", io.Discard)
		tenant := fs.String("tenant", "", "")
		errorsTo := fs.String("errors", "", "")
		pos, err := parseArgs(fs, tt.args)
		if err != nil {
			t.Errorf("parseArgs(%q): %v", tt.args, err)
			continue
		}
		if !slices.Equal(pos, tt.pos) || *tenant != tt.tenant || *errorsTo != tt.errorsTo {
			t.Errorf("parseArgs(%q) = %q, --tenant %q, --errors %q; want %q, %q, %q",
				tt.args, pos, *tenant, *errorsTo, tt.pos, tt.tenant, tt.errorsTo)
		}
	}
	fs := newFlags("test", "test", io.Discard)
	if _, err := parseArgs(fs, []string{"f.csv", "--nope"}); !errors.Is(err, errUsage) {
		t.Errorf("an unknown flag after an argument: %v, want errUsage", err)
	}
}

func TestVersion(t *testing.T) {
	out, _ := mustRun(t, "version")
	if !strings.HasPrefix(out, "netra "+netra.Version+" ") {
		t.Errorf("version printed %q, want it to start with %q", out, "netra "+netra.Version)
	}
}
