package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
)

// buildNetra builds the command into a temporary folder.
func buildNetra(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "netra")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childEnv is the test's environment without NETRA_* settings, so that a
// child process sees only the flags the test gives it.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NETRA_") {
			env = append(env, kv)
		}
	}
	return env
}

// runBin runs the built command to completion and fails the test if it fails.
func runBin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("netra %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// server is a netra serve process.
type server struct {
	cmd    *exec.Cmd
	url    string
	logs   *syncBuffer
	exited chan struct{} // closed when the process has ended
}

// startServer starts netra serve on a free port and waits until it answers
// /healthz. The process is killed when the test ends.
func startServer(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	s := &server{logs: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Env = childEnv()
	stdout, w := io.Pipe()
	s.cmd.Stdout, s.cmd.Stderr = w, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); w.Close(); close(s.exited) }()
	t.Cleanup(func() { s.cmd.Process.Kill(); <-s.exited })
	select {
	case s.url = <-serverURL(stdout):
	case <-time.After(60 * time.Second):
		t.Fatalf("netra serve did not say where it listens; log:\n%s", s.logs.String())
	}
	if s.url == "" {
		t.Fatalf("netra serve exited: %v; log:\n%s", s.cmd.ProcessState, s.logs.String())
	}
	checkHealth(t, s.url, "sqlite")
	return s
}

// crash kills the server with SIGKILL: no shutdown, no deferred closes.
func (s *server) crash(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.exited
	if ws, ok := s.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the server ended with %v, not by SIGKILL", s.cmd.ProcessState)
	}
}

// apiToken stores an API token of a government admin of Kota Palangka
// Raya and returns its secret, the city's id and the id of its DISDIK unit.
func apiToken(t *testing.T, p place) (secret string, cityID, disdikID int64) {
	t.Helper()
	s := p.open(t)
	city, err := s.TenantByCode(sys, "62.71")
	if err != nil {
		t.Fatal(err)
	}
	disdik, err := s.UnitByCode(sys, city.ID, "DISDIK")
	if err != nil {
		t.Fatal(err)
	}
	secret = auth.RandomToken()
	tok := &store.APIToken{Name: "crash test", Grant: netra.Grant{Role: netra.RoleTenantAdmin, TenantID: city.ID}}
	if err := s.CreateAPIToken(sys, tok, auth.HashToken(secret)); err != nil {
		t.Fatal(err)
	}
	return secret, city.ID, disdik.ID
}

// call makes an API request and decodes the JSON answer into out.
func call(t *testing.T, method, url, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
	if resp.StatusCode >= 300 {
		t.Logf("%s %s: %s %s", method, url, resp.Status, b)
	}
	return resp.StatusCode
}

// apiUnit is the part of the API's unit the test reads.
type apiUnit struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
}

// TestCrashDurability checks that an acknowledged write survives kill -9:
// what the server (and a second process beside it) acknowledged is there
// after the server is killed and started again on the same data folder,
// and the audit chain still verifies.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it as a process")
	}
	bin := buildNetra(t)
	data := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(data, "netra.db")
	runBin(t, bin, "demo", "--data", data)
	token, cityID, disdikID := apiToken(t, place{data: data, db: dbURL})

	srv := startServer(t, bin, "--data", data)
	// A second process writes while the server runs: the import commits
	// before the command reports it.
	file, good := smallRoster(t)
	path := filepath.Join(t.TempDir(), "pegawai.csv")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := runBin(t, bin, "import", "employees", "--data", data, "--tenant", "62.71", path); !strings.Contains(out, " 3 inserted,") {
		t.Fatalf("import printed %q", out)
	}
	// The server acknowledges a run of writes; the last answer is followed
	// at once by the kill.
	var units []apiUnit
	for i := range 20 {
		in := map[string]any{"parent_id": disdikID, "type": "bidang", "code": fmt.Sprintf("UJI-%02d", i), "name": fmt.Sprintf("Bidang Uji %d", i)}
		var u apiUnit
		if code := call(t, "POST", fmt.Sprintf("%s/api/v1/tenants/%d/units", srv.url, cityID), token, in, &u); code != http.StatusCreated {
			t.Fatalf("POST unit %d: status %d", i, code)
		}
		units = append(units, u)
	}
	srv.crash(t)

	srv = startServer(t, bin, "--data", data)
	for i, want := range units {
		var got apiUnit
		if code := call(t, "GET", fmt.Sprintf("%s/api/v1/units/%d", srv.url, want.ID), token, nil, &got); code != http.StatusOK {
			t.Errorf("unit %d (%s) after the crash: status %d", want.ID, want.Code, code)
		} else if got != want || got.Code != fmt.Sprintf("UJI-%02d", i) || got.ParentID != disdikID {
			t.Errorf("unit after the crash = %+v, acknowledged as %+v", got, want)
		}
	}
	for _, nip := range good {
		var page struct {
			Items []struct {
				NIP string `json:"nip"`
			} `json:"items"`
		}
		code := call(t, "GET", fmt.Sprintf("%s/api/v1/employees?tenant_id=%d&q=%s", srv.url, cityID, nip), token, nil, &page)
		if code != http.StatusOK || len(page.Items) != 1 || page.Items[0].NIP != nip {
			t.Errorf("employee %s after the crash: status %d, %+v", nip, code, page.Items)
		}
	}
	srv.crash(t)
	if out := runBin(t, bin, "audit", "verify", "--data", data); !strings.HasPrefix(out, "audit log OK") {
		t.Errorf("audit verify after the crash printed %q", out)
	}
}
