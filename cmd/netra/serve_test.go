package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/store/storetest"
)

// syncBuffer collects a server's log, which many goroutines write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`^Netra \S+ berjalan di (http://\S+)$`)

// serverURL reads a server's standard output until it says where it
// listens, and then drains it. It returns "" when the output ends first.
func serverURL(stdout io.Reader) <-chan string {
	c := make(chan string, 1)
	go func() {
		defer close(c)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				c <- m[1]
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	return c
}

// health is the answer of /healthz.
type health struct {
	Status        string `json:"status"`
	Version       string `json:"version"`
	Dialect       string `json:"dialect"`
	SchemaVersion int64  `json:"schema_version"`
	SchemaLatest  int64  `json:"schema_latest"`
}

// getHealth asks a server how it is.
func getHealth(t *testing.T, base string) health {
	t.Helper()
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h health
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET /healthz: Content-Type %q", ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	return h
}

// checkHealth checks that a server reports itself up on the given engine.
func checkHealth(t *testing.T, base, dialect string) {
	t.Helper()
	h := getHealth(t, base)
	if h.Status != "ok" || h.Version != netra.Version || h.Dialect != dialect ||
		h.SchemaVersion < 1 || h.SchemaVersion != h.SchemaLatest {
		t.Errorf("GET /healthz = %+v, want ok, version %s, dialect %s and the latest schema", h, netra.Version, dialect)
	}
}

func TestServe(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			p := placeOn(t, e)
			c := cmdline{}
			args := p.args("serve", "--addr", "127.0.0.1:0")
			if e.Name == "postgres" { // and the address from the environment
				c.env = map[string]string{"NETRA_ADDR": "127.0.0.1:0"}
				args = p.args("serve")
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stdout, w := io.Pipe()
			var logs syncBuffer
			done := make(chan error, 1)
			go func() {
				err := run(ctx, args, func(k string) string { return c.env[k] }, strings.NewReader(""), w, &logs)
				w.Close()
				done <- err
			}()

			var base string
			select {
			case base = <-serverURL(stdout):
			case <-time.After(30 * time.Second):
				t.Fatalf("the server did not say where it listens; log:\n%s", logs.String())
			}
			if base == "" {
				t.Fatalf("serve ended before listening: %v\nlog:\n%s", <-done, logs.String())
			}
			checkHealth(t, base, e.Name)

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v after its context ended, want nil", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("serve did not stop within 10 s of its context ending; log:\n%s", logs.String())
			}
			if _, err := http.Get(base + "/healthz"); err == nil {
				t.Error("the server still answers after it stopped")
			}
			if log := logs.String(); !strings.Contains(log, `"msg":"netra listening"`) || !strings.Contains(log, `"msg":"stopped"`) {
				t.Errorf("the log does not show the start and the stop:\n%s", log)
			}
		})
	}
}

func TestServeRefuses(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	data := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--data", data, "--addr", busy.Addr().String()},
		{"serve", "--data", data, "--addr", "127.0.0.1:0", "--smtp", "ftp://mail.example.go.id"},
		{"serve", "--data", data, "--addr", "127.0.0.1:0", "--db", "mysql://localhost/netra"},
		{"serve", "--data", "", "--addr", "127.0.0.1:0"},
		// The demo's passwords and TOTP secrets are public: not where others can reach it.
		{"serve", "--data", data, "--demo", "--addr", "0.0.0.0:0"},
		{"serve", "--data", data, "--demo", "--addr", ":0"},
		{"serve", "--data", data, "--demo", "--addr", "127.0.0.1:0", "--base-url", "https://netra.palangkaraya.go.id"},
	} {
		// Should serve start after all, the timeout ends it and the test fails.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr)
		cancel()
		if err == nil || errors.Is(err, errUsage) {
			t.Errorf("netra %s: err = %v, want an error that says what is wrong", strings.Join(args, " "), err)
		}
		if slices.Contains(args, "--demo") && !strings.Contains(err.Error(), "--demo-force") {
			t.Errorf("netra %s: %v, want it to name --demo-force", strings.Join(args, " "), err)
		}
		if strings.Contains(stdout.String(), "berjalan") {
			t.Errorf("netra %s: said it was running:\n%s", strings.Join(args, " "), stdout.String())
		}
	}
}

// TestServeMetrics checks that the metrics are not on the main address
// without a token, and are on the separate metrics address.
func TestServeMetrics(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	maddr := free.Addr().String()
	free.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, w := io.Pipe()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--metrics-addr", maddr},
			func(string) string { return "" }, strings.NewReader(""), w, &logs)
		w.Close()
		done <- err
	}()
	var base string
	select {
	case base = <-serverURL(stdout):
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not say where it listens; log:\n%s", logs.String())
	}
	if base == "" {
		t.Fatalf("serve ended before listening: %v\nlog:\n%s", <-done, logs.String())
	}
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(base + "/metrics"); code != http.StatusNotFound || strings.Contains(body, "netra_jobs") {
		t.Errorf("main address /metrics: %d, want 404", code)
	}
	if code, body := get("http://" + maddr + "/metrics"); code != http.StatusOK || !strings.Contains(body, "netra_jobs_scrape_ok 1") {
		t.Errorf("metrics address /metrics: %d %.200s", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// TestServeFailsInterruptedImport checks that serve, at start, ends an
// import a killed process left running, with the reason the import page
// shows.
func TestServeFailsInterruptedImport(t *testing.T) {
	p := placeOn(t, storetest.Engines(t)[0])
	mustRun(t, p.args("migrate")...)
	s := p.open(t)
	tn := &netra.Tenant{Code: "00", Name: "Pusat"}
	if err := s.CreateTenant(sys, tn); err != nil {
		t.Fatal(err)
	}
	// A foreground import (netra import) killed in the middle: no job will finish it.
	im := &netra.Import{TenantID: tn.ID, Filename: "pegawai.csv"}
	if err := s.CreateImport(sys, im, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewImporter(sys, im); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, w := io.Pipe()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		err := run(ctx, p.args("serve", "--addr", "127.0.0.1:0"), func(string) string { return "" }, strings.NewReader(""), w, &logs)
		w.Close()
		done <- err
	}()
	select {
	case base := <-serverURL(stdout):
		if base == "" {
			t.Fatalf("serve ended before listening: %v\nlog:\n%s", <-done, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not say where it listens; log:\n%s", logs.String())
	}
	got, err := s.Import(sys, im.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != netra.ImportFailed || got.Error != imports.Interrupted {
		t.Errorf("the interrupted import is %s %q, want failed: %q", got.Status, got.Error.ID, imports.Interrupted.ID)
	}
	if !strings.Contains(logs.String(), "interrupted imports marked failed") {
		t.Errorf("the log does not say so:\n%s", logs.String())
	}
	cancel()
	<-done
}
