package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/netra-id/netra/internal/signlog"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestLogEndpointsLetAnOutsiderCheckTheLog: with only what the public URLs
// serve, a reader checks two checkpoints' signatures and that the newer log
// extends the older one.
func TestLogEndpointsLetAnOutsiderCheckTheLog(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ctx := context.Background()
	if w := e.anon().get("/log/audit/checkpoint"); w.Code != http.StatusNotFound {
		t.Fatalf("checkpoint before any was made: %d", w.Code)
	}
	old, err := e.st.MakeCheckpoint(ctx, store.AuditLog)
	must(t, err)
	e.tenant("65.72", "Kabupaten Uji")
	if _, err := e.st.MakeCheckpoint(ctx, store.AuditLog); err != nil {
		t.Fatal(err)
	}
	key := e.anon().get("/log/audit/key")
	cp := e.anon().get("/log/audit/checkpoint")
	if key.Code != 200 || cp.Code != 200 {
		t.Fatalf("key %d, checkpoint %d", key.Code, cp.Code)
	}
	latest, _, err := signlog.Open(cp.Body.Bytes(), strings.Fields(key.Body.String())...)
	if err != nil || latest.Size <= old.Size {
		t.Fatalf("published checkpoint %+v: %v", latest, err)
	}
	w := e.anon().get(fmt.Sprintf("/log/audit/proof?old=%d&new=%d", old.Size, latest.Size))
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
		t.Fatalf("consistency proof does not check: %v", err)
	}
	if w := e.anon().get("/log/audit/proof?old=5&new=999999"); w.Code != http.StatusBadRequest && w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("proof beyond the log: %d", w.Code)
	}
}
