package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/store"
)

func cmdDemo(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "code" {
		if len(args) != 2 || !demo.IsAccount(args[1]) {
			fmt.Fprintln(stderr, "Usage: "+selfCommand()+" demo code USERNAME   (USERNAME is one of the demo accounts)")
			return errUsage
		}
		code, err := auth.TOTPCode(demo.TOTPSecret(args[1]), time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, code)
		return nil
	}
	fs := newFlags("demo", "demo [--data DIR] [--db URL] [--blobs URL]   |   demo code USERNAME", stderr)
	st := storageFlags(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr)
	s, err := st.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	return loadDemo(ctx, s, st, stdout, log, "")
}

// loadDemo loads the demo data and prints how to sign in.
func loadDemo(ctx context.Context, s *store.Store, st *storage, stdout io.Writer, log *slog.Logger, baseURL string) error {
	b, err := st.openBlobs()
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := demo.Load(ctx, s, &imports.Runner{Store: s, Blobs: b}, stdout)
	if err != nil {
		return err
	}
	if res.Created {
		log.Info("demo data loaded", "employees", res.Employees, "seconds", time.Since(start).Seconds())
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "Demo Netra — akun demo (kata sandi semua akun: "+demo.Password+")")
	for _, a := range demo.Accounts {
		fmt.Fprintf(stdout, "  %-26s %s\n", a.Username, a.What)
	}
	fmt.Fprintln(stdout, "  Kode TOTP (langkah kedua): "+selfCommand()+" demo code USERNAME")
	if res.EmployeeNIP != "" {
		fmt.Fprintf(stdout, "  Pegawai (masuk dengan NIP + kode e-mail): NIP %s — kode tampil di log server\n", res.EmployeeNIP)
	}
	if baseURL != "" {
		fmt.Fprintf(stdout, "\nBuka %s\n", baseURL)
	}
	return nil
}

// selfCommand is how the person reading the output runs this program again:
// "go run ./cmd/netra" when it was started with go run (or is a test), the
// bare name when it was found on the PATH, else the path it was started by.
func selfCommand() string {
	arg0 := os.Args[0]
	if strings.Contains(arg0, "go-build") || strings.HasSuffix(arg0, ".test") {
		return "go run ./cmd/netra"
	}
	return arg0
}
