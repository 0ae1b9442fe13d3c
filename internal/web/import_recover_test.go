package web

import (
	"context"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestInterruptedImportPage checks that the page of an import a stopped
// server left behind says what happened and what to do.
func TestInterruptedImportPage(t *testing.T) {
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ctx := netra.WithActor(context.Background(), actorFor(e.users["admin"], "127.0.0.1"))
	im, err := e.runner.Submit(ctx, e.palangka.ID, "roster.csv", strings.NewReader(sampleRoster))
	must(t, err)
	_, err = e.st.NewImporter(ctx, im) // started, then the server was killed: no worker holds the job
	must(t, err)
	n, err := e.runner.RecoverInterrupted(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("recovered %d, %v", n, err)
	}
	wantBody(t, e.as("admin").get("/impor/"+id(im.ID)), 200, "Impor terhenti karena server berhenti; unggah ulang berkas.")
}
