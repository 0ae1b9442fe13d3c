package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/keyring"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/synth"
	"github.com/netra-id/netra/internal/wilayah"
)

// crashSigner is an employee of the signing crash test, signed in.
type crashSigner struct {
	employeeID, userID int64
	name, token        string
}

// signWorld makes, in the data folder's database, Kota Palangka Raya with n
// generated employees, each with an employee account and a session, and a
// launched campaign; it returns the signers and the campaign.
func signWorld(t *testing.T, p place, n int) ([]crashSigner, *netra.PledgeCampaign, *netra.Tenant) {
	t.Helper()
	ctx := context.Background()
	keys, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(p.data, "netra.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, p.db, store.WithKeyring(keys))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w, err := wilayah.Load()
	if err != nil {
		t.Fatal(err)
	}
	var city *netra.Tenant
	for _, code := range []string{netra.NationalCode, "62", "62.71"} {
		tn := &netra.Tenant{Code: code, Name: "Pemerintah Pusat"}
		if g, ok := w.Lookup(code); ok {
			tn.Name = synth.OfficialName(g)
			city = tn
		}
		if err := s.CreateTenant(sys, tn); err != nil {
			t.Fatal(err)
		}
	}
	g, _ := w.Lookup("62.71")
	if _, err := s.CreateUnitTree(sys, city.ID, demo.Seeds(synth.UnitTree(g, w))); err != nil {
		t.Fatal(err)
	}
	var roster bytes.Buffer
	bw := bufio.NewWriter(&roster)
	if _, err := synth.Generate(bw, synth.GenOptions{Employees: n, Seed: 7, Governments: []string{"62.71"}, Shape: synth.ShapeNetra, Sep: ','}); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.OpenDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&imports.Runner{Store: s, Blobs: blobs}).ImportFile(sys, city.ID, "pegawai.csv", &roster); err != nil {
		t.Fatal(err)
	}
	var signers []crashSigner
	var ids []int64
	if _, err := s.EachEmployee(sys, netra.EmployeeFilter{TenantID: city.ID, Status: netra.StatusActive}, "test", func(e *netra.Employee, _ string) error {
		signers = append(signers, crashSigner{employeeID: e.ID, name: e.Name})
		ids = append(ids, e.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	users, err := s.EmployeeAccounts(sys, ids)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	var sessions []store.Session
	for i := range signers {
		signers[i].userID, signers[i].token = users[signers[i].employeeID], auth.RandomToken()
		sessions = append(sessions, store.Session{TokenHash: auth.HashToken(signers[i].token), UserID: signers[i].userID,
			Stage: store.StageFull, CreatedAt: now, ExpiresAt: now.Add(time.Hour)})
	}
	if err := s.CreateSessions(ctx, sessions); err != nil {
		t.Fatal(err)
	}
	tpls, err := s.InstallShippedPledges(sys, city.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := &netra.PledgeCampaign{TenantID: city.ID, TemplateID: tpls[0].ID, TemplateVersion: tpls[0].Latest.Version, ElectionID: 2,
		Title: "Ikrar Netralitas Pilkada 2024", Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour)}
	if err := s.CreatePledgeCampaign(sys, c); err != nil {
		t.Fatal(err)
	}
	if c, err = s.LaunchPledgeCampaign(sys, c.ID); err != nil {
		t.Fatal(err)
	}
	return signers, c, city
}

// signedAnswer is the part of the sign API's answer the test reads.
type signedAnswer struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
}

// signOver posts a signature with the signer's session cookie.
func signOver(ctx context.Context, c *http.Client, base string, campaignID int64, s crashSigner) (int, signedAnswer, error) {
	var out signedAnswer
	body, _ := json.Marshal(map[string]string{"name": s.name})
	req, err := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/pledge-campaigns/%d/sign", base, campaignID), bytes.NewReader(body))
	if err != nil {
		return 0, out, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "netra_session", Value: s.token})
	resp, err := c.Do(req)
	if err != nil {
		return 0, out, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, out, err
	}
	if resp.StatusCode < 300 {
		err = json.Unmarshal(b, &out)
	}
	return resp.StatusCode, out, err
}

// TestSignCrash kills netra serve with SIGKILL during a signing storm and
// starts it again: every signature it acknowledged is there, with the code
// it was acknowledged with; no employee has two; the pledge log holds
// exactly the signatures, in order, and its stored tree is theirs; every
// code verifies; the audit chain verifies.
func TestSignCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it as a process")
	}
	bin := buildNetra(t)
	data := t.TempDir()
	p := place{data: data, db: "sqlite:" + filepath.Join(data, "netra.db")}
	signers, camp, city := signWorld(t, p, 300)
	srv := startServer(t, bin, "--data", data)

	// The storm: 16 clients sign one employee after another; the server is
	// killed once 100 signatures are acknowledged, with requests in flight.
	client := &http.Client{Timeout: 10 * time.Second}
	type ack struct {
		signer int
		answer signedAnswer
	}
	var mu sync.Mutex
	var acks []ack
	var next atomic.Int64
	kill := make(chan struct{})
	var killOnce sync.Once
	var killed atomic.Bool
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(signers) {
					return
				}
				status, ans, err := signOver(t.Context(), client, srv.url, camp.ID, signers[i])
				switch {
				case err != nil && killed.Load():
					return // the server is gone: this one was not acknowledged
				case err != nil:
					t.Errorf("signer %d: %v", i, err)
					return
				case status != http.StatusCreated:
					t.Errorf("signer %d: status %d", i, status)
					return
				}
				mu.Lock()
				acks = append(acks, ack{i, ans})
				if len(acks) == 100 {
					killOnce.Do(func() { close(kill) })
				}
				mu.Unlock()
			}
		})
	}
	select {
	case <-kill:
	case <-time.After(60 * time.Second):
		t.Fatal("the storm did not reach 100 signatures")
	}
	killed.Store(true)
	srv.crash(t)
	wg.Wait()
	mu.Lock()
	acked := slices.Clone(acks)
	mu.Unlock()
	if next.Load() >= int64(len(signers)) {
		t.Logf("every signer had been sent before the kill: %d acknowledged", len(acked))
	}

	srv = startServer(t, bin, "--data", data)
	// Each acknowledged signature is there: signing again answers it.
	for _, a := range acked {
		status, ans, err := signOver(t.Context(), client, srv.url, camp.ID, signers[a.signer])
		if err != nil || status != http.StatusOK || ans != a.answer {
			t.Errorf("signer %d after the crash: %d %+v %v, acknowledged as %+v", a.signer, status, ans, err, a.answer)
		}
	}
	srv.crash(t)

	// The database, as the restarted server left it.
	keys, _, err := keyring.Load(func(string) string { return "" }, filepath.Join(data, "netra.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), p.db, store.WithKeyring(keys))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var sigs []*netra.PledgeSignature
	for _, sg := range signers {
		ctx := netra.WithActor(context.Background(), &netra.Actor{UserID: sg.userID, EmployeeID: sg.employeeID, Label: "user:test",
			Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: city.ID, TenantCode: city.Code, TenantPath: city.Path()}}})
		sig, err := s.MyPledge(ctx, camp.ID)
		if errors.Is(err, netra.ErrNotFound) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		sigs = append(sigs, sig)
	}
	if len(sigs) < len(acked) {
		t.Fatalf("%d signatures after the crash, %d acknowledged", len(sigs), len(acked))
	}
	ctx := context.Background()
	logName := netra.PledgeLogName(city.Code)
	n, err := s.LogSize(ctx, logName)
	if err != nil || n != int64(len(sigs)) {
		t.Fatalf("the pledge log holds %d records for %d signatures (%v)", n, len(sigs), err)
	}
	slices.SortFunc(sigs, func(a, b *netra.PledgeSignature) int { return int(a.LeafIndex - b.LeafIndex) })
	var tree signlog.Builder
	codes := map[string]bool{}
	for i, sig := range sigs {
		if sig.LeafIndex != int64(i) {
			t.Fatalf("leaf index %d at position %d: a record twice or missing", sig.LeafIndex, i)
		}
		h, err := tlog.ParseHash(sig.RecordHash)
		if err != nil {
			t.Fatal(err)
		}
		tree.Add(h)
		if codes[sig.Code] {
			t.Errorf("code %s twice", sig.Code)
		}
		codes[sig.Code] = true
		if v, err := s.VerifyPledgeCode(ctx, sig.Code); err != nil || v.Status != netra.PledgeValid {
			t.Errorf("code %s after the crash: %+v %v", sig.Code, v, err)
		}
	}
	if root, err := s.LogRoot(ctx, logName, n); err != nil || root != tree.Root() {
		t.Errorf("the stored tree is not the tree of the signatures' records: %v", err)
	}
	if p, _, err := s.VerifyAudit(ctx, nil); err != nil || p != nil {
		t.Errorf("audit chain after the crash: %+v %v", p, err)
	}
	// One audit entry per signature, naming it.
	audited := map[string]int{}
	for f := (netra.AuditFilter{Action: "pledge.sign", Limit: 100}); ; {
		es, err := s.AuditEntries(sys, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			audited[e.ObjectID]++
		}
		if len(es) < f.Limit {
			break
		}
		f.BeforeSeq = es[len(es)-1].Seq
	}
	for _, sig := range sigs {
		if audited[fmt.Sprint(sig.ID)] != 1 {
			t.Errorf("signature %d has %d pledge.sign audit entries", sig.ID, audited[fmt.Sprint(sig.ID)])
		}
	}
	if len(audited) != len(sigs) {
		t.Errorf("%d signatures audited, %d made", len(audited), len(sigs))
	}
	t.Logf("%d acknowledged before the kill, %d signed in all", len(acked), len(sigs))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if out := runBin(t, bin, "audit", "verify", "--data", data); !bytes.HasPrefix([]byte(out), []byte("audit log OK")) {
		t.Errorf("audit verify after the crash printed %q", out)
	}
}
