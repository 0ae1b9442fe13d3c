// Package imports runs employee roster imports: it stores the uploaded file,
// checks that it can be read at all, and then streams it through the roster
// parser into the store in batches, in the background (from the web) or in
// the foreground (netra import employees). Both paths share Run.
package imports

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sync/atomic"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/roster"
	"github.com/netra-id/netra/internal/store"
)

// BatchSize is how many rows the parser hands the writer at a time. Commits
// are the store's business (on SQLite batches share a transaction for up to
// two seconds), so batches only need to be large enough to amortise the
// hand-over, and small enough that the rows in flight stay a few MB.
const BatchSize = 5000

// Runner imports rosters.
type Runner struct {
	Store *store.Store
	Blobs blob.Store
}

// now reads the store's clock, the one clock of the program.
func (r *Runner) now() time.Time { return r.Store.Clock().Now() }

// Submit stores an uploaded roster for a tenant and queues its import. A
// file that cannot be read at all is refused with a *roster.FileError and
// leaves nothing behind.
func (r *Runner) Submit(ctx context.Context, tenantID int64, filename string, body io.Reader) (*netra.Import, error) {
	return r.submit(ctx, tenantID, filename, body, false)
}

// SubmitPreview is Submit for an import that first runs as a dry run and
// waits, previewed, for Confirm or Cancel (see store.ConfirmImport).
func (r *Runner) SubmitPreview(ctx context.Context, tenantID int64, filename string, body io.Reader) (*netra.Import, error) {
	if _, err := r.ExpirePreviews(ctx); err != nil {
		return nil, err
	}
	return r.submit(ctx, tenantID, filename, body, true)
}

// PreviewTTL is how long a preview waits for the operator: then it is
// cancelled and its upload deleted (see ExpirePreviews).
const PreviewTTL = 72 * time.Hour

// Expired is the reason an import page gives for a preview nobody decided on.
var Expired = netra.Msg("Pratinjau kedaluwarsa: tidak dijalankan dalam 3 hari, berkasnya sudah dihapus; unggah ulang bila perlu.",
	"The preview expired: it was not run within 3 days and its file is deleted; upload it again if needed.")

// ExpirePreviews cancels the previews older than PreviewTTL and deletes
// their uploads; the server calls it at start and before every new preview.
// It returns how many it cancelled.
func (r *Runner) ExpirePreviews(ctx context.Context) (int, error) {
	old, err := r.Store.ExpirePreviews(ctx, r.now().Add(-PreviewTTL), Expired)
	for i := range old {
		err = errors.Join(err, r.deleteUpload(ctx, &old[i]))
	}
	return len(old), err
}

func (r *Runner) submit(ctx context.Context, tenantID int64, filename string, body io.Reader, dry bool) (*netra.Import, error) {
	im, err := r.stage(ctx, tenantID, filename, body)
	if err != nil {
		return nil, err
	}
	im.DryRun = dry
	if err := r.Store.CreateImport(ctx, im, &store.Job{Kind: jobs.KindImport, MaxAttempts: 3}); err != nil {
		_ = r.Blobs.Delete(context.WithoutCancel(ctx), im.BlobKey)
		return nil, err
	}
	return im, nil
}

// stage copies the upload to blob storage, hashing it, and checks its header.
func (r *Runner) stage(ctx context.Context, tenantID int64, filename string, body io.Reader) (*netra.Import, error) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	key := "imports/" + r.now().Format("2006/01/02") + "/" + hex.EncodeToString(rnd[:]) + path.Ext(path.Base(filename))
	h := sha256.New()
	n, err := r.Blobs.Put(ctx, key, io.TeeReader(body, h))
	if err != nil {
		return nil, fmt.Errorf("imports: store upload: %w", err)
	}
	im := &netra.Import{TenantID: tenantID, Filename: path.Base(filename), BlobKey: key, SizeBytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	f, err := r.Blobs.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	rd, err := roster.NewReader(f, im.Filename)
	f.Close()
	if err != nil {
		_ = r.Blobs.Delete(context.WithoutCancel(ctx), key)
		return nil, err
	}
	rd.Close()
	return im, nil
}

// ImportFile imports a roster at once, as the actor in ctx, through the same
// path as a queued import, and returns the finished import.
func (r *Runner) ImportFile(ctx context.Context, tenantID int64, filename string, body io.Reader) (*netra.Import, error) {
	im, err := r.stage(ctx, tenantID, filename, body)
	if err != nil {
		return nil, err
	}
	if err := r.Store.CreateImport(ctx, im, nil); err != nil {
		return nil, err
	}
	if err := r.Run(ctx, im); err != nil {
		return im, err
	}
	return im, nil
}

// PreviewFile runs a dry run of a roster at once, as the actor in ctx, and
// returns the previewed import with its counts per government; then the
// import is cancelled (its upload deleted): nothing was written to the
// employees and nothing will be.
func (r *Runner) PreviewFile(ctx context.Context, tenantID int64, filename string, body io.Reader) (*netra.Import, error) {
	im, err := r.stage(ctx, tenantID, filename, body)
	if err != nil {
		return nil, err
	}
	im.DryRun = true
	if err := r.Store.CreateImport(ctx, im, nil); err != nil {
		_ = r.Blobs.Delete(context.WithoutCancel(ctx), im.BlobKey)
		return nil, err
	}
	if err := r.Run(ctx, im); err != nil {
		return im, err
	}
	c, err := r.Cancel(ctx, im.ID)
	if err != nil {
		return im, err
	}
	im.Status, im.FinishedAt = c.Status, c.FinishedAt
	return im, nil
}

// Confirm queues the real run of a previewed import.
func (r *Runner) Confirm(ctx context.Context, id int64) (*netra.Import, error) {
	return r.Store.ConfirmImport(ctx, id, &store.Job{Kind: jobs.KindImport, MaxAttempts: 3})
}

// Cancel ends a previewed import and deletes its upload.
func (r *Runner) Cancel(ctx context.Context, id int64) (*netra.Import, error) {
	im, err := r.Store.CancelImport(ctx, id)
	if err != nil {
		return nil, err
	}
	return im, r.deleteUpload(ctx, im)
}

// Interrupted is the reason the import page gives for an import the server
// stopped in the middle of.
var Interrupted = netra.Msg("Impor terhenti karena server berhenti; unggah ulang berkas.",
	"The import stopped because the server stopped; upload the file again.")

// RecoverInterrupted fails the imports a stopped server left queued or
// running with no job to finish them (see store.RecoverImports); the server
// calls it at start. It returns how many it failed.
func (r *Runner) RecoverInterrupted(ctx context.Context) (int, error) {
	failed, err := r.Store.RecoverImports(ctx, jobs.KindImport, Interrupted, jobs.WorkerGone)
	for i := range failed { // their uploads are no longer needed, like any ended import's
		err = errors.Join(err, r.deleteUpload(ctx, &failed[i]))
	}
	if _, xerr := r.ExpirePreviews(ctx); xerr != nil {
		err = errors.Join(err, xerr)
	}
	return len(failed), err
}

// Handler runs queued imports as the user who submitted them. An import
// found running already was interrupted (its worker died and the job's lease
// ran out): it is failed with Interrupted rather than run twice.
func (r *Runner) Handler() jobs.Handler {
	return func(ctx context.Context, j *store.Job) error {
		var p struct {
			ImportID int64 `json:"import_id"`
		}
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return jobs.Permanent{Err: err}
		}
		sys := netra.WithActor(ctx, netra.System("import"))
		im, err := r.Store.Import(sys, p.ImportID)
		if err != nil {
			return jobs.Permanent{Err: err}
		}
		if im.Status != netra.ImportQueued && im.Status != netra.ImportRunning {
			return nil // ended, or previewed and waiting for the operator
		}
		if im.Status == netra.ImportRunning {
			return r.finish(sys, im, netra.ImportFailed, Interrupted)
		}
		// As whoever started it, user or API token: a token limited to a
		// unit subtree imports into that subtree only.
		actor, err := r.Store.ImportActor(sys, im)
		if errors.Is(err, netra.ErrForbidden) {
			return jobs.Permanent{Err: err}
		} else if err != nil {
			return err
		}
		return r.Run(netra.WithActor(ctx, actor), im)
	}
}

// batch is one transaction's worth of parsed rows.
type batch struct {
	rows      []store.ImportRow
	problems  []netra.ImportProblem
	readBytes int64
	rowsRead  int64
}

// Run reads the import's file and writes it in batches. Parsing runs in its
// own goroutine so that on two cores it overlaps with the database work.
// A file that turns out unreadable marks the import failed with its message.
func (r *Runner) Run(ctx context.Context, im *netra.Import) error {
	imp, err := r.Store.NewImporter(ctx, im)
	if err != nil {
		return err
	}
	f, err := r.Blobs.Get(ctx, im.BlobKey)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	rd, err := roster.NewReader(cr, im.Filename)
	if err != nil {
		return r.fail(ctx, im, err)
	}
	defer rd.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 1)
	parseErr := make(chan error, 1)
	now := r.now()
	go func() {
		defer close(batches)
		b := batch{}
		for {
			row, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				parseErr <- err
				return
			}
			b.rowsRead++
			p, problems := roster.ParseRow(row, now)
			if len(problems) > 0 {
				for _, e := range problems {
					b.problems = append(b.problems, netra.ImportProblem{Line: int64(e.Line), Column: e.Column, Value: e.Value, Reason: e.Reason})
				}
			} else {
				b.rows = append(b.rows, store.ImportRow{Line: int64(row.Line), Employee: p.Employee,
					TenantCode: p.Government, UnitCode: p.UnitCode, UnitPath: p.UnitPath,
					UnitName: p.UnitName, ParentUnitName: p.ParentUnitName, GovernmentName: p.GovernmentName})
				for _, e := range p.Warnings {
					b.problems = append(b.problems, netra.ImportProblem{Line: int64(e.Line), Column: e.Column, Value: e.Value, Reason: e.Reason, Warning: true})
				}
			}
			if b.rowsRead >= BatchSize {
				b.readBytes = cr.n.Load()
				select {
				case batches <- b:
				case <-ctx.Done():
					return
				}
				b = batch{rows: make([]store.ImportRow, 0, BatchSize)}
			}
		}
		b.readBytes = cr.n.Load()
		select {
		case batches <- b:
		case <-ctx.Done():
		}
		parseErr <- nil
	}()
	defer imp.Abort()
	for b := range batches {
		if err := imp.Write(ctx, b.rows, b.problems, b.readBytes, b.rowsRead); err != nil {
			cancel()
			return r.fail(context.WithoutCancel(ctx), im, err)
		}
	}
	if err := <-parseErr; err != nil {
		imp.Abort()
		return r.fail(ctx, im, err)
	}
	if err := imp.Flush(ctx); err != nil {
		return r.fail(context.WithoutCancel(ctx), im, err)
	}
	if im.DryRun {
		// The upload stays for the real run.
		im.Preview = imp.Preview()
		return r.Store.FinishImport(ctx, im, netra.ImportPreviewed, netra.Message{})
	}
	return r.finish(ctx, im, netra.ImportDone, netra.Message{})
}

// finish records how the import ended and then deletes the uploaded file:
// a roster is every employee's personal data, and once the import has ended
// nothing reads it again (the refused cells are kept in the database). A
// file that cannot be deleted is reported as the job's error; the import
// keeps the status it ended with.
func (r *Runner) finish(ctx context.Context, im *netra.Import, status string, msg netra.Message) error {
	if err := r.Store.FinishImport(ctx, im, status, msg); err != nil {
		return err
	}
	return r.deleteUpload(ctx, im)
}

// deleteUpload removes an ended import's uploaded file, if it had one.
func (r *Runner) deleteUpload(ctx context.Context, im *netra.Import) error {
	if im.BlobKey == "" {
		return nil
	}
	if err := r.Blobs.Delete(context.WithoutCancel(ctx), im.BlobKey); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("imports: delete uploaded file of import %d: %w", im.ID, err)
	}
	return nil
}

// fail marks the import failed with a message for the user.
func (r *Runner) fail(ctx context.Context, im *netra.Import, cause error) error {
	msg := netra.Msg("Impor gagal karena kesalahan sistem; hubungi administrator.", "The import failed because of a system error; contact the administrator.")
	var fe *roster.FileError
	if errors.As(cause, &fe) {
		msg = fe.Msg
	}
	if err := r.finish(ctx, im, netra.ImportFailed, msg); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

// WriteProblemsCSV writes every rejected cell of import importID as a CSV
// report in lang, streaming: the report may hold millions of cells. The
// store checks that the actor may see the import, writes only the cells it
// may read and audits the download.
func WriteProblemsCSV(ctx context.Context, w io.Writer, s *store.Store, importID int64, lang string) error {
	r, err := roster.NewErrorsCSV(w, lang)
	if err != nil {
		return err
	}
	err = s.EachImportProblem(ctx, importID, "csv", func(p netra.ImportProblem) error {
		reason := p.Reason
		if p.Warning { // the row was imported: say so in the one reason column
			reason = netra.Msg("Peringatan (baris tetap diimpor): "+reason.ID, "Warning (the row was imported): "+reason.EN)
		}
		return r.Write(roster.RowError{Line: int(p.Line), Column: p.Column, Value: p.Value, Reason: reason})
	})
	if err != nil {
		return err
	}
	return r.Flush()
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
