package imports_test

import (
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestInterruptedImportsFail checks that an import a stopped server left
// behind does not stay "running": at start, one whose worker died (its
// process is gone, or its lease ran out) or that no job will run is failed
// with a reason for the import page, while a queued import and one running
// under a live lease elsewhere are left alone; and a worker that claims a
// job whose import is already running fails it instead of running it twice.
func TestInterruptedImportsFail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := setup(t, s)
		ctx := sys()
		now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
		s.SetClock(netra.ClockFunc(func() time.Time { return now }))
		roster := header + "198609262015051001;Budi Santoso;PNS;III/a;Guru;Fungsional;DISDIK.SD;;\n"
		host, _ := os.Hostname()
		gone := exec.Command("true")
		if err := gone.Run(); err != nil {
			t.Fatal(err)
		}
		deadWorker := host + ":" + strconv.Itoa(gone.Process.Pid) + ":1"

		// submit queues an import and, with a worker name, lets that worker
		// claim it and start it, as a server does before it is killed.
		submit := func(worker string) *netra.Import {
			t.Helper()
			im, err := f.r.Submit(ctx, f.city.ID, "pegawai.csv", strings.NewReader(roster))
			if err != nil {
				t.Fatal(err)
			}
			if worker != "" {
				if js, err := s.ClaimJobs(ctx, worker, []string{jobs.KindImport}, 1, 10*time.Minute); err != nil || len(js) != 1 {
					t.Fatalf("claim: %v %v", js, err)
				}
				if _, err := s.NewImporter(ctx, im); err != nil {
					t.Fatal(err)
				}
			}
			return im
		}
		killed := submit(deadWorker)                                          // this host, process gone
		elsewhere := submit("other-node:4242:7")                              // another node, lease live
		queued := submit("")                                                  // not started yet
		foreground := &netra.Import{TenantID: f.city.ID, Filename: "cli.csv"} // netra import, killed
		if err := s.CreateImport(ctx, foreground, nil); err != nil {
			t.Fatal(err)
		}

		n, err := f.r.RecoverInterrupted(ctx)
		if err != nil || n != 2 {
			t.Fatalf("recovered %d, %v; want 2", n, err)
		}
		// The killed import's upload is gone; the live one elsewhere keeps its file.
		if rc, err := f.r.Blobs.Get(ctx, killed.BlobKey); err == nil {
			rc.Close()
			t.Fatal("the interrupted import's uploaded file is still stored")
		}
		if rc, err := f.r.Blobs.Get(ctx, elsewhere.BlobKey); err != nil {
			t.Fatalf("the running import's file on another node was deleted: %v", err)
		} else {
			rc.Close()
		}
		status := func(im *netra.Import) *netra.Import {
			t.Helper()
			got, err := s.Import(ctx, im.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		for _, im := range []*netra.Import{killed, foreground} {
			if got := status(im); got.Status != netra.ImportFailed || got.Error != imports.Interrupted {
				t.Errorf("import %s: %s %q, want failed as interrupted", im.Filename, got.Status, got.Error.EN)
			}
		}
		if got := status(elsewhere); got.Status != netra.ImportRunning {
			t.Errorf("import running under a live lease: %s", got.Status)
		}
		if got := status(queued); got.Status != netra.ImportQueued {
			t.Errorf("queued import: %s", got.Status)
		}

		// The other node dies too; once its lease runs out a worker claims
		// the job, finds the import running and fails it rather than run it
		// again. The queued one runs.
		now = now.Add(11 * time.Minute)
		w := jobs.NewWorker(s, map[string]jobs.Handler{jobs.KindImport: f.r.Handler()}, slog.New(slog.DiscardHandler))
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if got := status(elsewhere); got.Status != netra.ImportFailed || got.Error != imports.Interrupted {
			t.Errorf("import whose lease ran out: %s %q", got.Status, got.Error.EN)
		}
		if got := status(queued); got.Status != netra.ImportDone || got.Inserted != 1 {
			t.Errorf("queued import after the worker ran: %+v", got)
		}
		if n, err := f.r.RecoverInterrupted(ctx); err != nil || n != 0 {
			t.Errorf("second recovery: %d %v", n, err)
		}
	})
}
