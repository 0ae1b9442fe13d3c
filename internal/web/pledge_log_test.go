package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestPledgeLogEndpoints: with only what /log/ikrar/{tenant}/… serves, an
// outsider checks a certificate's bundle and that the government's pledge
// log only grew.
func TestPledgeLogEndpoints(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	e.clock = time.Date(2024, 9, 10, 3, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for _, u := range []string{"/log/ikrar/62.71/checkpoint", "/log/ikrar/62.71/key", "/log/ikrar/bukan-kode/key", "/log/ikrar/99.99/checkpoint"} {
		if w := e.anon().get(u); w.Code != http.StatusNotFound {
			t.Errorf("%s before any pledge: %d", u, w.Code)
		}
	}
	tpls, err := e.st.InstallShippedPledges(sys, e.palangka.ID)
	must(t, err)
	c := &netra.PledgeCampaign{TenantID: e.palangka.ID, TemplateID: tpls[1].ID, TemplateVersion: 1, ElectionID: 2,
		Title: "Ikrar Netralitas Pilkada 2024", Opens: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2024, 11, 27, 0, 0, 0, 0, time.UTC)}
	must(t, e.st.CreatePledgeCampaign(sys, c))
	_, err = e.st.LaunchPledgeCampaign(sys, c.ID)
	must(t, err)
	siti := netra.WithActor(ctx, actorFor(e.users["pegawai"], "127.0.0.1"))
	sig, err := e.st.SignPledge(siti, c.ID, "Siti Aminah")
	must(t, err)
	bundle, err := e.st.PledgeBundle(siti, sig.ID)
	must(t, err)

	key := e.anon().get("/log/ikrar/62.71/key")
	cp := e.anon().get("/log/ikrar/62.71/checkpoint")
	if key.Code != 200 || cp.Code != 200 || !strings.HasPrefix(key.Body.String(), "netra/pledge/62.71+") {
		t.Fatalf("key %d %q, checkpoint %d", key.Code, key.Body, cp.Code)
	}
	keys := strings.Fields(key.Body.String())
	check, err := signlog.VerifyPledgeBundle(bundle, keys, cp.Body.Bytes(), netra.PledgeClaim{NIP: e.employees["guru"].NIP})
	if err != nil || check.Record.Name != "Siti Aminah" {
		t.Fatalf("the bundle against the published checkpoint: %v", err)
	}
	if strings.Contains(cp.Body.String()+key.Body.String(), e.employees["guru"].NIP) {
		t.Fatal("the public log shows a NIP")
	}
	old, _, err := signlog.Open(cp.Body.Bytes(), keys...)
	must(t, err)

	// A second signature; the log grows and its proof shows it only grew.
	u, _, err := e.st.EmployeeLogin(ctx, e.employees["smp"].NIP)
	must(t, err)
	budi := netra.WithActor(ctx, actorFor(u, "127.0.0.1"))
	sig2, err := e.st.SignPledge(budi, c.ID, "Budi Santoso")
	must(t, err)
	if _, err := e.st.PledgeBundle(budi, sig2.ID); err != nil {
		t.Fatal(err)
	}
	latest, _, err := signlog.Open(e.anon().get("/log/ikrar/62.71/checkpoint").Body.Bytes(), keys...)
	if err != nil || latest.Size != old.Size+1 {
		t.Fatalf("newer checkpoint %+v %v", latest, err)
	}
	w := e.anon().get(fmt.Sprintf("/log/ikrar/62.71/proof?old=%d&new=%d", old.Size, latest.Size))
	if w.Code != 200 {
		t.Fatalf("proof: %d %s", w.Code, w.Body)
	}
	var proof tlog.TreeProof
	for _, l := range strings.Fields(w.Body.String()) {
		h, err := tlog.ParseHash(l)
		must(t, err)
		proof = append(proof, h)
	}
	if err := signlog.CheckConsistency(proof, latest.Size, latest.Hash, old.Size, old.Hash); err != nil {
		t.Fatalf("consistency: %v", err)
	}
	if w := e.anon().get("/log/ikrar/62.71/proof?old=x"); w.Code != http.StatusBadRequest && w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a bad proof request: %d", w.Code)
	}
}
