package main

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/netra-id/netra"
)

func cmdVersion(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "netra %s (%s, %s/%s)\n", netra.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
