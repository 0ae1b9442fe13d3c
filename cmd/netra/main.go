// Command netra runs Netra, the system Indonesian governments use to keep
// their civil servants politically neutral around elections, and the
// operator tools around it. Run "netra help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// A soft memory ceiling keeps a national import within its budget on a
	// small server: the collector works harder near it instead of letting the
	// heap double. GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(160 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "netra:", err)
		os.Exit(1)
	}
}

// errUsage means the command line was wrong; the message was printed.
var errUsage = errors.New("usage")

// env is how commands read the environment (os.Getenv in production, a map
// in tests).
type env func(string) string

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (with --demo: load the demo data first)", cmdServe},
		{"migrate", "bring the database schema up to date", cmdMigrate},
		{"demo", "load the demo data, or print a demo account's TOTP code (demo code USER)", cmdDemo},
		{"import", "import data: import employees --tenant CODE FILE", cmdImport},
		{"gen", "generate synthetic data: gen roster --employees N --seed S", cmdGen},
		{"user", "manage users: user add|role|password|disable|enable|reset-totp", cmdUser},
		{"audit", "the audit log: audit verify|checkpoint|redact", cmdAudit},
		{"pdf", "write sample documents: pdf sample -o DIR", cmdPDF},
		{"pledge", "neutrality pledges: pledge verify --bundle FILE --key FILE (offline)", cmdPledge},
		{"version", "print the version", cmdVersion},
	}
}

func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	isHelp := func(s string) bool { return s == "help" || s == "-h" || s == "--help" }
	if len(args) == 0 || isHelp(args[0]) {
		if len(args) > 1 && !isHelp(args[1]) { // "help help" would loop
			return run(ctx, []string{args[1], "-h"}, getenv, stdin, stdout, stderr)
		}
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], getenv, stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "netra: unknown command %q\n\n", args[0])
	usage(stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Netra keeps civil servants (ASN) politically neutral around elections.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: netra COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'netra COMMAND -h' for the flags of a command. Every flag that names a")
	fmt.Fprintln(w, "place (--data, --db, --blobs, --addr, --base-url, --smtp) takes its default")
	fmt.Fprintln(w, "from an environment variable: NETRA_DATA, NETRA_DB, NETRA_BLOBS, NETRA_ADDR,")
	fmt.Fprintln(w, "NETRA_BASE_URL, NETRA_SMTP.")
}

// newFlags returns a flag set that prints its usage to stderr and returns
// errors instead of exiting.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netra %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, mapping a bad command line to errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// parseArgs is parse for commands with positional arguments: flags may come
// before, between and after them ("import employees --tenant 62.71 FILE
// --errors out.csv"), as people type them; "--" ends the flags. It returns
// the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
