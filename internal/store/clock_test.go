package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// The store reads the time only from its clock: audit entries and queued
// jobs carry the clock's time, and moving it moves them.
func TestStoreUsesItsClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		start := time.Date(2024, 2, 14, 1, 0, 0, 0, time.UTC) // Pemilu 2024, 08.00 WIB
		c := netra.NewManualClock(start)
		s.SetClock(c)
		mustWorld(t, s)
		es, err := s.AuditEntries(netra.WithActor(ctx, netra.System("test")), netra.AuditFilter{Limit: 1})
		if err != nil || len(es) != 1 {
			t.Fatalf("audit entries: %v %v", es, err)
		}
		if !es[0].At.Equal(start) {
			t.Fatalf("audit entry at %v, want the clock's %v", es[0].At, start)
		}
		later := c.Advance(36 * time.Hour)
		if err := s.EnqueueJob(ctx, &store.Job{Kind: "test.clock"}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ClaimJobs(ctx, "w", []string{"test.clock"}, 1, time.Minute); err != nil || len(got) != 1 || !got[0].RunAt.Equal(later) {
			t.Fatalf("claimed %+v (%v), want one job due at %v", got, err, later)
		}

	})
}
