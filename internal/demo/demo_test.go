package demo_test

import (
	"context"
	"io"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/demo"
	"github.com/netra-id/netra/internal/imports"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

func TestDemoLoadsOnceAndAgainChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		b, err := blob.OpenDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		r := &imports.Runner{Store: s, Blobs: b}
		res, err := demo.Load(ctx, s, r, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || res.Employees < 5000 || res.EmployeeNIP == "" {
			t.Fatalf("first load: %+v", res)
		}
		sys := netra.WithActor(ctx, netra.System("test"))
		before, _, err := s.VerifyAudit(sys, nil)
		if err != nil || before != nil {
			t.Fatalf("audit after demo: %v %v", before, err)
		}
		_, n1, _ := s.VerifyAudit(sys, nil)
		res2, err := demo.Load(ctx, s, r, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		_, n2, _ := s.VerifyAudit(sys, nil)
		if res2.Created || n2 != n1 {
			t.Fatalf("second load changed something: created=%v audit entries %d → %d", res2.Created, n1, n2)
		}
		// Real places: Palangka Raya's kecamatan are in its tree.
		city, err := s.TenantByCode(sys, "62.71")
		if err != nil {
			t.Fatal(err)
		}
		units, err := s.Units(sys, netra.UnitFilter{TenantID: city.ID, Search: "Pahandut"})
		if err != nil || len(units) == 0 {
			t.Fatalf("Kecamatan Pahandut missing: %v %v", units, err)
		}
		// Every demo account exists with its role.
		for _, a := range demo.Accounts {
			u, err := s.LoginUser(ctx, a.Username)
			if err != nil || len(u.Grants) != 1 || u.Grants[0].Role != a.Role || !u.TOTPEnabled {
				t.Fatalf("account %s: %+v %v", a.Username, u, err)
			}
		}
	})
}
