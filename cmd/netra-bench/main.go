// Command netra-bench measures Netra against bare baselines measured in the
// same run. It is not part of the tests.
//
//	go run ./cmd/netra-bench import -n 5600000 -engine sqlite
//	go run ./cmd/netra-bench import -n 5600000 -engine postgres   # PG* environment or -db URL
//	go run ./cmd/netra-bench import -n 5600000 -format siasn -sep '|'  # the SIASN export's shape
//	go run ./cmd/netra-bench list -db sqlite:DIR/netra.db          # after import -keep -dir DIR
//	go run ./cmd/netra-bench sign -n 20000 -engine sqlite|postgres   # a signing storm over HTTP
//
// Each measured phase runs in a child process of its own, so that the peak
// memory reported is that phase's alone.
package main

import (
	"context"
	"encoding/json"
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
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "netra-bench:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "Usage: netra-bench import -n N -engine sqlite|postgres [-format netra|siasn] [-sep SEP] [-db URL] [-seed S] [-dir DIR] [-keep]\n       netra-bench list -db URL   (on a database kept by import -keep)\n       netra-bench sign -n N -engine sqlite|postgres [-c MAXCONC] [-db URL] [-dir DIR]")
		return flag.ErrHelp
	}
	switch args[0] {
	case "import":
		return benchImport(ctx, args[1:], stdout, stderr)
	case "list":
		return benchList(ctx, args[1:], stdout, stderr)
	case "sign":
		return benchSign(ctx, args[1:], stdout, stderr)
	case "_signserve":
		return signServe(ctx, args[1:], os.Stdin, stdout)
	case "_signbare":
		return signBare(ctx, args[1:], os.Stdin, stdout)
	case "_phase":
		res, err := phase(ctx, args[1:], stderr)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(res)
	}
	return fmt.Errorf("unknown benchmark %q (want import, list or sign)", args[0])
}
