package main

import (
	"context"
	"fmt"
	"io"
)

func cmdMigrate(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "migrate [--data DIR] [--db URL]", stderr)
	st := storageFlags(fs, getenv)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := st.open(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	cur, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (latest %d) on %s\n", cur, latest, s.URL())
	return nil
}
