package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

func TestMailOutboxRetriesUntilDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, err := mail.ParseURL(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		sender, err := mail.NewSender(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := jobs.EnqueueMail(ctx, s, mail.Message{To: []string{"budi@palangkaraya.go.id"},
			Subject: "Kode masuk Netra", Text: "Kode Anda: 482913"}); err != nil {
			t.Fatal(err)
		}
		srv.FailNext(1)
		w := jobs.NewWorker(s, map[string]jobs.Handler{jobs.KindMail: jobs.MailHandler(sender)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("first run: %d %v", n, err)
		}
		if len(srv.Messages()) != 0 {
			t.Fatal("message delivered although the server refused it")
		}
		// The failed job waits for its backoff; nothing is due now.
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Fatalf("job retried before its backoff: %d", n)
		}
		queued, _, failed, err := s.JobCounts(ctx)
		if err != nil || queued != 1 || failed != 0 {
			t.Fatalf("counts: queued %d failed %d %v", queued, failed, err)
		}
		// Once due again it is delivered.
		w2 := jobs.NewWorker(s, map[string]jobs.Handler{jobs.KindMail: jobs.MailHandler(sender)}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		w2.Lease = time.Minute
		runDue(t, s)
		if n, err := w2.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("second run: %d %v", n, err)
		}
		got := srv.WaitFor(t, "budi@palangkaraya.go.id", 5*time.Second)
		if !strings.Contains(got.Text, "482913") {
			t.Fatalf("mail text %q", got.Text)
		}
	})
}

// runDue makes every queued job due now, as if its backoff had passed.
func runDue(t *testing.T, s *store.Store) {
	t.Helper()
	if err := s.MakeJobsDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestWorkerGone(t *testing.T) {
	host, _ := os.Hostname()
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{
		host + ":" + strconv.Itoa(os.Getpid()) + ":1":           false, // this process
		host + ":" + strconv.Itoa(os.Getppid()) + ":1":          false, // alive
		host + ":" + strconv.Itoa(done.Process.Pid) + ":1":      true,  // exited
		"another-host:" + strconv.Itoa(done.Process.Pid) + ":1": false,
		"nonsense": false,
	} {
		if got := jobs.WorkerGone(id); got != want {
			t.Errorf("WorkerGone(%q) = %v, want %v", id, got, want)
		}
	}
}
