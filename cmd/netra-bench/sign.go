package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/jobs"
	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/mail"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/synth"
	"github.com/netra-id/netra/internal/web"
	"github.com/netra-id/netra/internal/wilayah"
)

// benchSign measures a signing storm: employees already signed in (their
// sessions made in bulk beforehand) sign a launched campaign over HTTP on
// loopback, against the real server (internal/web, built as netra serve
// builds it) in a child process of its own. It finds the concurrency of
// peak throughput with closed loops at doubling concurrencies, then sends
// requests open loop at 80% of that peak rate for the latency a user sees
// below saturation, while a coverage read is timed every 100 ms. Then the
// bare baseline, driven by the same client code: the simplest net/http
// handler inserting a row of the same shape per request, with the same
// durability, in a fresh database.
func benchSign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20000, "employees who sign (half in the concurrency sweep, half in the open-loop run)")
	engine := fs.String("engine", "sqlite", "sqlite or postgres")
	dbURL := fs.String("db", "", "PostgreSQL server URL (default: the PG* environment)")
	dir := fs.String("dir", "", "work folder (default: a temporary folder, removed afterwards)")
	maxConc := fs.Int("c", 64, "the highest concurrency of the sweep (it doubles from 4 up to it)")
	profile := fs.String("profile", "", "write a CPU profile of the Netra server to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *engine != "sqlite" && *engine != "postgres" {
		return fmt.Errorf("-engine %q: want sqlite or postgres", *engine)
	}
	if *n < 100 || *maxConc < 1 {
		return errors.New("-n must be at least 100 and -c at least 1")
	}
	work := *dir
	if work != "" {
		if err := os.MkdirAll(work, 0o700); err != nil {
			return err
		}
	} else {
		d, err := os.MkdirTemp("", "netra-bench-sign-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	}

	// Netra.
	url, drop, err := freshDB(ctx, *engine, *dbURL, work, "signnetra")
	if err != nil {
		return err
	}
	defer drop()
	start := time.Now()
	b, err := setupSign(ctx, url, work, *n, stderr)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	fmt.Fprintf(stderr, "set up %d signed-in employees of %s and a launched campaign in %.1fs\n", len(b.signers), b.tenantName, time.Since(start).Seconds())
	srv, err := startChild(ctx, stderr, "_signserve", "-db", url, "-data", work, "-cpuprofile", *profile)
	if err != nil {
		return err
	}
	defer srv.kill()
	// The coverage reads, beside the server as another node's would be;
	// with the master key, to verify the audit chain afterwards.
	keys, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(work, "netra.key"))
	if err != nil {
		return err
	}
	reader, err := store.Open(ctx, url, store.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer reader.Close()
	client := newStormClient(srv.url, b.campaignID, *maxConc)
	half := len(b.signers) / 2
	fmt.Fprintf(stdout, "signing storm: %d employees of %s sign over HTTP on loopback, %s, %d cores\n", len(b.signers), b.tenantName, *engine, runtime.NumCPU())
	cov := startTimer(100*time.Millisecond, func() error { return coverageRead(ctx, reader, b) })
	_, peak, peakConc := sweep(ctx, client, b.signers[:half], *maxConc, "netra", stdout)
	rate := 0.8 * peak.perSecond()
	open := openLoop(ctx, client, b.signers[half:], rate, 4096, fmt.Sprintf("netra open %.0f/s", rate))
	fmt.Fprintln(stdout, "  "+open.String())
	nCov, c50, c99, cMax := cov.end()
	stats, err := srv.stop()
	if err != nil {
		return fmt.Errorf("netra server: %w", err)
	}
	signed, err := checkSigned(ctx, reader, b)
	if err != nil {
		return err
	}

	// The bare baseline, on the same number of requests as the sweep.
	burl, bdrop, err := freshDB(ctx, *engine, *dbURL, work, "signbare")
	if err != nil {
		return err
	}
	defer bdrop()
	bare, err := startChild(ctx, stderr, "_signbare", "-db", burl, "-record-bytes", fmt.Sprint(b.recordBytes))
	if err != nil {
		return err
	}
	defer bare.kill()
	_, bpeak, bpeakConc := sweep(ctx, newStormClient(bare.url, b.campaignID, *maxConc), b.signers[:half], *maxConc, "baseline", stdout)
	bstats, err := bare.stop()
	if err != nil {
		return fmt.Errorf("baseline server: %w", err)
	}

	nps, bps := peak.perSecond(), bpeak.perSecond()
	fmt.Fprintf(stdout, "  netra   : peak %6.0f signatures/s at c=%d (p50 %.1f ms, p99 %.1f ms); at 80%% of it, open loop: %.0f/s, p50 %.1f ms, p99 %.1f ms\n",
		nps, peakConc, millis(peak.quantile(0.5)), millis(peak.quantile(0.99)), open.perSecond(), millis(open.quantile(0.5)), millis(open.quantile(0.99)))
	fmt.Fprintf(stdout, "            server peak RSS %.0f MB; %d signatures in %d transactions (%.1f a transaction); %d acknowledged, all in the log, audit chain verified\n",
		stats.PeakRSSMB, stats.Requests, stats.Batches, float64(stats.Requests)/float64(max(stats.Batches, 1)), signed)
	fmt.Fprintf(stdout, "            coverage read every 100 ms during the storm (%s): %d reads, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		coverageReadName, nCov, millis(c50), millis(c99), millis(cMax))
	fmt.Fprintf(stdout, "  baseline: peak %6.0f inserts/s at c=%d (p50 %.1f ms, p99 %.1f ms); server peak RSS %.0f MB (%s)\n",
		bps, bpeakConc, millis(bpeak.quantile(0.5)), millis(bpeak.quantile(0.99)), bstats.PeakRSSMB, bareSignName(*engine))
	if cov.errs > 0 {
		fmt.Fprintf(stdout, "  coverage reads failed %d times: %v\n", cov.errs, cov.err)
	}
	if peak.failed+open.failed+bpeak.failed > 0 {
		return fmt.Errorf("%d requests failed", peak.failed+open.failed+bpeak.failed)
	}
	fmt.Fprintf(stdout, "RESULT bench=sign engine=%s signatures=%d netra_per_s=%.0f baseline_per_s=%.0f ratio=%.2f p99_ms=%.1f peak_rss_mb=%.0f\n",
		*engine, signed, nps, bps, nps/bps, millis(open.quantile(0.99)), stats.PeakRSSMB)
	return nil
}

// signBench is what the storm needs from the setup.
type signBench struct {
	tenantID    int64
	tenantCode  string
	tenantName  string
	campaignID  int64
	dutyID      int64
	tenantPath  string
	signers     []signer
	recordBytes int // the size of a signature's record, for the baseline's rows
}

// coverageReadName says what coverageRead reads.
const coverageReadName = "the coverage page's read: the campaign duty's coverage of the government (totals, children, breakdowns)"

// coverageRead is the read the coverage page makes (store.DutyGovernmentCoverage
// of the campaign's duty, as the government's leader), timed every 100 ms
// while the storm runs.
func coverageRead(ctx context.Context, s *store.Store, b *signBench) error {
	leader := netra.WithActor(ctx, &netra.Actor{UserID: 1, Label: "bench:leader",
		Grants: []netra.Grant{{Role: netra.RoleLeader, TenantID: b.tenantID, TenantCode: b.tenantCode, TenantPath: b.tenantPath}}})
	v, err := s.DutyGovernmentCoverage(leader, b.dutyID, b.tenantID)
	if err == nil && v.Node.Targeted == 0 {
		err = fmt.Errorf("the campaign's duty targets nobody")
	}
	return err
}

// setupSign makes Kota Palangka Raya (with its province and the national
// government), n generated employees imported as a roster, each with the
// account a first sign-in makes and a full session, and a launched
// campaign of the shipped Tarakan text. The sessions were last seen two
// minutes ago, so that each signing request is also its session's touch,
// as in a real storm.
func setupSign(ctx context.Context, url, work string, n int, stderr io.Writer) (*signBench, error) {
	keys, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(work, "netra.key"))
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, url, store.WithKeyring(keys))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return nil, err
	}
	sys := netra.WithActor(ctx, netra.System("bench"))
	w, err := wilayah.Load()
	if err != nil {
		return nil, err
	}
	if err := s.CreateTenant(sys, &netra.Tenant{Code: netra.NationalCode, Name: "Pemerintah Pusat"}); err != nil {
		return nil, err
	}
	const cityCode = "62.71"
	var city *netra.Tenant
	for _, g := range w.Governments() {
		if g.Code != "62" && g.Code != cityCode {
			continue
		}
		t := &netra.Tenant{Code: g.Code, Name: synth.OfficialName(g)}
		if err := s.CreateTenant(sys, t); err != nil {
			return nil, err
		}
		if g.Code == cityCode {
			if _, err := s.CreateUnitTree(sys, t.ID, demo.Seeds(synth.UnitTree(g, w))); err != nil {
				return nil, err
			}
			city = t
		}
	}
	if city == nil {
		return nil, fmt.Errorf("no government %s in the area data", cityCode)
	}
	roster := filepath.Join(work, fmt.Sprintf("sign-roster-%d.csv", n))
	f, err := os.Create(roster)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if _, err := synth.Generate(bw, synth.GenOptions{Employees: n, Seed: 1, Governments: []string{cityCode}, Shape: synth.ShapeNetra, Sep: ','}); err != nil {
		f.Close()
		return nil, err
	}
	if err := errors.Join(bw.Flush(), f.Close()); err != nil {
		return nil, err
	}
	defer os.Remove(roster)
	blobs, err := blob.OpenDisk(filepath.Join(work, "blobs-setup"))
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(filepath.Join(work, "blobs-setup"))
	if f, err = os.Open(roster); err != nil {
		return nil, err
	}
	im, err := (&imports.Runner{Store: s, Blobs: blobs}).ImportFile(sys, city.ID, filepath.Base(roster), f)
	f.Close()
	if err != nil {
		return nil, err
	}
	if im.Rejected > 0 {
		fmt.Fprintf(stderr, "setup: the generated roster had %d rows refused\n", im.Rejected)
	}
	var ids []int64
	names := map[int64]string{}
	if _, err := s.EachEmployee(sys, netra.EmployeeFilter{TenantID: city.ID, Status: netra.StatusActive}, "bench", func(e *netra.Employee, _ string) error {
		ids = append(ids, e.ID)
		names[e.ID] = e.Name
		return nil
	}); err != nil {
		return nil, err
	}
	users, err := s.EmployeeAccounts(sys, ids)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	seen := now.Add(-2 * time.Minute)
	b := &signBench{tenantID: city.ID, tenantCode: city.Code, tenantName: city.Name}
	var sessions []store.Session
	for _, id := range ids {
		uid, ok := users[id]
		if !ok {
			continue
		}
		tok := auth.RandomToken()
		sessions = append(sessions, store.Session{TokenHash: auth.HashToken(tok), UserID: uid, Stage: store.StageFull,
			CreatedAt: seen, ExpiresAt: now.Add(time.Hour), IP: "127.0.0.1", UserAgent: "netra-bench"})
		b.signers = append(b.signers, signer{Token: tok, Name: names[id]})
	}
	if err := s.CreateSessions(ctx, sessions); err != nil {
		return nil, err
	}
	tpls, err := s.InstallShippedPledges(sys, city.ID)
	if err != nil {
		return nil, err
	}
	c := &netra.PledgeCampaign{TenantID: city.ID, TemplateID: tpls[0].ID, TemplateVersion: tpls[0].Latest.Version, ElectionID: 2,
		Title: "Ikrar Netralitas ASN Pilkada Serentak 2024", Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour)}
	if err := s.CreatePledgeCampaign(sys, c); err != nil {
		return nil, err
	}
	if _, err := s.LaunchPledgeCampaign(sys, c.ID); err != nil {
		return nil, err
	}
	b.campaignID, b.dutyID, b.tenantPath = c.ID, c.DutyID, city.Path()
	// A record's size, for the baseline's rows: the first employee's, as
	// the store would make it (this signature is the storm's first).
	first := ids[0]
	self := netra.WithActor(ctx, &netra.Actor{UserID: users[first], EmployeeID: first, Label: "user:bench",
		Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: city.ID, TenantCode: city.Code, TenantPath: city.Path()}}})
	sig, err := s.SignPledge(self, c.ID, names[first])
	if err != nil {
		return nil, err
	}
	b.recordBytes = len(sig.Record)
	b.signers = b.signers[1:]
	return b, nil
}

// checkSigned checks, after the storm, that the log holds every signature
// (one per employee: the log's size is one more than the storm's
// acknowledged signatures, with setupSign's) and that the audit chain
// verifies; it returns the number of signatures.
func checkSigned(ctx context.Context, s *store.Store, b *signBench) (int64, error) {
	n, err := s.LogSize(ctx, netra.PledgeLogName(b.tenantCode))
	if err != nil {
		return 0, err
	}
	if n != int64(len(b.signers))+1 {
		return n, fmt.Errorf("the log holds %d records, want %d", n, len(b.signers)+1)
	}
	if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
		return n, fmt.Errorf("the audit chain after the storm: %+v %v", p, err)
	}
	return n, nil
}

// childStats is what a server child reports when it stops.
type childStats struct {
	Batches   int64   `json:"batches"`
	Requests  int64   `json:"requests"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// peakRSSMB is the process's peak resident memory (VmHWM). The child reads
// its own: the rusage its parent gets keeps the parent's own peak from
// before the exec, and the parent holds the whole setup.
func peakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
			return kb / 1024
		}
	}
	return 0
}

// child is a server running in a child process: its peak memory is its own.
type child struct {
	cmd   *exec.Cmd
	url   string
	stdin io.WriteCloser
	out   *bufio.Reader
}

// startChild runs netra-bench with args, which must print "listening URL"
// first; the child serves until its standard input closes. It runs
// without the bench's memory ceiling, as netra serve does.
func startChild(ctx context.Context, stderr io.Writer, args ...string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), "GOMEMLIMIT=off")
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: in, out: bufio.NewReader(outPipe)}
	line, err := c.out.ReadString('\n')
	if u, ok := strings.CutPrefix(strings.TrimSpace(line), "listening "); ok && err == nil {
		c.url = u
		return c, nil
	}
	c.kill()
	return nil, fmt.Errorf("%s did not start: %q %v", args[0], line, err)
}

// stop ends the child and returns what it reported.
func (c *child) stop() (childStats, error) {
	var st childStats
	c.stdin.Close()
	b, err := io.ReadAll(c.out)
	if err == nil {
		err = c.cmd.Wait()
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("child output %q: %w", b, err)
	}
	if ru, ok := c.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && st.PeakRSSMB == 0 {
		st.PeakRSSMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux; an upper bound (see peakRSSMB)
	}
	return st, nil
}

func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
	}
}

// serveUntilStdinCloses serves h on a loopback port with netra serve's
// timeouts, prints "listening URL", and shuts down when stdin closes.
func serveUntilStdinCloses(ln net.Listener, h http.Handler, stdin io.Reader, stdout io.Writer) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Minute, WriteTimeout: 10 * time.Minute,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "listening http://%s\n", ln.Addr())
	stdinDone := make(chan struct{})
	go func() { io.Copy(io.Discard, stdin); close(stdinDone) }()
	select {
	case err := <-serveErr:
		return err
	case <-stdinDone:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return hs.Shutdown(ctx)
}

// signServe is the Netra server child: the store, the web server and the
// job worker, built as netra serve builds them (the audit checkpoint
// publisher left out: it writes every ten minutes), its log written to a
// file in the data folder.
func signServe(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("_signserve", flag.ContinueOnError)
	dbURL := fs.String("db", "", "database URL")
	data := fs.String("data", "", "data folder: master key, log, blobs")
	prof := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *prof != "" {
		pf, err := os.Create(*prof)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	keys, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(*data, "netra.key"))
	if err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(*data, "netra-server.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := slog.New(slog.NewJSONHandler(logFile, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s, err := store.Open(ctx, *dbURL, store.WithKeyring(keys))
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	blobs, err := blob.Open("file:" + filepath.Join(*data, "blobs"))
	if err != nil {
		return err
	}
	mcfg, err := mail.ParseURL("log:")
	if err != nil {
		return err
	}
	sender, err := mail.NewSender(mcfg, logFile)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	runner := &imports.Runner{Store: s, Blobs: blobs}
	srv, err := web.New(web.Config{MaxUpload: web.DefaultMaxUpload, Store: s, Imports: runner, BaseURL: "http://" + ln.Addr().String(), Logger: log})
	if err != nil {
		ln.Close()
		return err
	}
	worker := jobs.NewWorker(s, map[string]jobs.Handler{jobs.KindMail: jobs.MailHandler(sender), jobs.KindImport: runner.Handler()}, log)
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workCtx) }()
	err = serveUntilStdinCloses(ln, srv.Handler(), stdin, stdout)
	stopWork()
	<-workerDone
	batches, requests := s.SignBatchStats()
	if err := errors.Join(err, s.Close()); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(childStats{Batches: batches, Requests: requests, PeakRSSMB: peakRSSMB()})
}
