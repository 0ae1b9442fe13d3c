package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
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
	maxUploadMB := fs.Int64("max-upload-mb", envInt(getenv, "NETRA_MAX_UPLOAD_MB", web.DefaultMaxUpload>>20), "largest roster upload through the pages and the API, in MiB (NETRA_MAX_UPLOAD_MB); larger rosters go through netra import employees")
	demoData := fs.Bool("demo", false, "load the demo data before serving (changes nothing when already loaded)")
	demoForce := fs.Bool("demo-force", false, "allow --demo on a non-loopback address or an https base URL (the demo's passwords and TOTP secrets are public)")
	metricsAddr := fs.String("metrics-addr", getenv("NETRA_METRICS_ADDR"), "serve /metrics without credentials on this separate address only (NETRA_METRICS_ADDR); "+
		"on the main address /metrics needs the bearer token in NETRA_METRICS_TOKEN or NETRA_METRICS_TOKEN_FILE")
	cpEvery := fs.Duration("checkpoint-every", 10*time.Minute, "how often to publish a signed checkpoint of the audit log when it grew (also at start and shutdown)")
	cpMail := fs.String("checkpoint-mail", getenv("NETRA_CHECKPOINT_MAIL"), "mail each checkpoint to these auditors, comma-separated (NETRA_CHECKPOINT_MAIL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *maxUploadMB < 1 || *maxUploadMB > 64<<10 {
		return fmt.Errorf("--max-upload-mb %d: want 1 to 65536 MiB", *maxUploadMB)
	}
	metricsToken, err := secretFromEnv(getenv, "NETRA_METRICS_TOKEN")
	if err != nil {
		return err
	}
	if *demoData && !*demoForce {
		if err := demoSafe(*addr, *baseURL); err != nil {
			return err
		}
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
	// An import a killed server was running would otherwise show "running" for ever.
	if n, err := runner.RecoverInterrupted(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("recover interrupted imports: %w", err)
	} else if n > 0 {
		log.Warn("interrupted imports marked failed", "imports", n)
	}
	srv, err := web.New(web.Config{MaxUpload: *maxUploadMB << 20, Store: s, Imports: runner, BaseURL: *baseURL, Logger: log, MetricsToken: metricsToken})
	if err != nil {
		ln.Close()
		return err
	}
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr %s: %w", *metricsAddr, err)
		}
		ms := &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = ms.Serve(mln) }()
		defer ms.Close()
		log.Info("metrics listening", "addr", mln.Addr().String())
	}
	worker := jobs.NewWorker(s, map[string]jobs.Handler{
		jobs.KindMail:       jobs.MailHandler(sender),
		jobs.KindImport:     runner.Handler(),
		jobs.KindDutyRemind: jobs.DutyRemindHandler(s),
		jobs.KindDutyMail:   jobs.DutyMailHandler(s, *baseURL),
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

// demoSafe refuses to load the demo where strangers could reach it: the demo
// accounts' password is printed everywhere and their TOTP secrets are
// derived from their names, so anyone could sign in as an administrator.
func demoSafe(addr, baseURL string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--demo on %s would let anyone on the network sign in as a demo administrator "+
			"(the demo passwords and TOTP codes are public): listen on 127.0.0.1, or add --demo-force", addr)
	}
	if strings.HasPrefix(strings.ToLower(baseURL), "https:") {
		return fmt.Errorf("--demo with the https base URL %s looks like a real installation "+
			"(the demo passwords and TOTP codes are public): leave --base-url out, or add --demo-force", baseURL)
	}
	return nil
}

// secretFromEnv reads a secret from the variable name or from the file
// named by name_FILE (never from a flag, which other users see in ps).
func secretFromEnv(getenv env, name string) (string, error) {
	v := getenv(name)
	if f := getenv(name + "_FILE"); f != "" {
		if v != "" {
			return "", fmt.Errorf("set %s or %s_FILE, not both", name, name)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		v = string(b)
	}
	v = strings.TrimSpace(v)
	if v != "" && len(v) < 16 {
		return "", fmt.Errorf("%s must be at least 16 characters long", name)
	}
	return v, nil
}

// envInt reads an integer setting's default from the environment; a value
// that is not a number is left for the flag check to refuse.
func envInt(getenv env, name string, def int64) int64 {
	if v, err := strconv.ParseInt(getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}
