package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/web"
)

func cmdServe(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr HOST:PORT] [--demo] [--data DIR] [--db URL] [--blobs URL] [--base-url URL] [--smtp URL]", stderr)
	st := storageFlags(fs, getenv)
	addr := fs.String("addr", or(getenv("NETRA_ADDR"), "127.0.0.1:8080"), "address to listen on (NETRA_ADDR)")
	baseURL := fs.String("base-url", getenv("NETRA_BASE_URL"), "public URL of this server, used in e-mailed links (NETRA_BASE_URL; default http://ADDR)")
	smtp := fs.String("smtp", or(getenv("NETRA_SMTP"), "log:"), "mail server: smtp://user:pass@host:587?from=…&tls=starttls, or log: to print mails to the log (NETRA_SMTP)")
	demoData := fs.Bool("demo", false, "load the demo data before serving (changes nothing when already loaded)")
	cpEvery := fs.Duration("checkpoint-every", 10*time.Minute, "how often to publish a signed checkpoint of the audit log when it grew (also at start and shutdown)")
	cpMail := fs.String("checkpoint-mail", getenv("NETRA_CHECKPOINT_MAIL"), "mail each checkpoint to these auditors, comma-separated (NETRA_CHECKPOINT_MAIL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr)
	mcfg, err := mail.ParseURL(*smtp)
	if err != nil {
		return fmt.Errorf("--smtp: %w", err)
	}
	sender, err := mail.NewSender(mcfg, stderr)
	if err != nil {
		return fmt.Errorf("--smtp: %w", err)
	}
	s, err := st.open(ctx, log)
	if err != nil {
		return err
	}
	defer s.Close()
	blobs, err := st.openBlobs()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	*baseURL = strings.TrimRight(*baseURL, "/")
	if *demoData {
		if err := loadDemo(ctx, s, st, stdout, log, *baseURL); err != nil {
			ln.Close()
			return fmt.Errorf("demo: %w", err)
		}
	}
	runner := &imports.Runner{Store: s, Blobs: blobs}
	srv, err := web.New(web.Config{Store: s, Imports: runner, BaseURL: *baseURL, Logger: log})
	if err != nil {
		ln.Close()
		return err
	}
	worker := jobs.NewWorker(s, map[string]jobs.Handler{
		jobs.KindMail:   jobs.MailHandler(sender),
		jobs.KindImport: runner.Handler(),
	}, log)
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workCtx) }()
	publisherDone := make(chan struct{}) // audit checkpoints, outside the database
	go func() {
		defer close(publisherDone)
		newPublisher(s, st.data, *cpMail, log).run(workCtx, max(*cpEvery, time.Second))
	}()

	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // roster uploads can be large
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	log.Info("netra listening", "addr", ln.Addr().String(), "url", *baseURL, "version", netra.Version,
		"db", s.URL(), "dialect", s.Dialect())
	fmt.Fprintf(stdout, "Netra %s berjalan di %s\n", netra.Version, *baseURL)

	select {
	case err := <-serveErr:
		stopWork()
		<-workerDone
		<-publisherDone
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = hs.Shutdown(shutCtx)
	stopWork()
	<-workerDone
	<-publisherDone
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
