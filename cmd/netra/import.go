package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/roster"
)

func cmdImport(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	const syn = "import employees --tenant CODE [--dry-run] [--errors OUT.csv] [--data DIR] [--db URL] FILE"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		args = []string{"employees", "-h"} // the flags of the one thing import reads
	}
	if len(args) == 0 || args[0] != "employees" {
		fmt.Fprintln(stderr, "Usage: netra "+syn)
		return errUsage
	}
	fs := newFlags("import employees", syn, stderr)
	st := storageFlags(fs, getenv)
	tenant := fs.String("tenant", "", "Kemendagri code of the government the roster belongs to (62.71; 00 for a national roster with a KODE_INSTANSI column)")
	errOut := fs.String("errors", "", "write the rejected rows to this CSV file")
	lang := fs.String("lang", "id", "language of the messages: id or en")
	dry := fs.Bool("dry-run", false, "only print what the import would do, per government; write no employee")
	files, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if *tenant == "" || len(files) != 1 {
		fs.Usage()
		return errUsage
	}
	path := files[0]
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := st.open(ctx, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	b, err := st.openBlobs()
	if err != nil {
		return err
	}
	ctx = netra.WithActor(ctx, netra.System("cli"))
	t, err := s.TenantByCode(ctx, *tenant)
	if err != nil {
		return fmt.Errorf("tenant %s: %w", *tenant, err)
	}
	start := time.Now()
	r := &imports.Runner{Store: s, Blobs: b}
	run := r.ImportFile
	if *dry {
		run = r.PreviewFile
	}
	im, err := run(ctx, t.ID, filepath.Base(path), f)
	var fe *roster.FileError
	if errors.As(err, &fe) {
		return errors.New(fe.Msg.In(*lang))
	} else if err != nil {
		return err
	}
	if *dry {
		printPreview(stdout, im, t.Code, t.Name, time.Since(start))
	} else {
		fmt.Fprintf(stdout, "import %d into %s (%s): %d rows read, %d inserted, %d updated, %d unchanged, %d rejected in %.1fs\n",
			im.ID, t.Code, t.Name, im.RowsRead, im.Inserted, im.Updated, im.Unchanged, im.Rejected, time.Since(start).Seconds())
		if im.Pending > 0 {
			fmt.Fprintf(stdout, "%d rows name employees of other governments: pending transfers, until the sending government confirms them\n", im.Pending)
		}
		if im.Warnings > 0 {
			fmt.Fprintf(stdout, "%d rows imported with warnings\n", im.Warnings)
		}
	}
	if im.Rejected == 0 && *errOut == "" {
		return nil
	}
	if im.Rejected > 0 {
		ps, err := s.ImportProblems(ctx, im.ID, 21)
		if err != nil {
			return err
		}
		for i, p := range ps {
			if i == 20 {
				fmt.Fprintf(stdout, "… and more: %d rows rejected in all\n", im.Rejected)
				break
			}
			fmt.Fprintf(stdout, "line %d, %s %q: %s\n", p.Line, p.Column, p.Value, p.Reason.In(*lang))
		}
	}
	if *errOut != "" {
		// Written even when empty, so that a report left by an earlier run
		// is not mistaken for this one's.
		ef, err := os.Create(*errOut)
		if err != nil {
			return err
		}
		err = imports.WriteProblemsCSV(ctx, ef, s, im.ID, *lang)
		if cerr := ef.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rejected rows written to %s\n", *errOut)
	}
	return nil
}

// printPreview prints a dry run's counts, in all and per government.
func printPreview(w io.Writer, im *netra.Import, code, name string, took time.Duration) {
	fmt.Fprintf(w, "dry run %d into %s (%s): %d rows read; would insert %d, update %d, leave %d unchanged, reject %d, "+
		"hold %d as pending transfers; nothing written (%.1fs)\n", im.ID, code, name, im.RowsRead, im.Inserted, im.Updated,
		im.Unchanged, im.Rejected, im.Pending, took.Seconds())
	var other int64
	var others []string
	for _, g := range im.Preview {
		label := g.Code
		if g.Name != "" {
			label += " (" + g.Name + ")"
		}
		if g.Other {
			other += g.Rows()
			others = append(others, fmt.Sprintf("%s (%d)", g.Name, g.Rows()))
			label += ", another government"
		}
		fmt.Fprintf(w, "  %s: %d to insert, %d to update, %d unchanged, %d rejected, %d pending\n", label, g.Inserted,
			g.Updated, g.Unchanged, g.Rejected, g.Pending)
	}
	if other > 0 {
		if len(others) > 5 {
			others = append(others[:5], "…")
		}
		fmt.Fprintf(w, "%d rows belong to other governments: %s\n", other, strings.Join(others, ", "))
	}
}
