package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// bulkEntries returns the bulk audit entries, newest first, with their
// summaries decoded.
func bulkEntries(t *testing.T, s *store.Store) []map[string]any {
	t.Helper()
	es, err := s.BulkOperations(sys(), netra.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range es {
		var m map[string]any
		if err := json.Unmarshal([]byte(e.Summary), &m); err != nil {
			t.Fatal(err)
		}
		m["_actor"], m["_tenant"] = e.ActorLabel, float64(e.TenantID)
		out = append(out, m)
	}
	return out
}

// TestBulkMoveAndStatus: a bulk move and a bulk status change apply to every
// selected employee in one audited operation with a count, and leave a
// history row on each changed record; already-matching rows are counted as
// unchanged.
func TestBulkMoveAndStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		smp := mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SMP", "Bidang SMP", netra.UnitBidang)
		a := mustEmployee(t, s, w.bidSD.ID, "198609262015051001", "Ani")
		b := mustEmployee(t, s, w.setda.ID, "198609262015051002", "Bima")
		c := mustEmployee(t, s, smp.ID, "198609262015051003", "Cici")
		city := asUser(7001, netra.RoleTenantAdmin, w.city, nil)

		res, err := s.BulkMoveEmployees(city, store.EmployeeSelection{IDs: []int64{a.ID, b.ID, c.ID, a.ID}}, smp.ID)
		if err != nil || res != (store.BulkResult{Selected: 3, Changed: 2, Unchanged: 1}) {
			t.Fatalf("bulk move: %+v, %v", res, err)
		}
		for _, e := range []*netra.Employee{a, b, c} {
			got, err := s.Employee(sys(), e.ID)
			if err != nil || got.UnitID != smp.ID {
				t.Errorf("%s in unit %d after the move, %v", e.Name, got.UnitID, err)
			}
		}
		h, err := s.EmployeeHistory(sys(), b.ID)
		if err != nil || len(h) == 0 || h[0].Source != "bulk" || h[0].Actor != "user:u7001" || fmt.Sprint(h[0].Changes["unit_id"].To) != fmt.Sprint(smp.ID) {
			t.Errorf("Bima's history after the move: %+v, %v", h, err)
		}
		if h, _ := s.EmployeeHistory(sys(), c.ID); len(h) != 0 {
			t.Errorf("Cici was already there but got history %+v", h)
		}
		es := bulkEntries(t, s)
		if len(es) != 1 || es[0]["op"] != "move" || es[0]["count"] != 2.0 || es[0]["selected"] != 3.0 ||
			es[0]["unit"] != "Bidang SMP" || es[0]["_actor"] != "user:u7001" || es[0]["_tenant"] != float64(w.city.ID) || len(es[0]["ids"].([]any)) != 3 {
			t.Errorf("bulk move audited as %+v", es)
		}

		// All matching a filter: the Dinas Pendidikan subtree.
		res, err = s.BulkSetStatus(city, store.EmployeeSelection{Filter: &netra.EmployeeFilter{TenantID: w.city.ID, UnitID: w.disdik.ID}}, netra.StatusCLTN)
		if err != nil || res.Changed != 3 {
			t.Fatalf("bulk status: %+v, %v", res, err)
		}
		if got, _ := s.Employee(sys(), a.ID); got.Status != netra.StatusCLTN {
			t.Errorf("Ani's status %s", got.Status)
		}
		es = bulkEntries(t, s)
		f, _ := es[0]["filter"].(map[string]any)
		if len(es) != 2 || es[0]["op"] != "status" || es[0]["status"] != "cltn" || es[0]["count"] != 3.0 || f["unit_id"] != float64(w.disdik.ID) || es[0]["ids"] != nil {
			t.Errorf("bulk status audited as %+v", es[0])
		}
		if _, err := s.BulkSetStatus(city, store.EmployeeSelection{IDs: []int64{a.ID}}, "nope"); err == nil {
			t.Error("an unknown status was accepted")
		}
		if _, err := s.BulkSetStatus(city, store.EmployeeSelection{Filter: &netra.EmployeeFilter{TenantID: w.city.ID, Search: "zzzz"}}, netra.StatusActive); err == nil {
			t.Error("an empty selection was accepted")
		}
	})
}

// TestBulkRefusesOutsideScope: a selection that holds one employee the actor
// may not change is refused whole, with the count, and changes nothing: a
// unit admin with a row of another unit, a province admin with the city's
// staff (it oversees them, it does not write them), a verifier at all, a
// super admin moving staff to another government's unit.
func TestBulkRefusesOutsideScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		a := mustEmployee(t, s, w.bidSD.ID, "198609262015051001", "Ani")
		b := mustEmployee(t, s, w.setda.ID, "198609262015051002", "Bima")
		super := sys()
		cases := []struct {
			name string
			ctx  any
			run  func() (store.BulkResult, error)
			want string
		}{
			{"unit admin, a row of SETDA", nil, func() (store.BulkResult, error) {
				return s.BulkSetStatus(asUser(7101, netra.RoleTenantAdmin, w.city, w.disdik), store.EmployeeSelection{IDs: []int64{a.ID, b.ID}}, netra.StatusCLTN)
			}, "1 dari 2 pegawai"},
			{"province admin, the city's staff by filter", nil, func() (store.BulkResult, error) {
				return s.BulkMoveEmployees(asUser(7102, netra.RoleTenantAdmin, w.prov, nil), store.EmployeeSelection{Filter: &netra.EmployeeFilter{TenantID: w.city.ID}}, w.setda.ID)
			}, "tidak ditemukan atau di luar wewenang"},
			{"province admin, status of the city's staff", nil, func() (store.BulkResult, error) {
				return s.BulkSetStatus(asUser(7102, netra.RoleTenantAdmin, w.prov, nil), store.EmployeeSelection{Filter: &netra.EmployeeFilter{TenantID: w.city.ID}}, netra.StatusCLTN)
			}, "2 dari 2 pegawai"},
			{"super admin, to another government", nil, func() (store.BulkResult, error) {
				return s.BulkMoveEmployees(super, store.EmployeeSelection{IDs: []int64{a.ID}}, w.otherUnit.ID)
			}, "bukan pegawai instansi unit tujuan"},
			{"unit admin, an id it cannot read", nil, func() (store.BulkResult, error) {
				return s.BulkSetStatus(asUser(7101, netra.RoleTenantAdmin, w.city, w.disdik), store.EmployeeSelection{IDs: []int64{a.ID, 99999}}, netra.StatusCLTN)
			}, "1 dari 2 pegawai"},
		}
		for _, c := range cases {
			_, err := c.run()
			v, ok := netra.AsValidation(err)
			if !ok || !strings.Contains(fmt.Sprint(v.Fields), c.want) && !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want a refusal saying %q", c.name, err, c.want)
			}
		}
		if _, err := s.BulkSetStatus(asUser(7103, netra.RoleVerifier, w.city, nil), store.EmployeeSelection{IDs: []int64{a.ID}}, netra.StatusCLTN); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("verifier bulk-changes: %v", err)
		}
		for _, e := range []*netra.Employee{a, b} {
			got, _ := s.Employee(sys(), e.ID)
			if got.Status != netra.StatusActive || got.UnitID != e.UnitID {
				t.Errorf("%s changed by a refused operation: %+v", e.Name, got)
			}
			if h, _ := s.EmployeeHistory(sys(), e.ID); len(h) != 0 {
				t.Errorf("%s has history from a refused operation", e.Name)
			}
		}
		if es := bulkEntries(t, s); len(es) != 0 {
			t.Errorf("refused operations audited: %+v", es)
		}
	})
}

// TestBulkAllMatchingSpansChunks: "all matching" over more employees than
// one chunk changes each once and audits one operation.
func TestBulkAllMatchingSpansChunks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		const n = 1203
		for i := 0; i < n; i++ {
			mustEmployee(t, s, w.bidSD.ID, fmt.Sprintf("1986%02d%02d2015051%03d", 1+i%12, 1+i%28, 1+i%999), fmt.Sprintf("Pegawai %04d", i))
		}
		mustEmployee(t, s, w.setda.ID, "198709262015052001", "Pegawai Setda")
		city := asUser(7201, netra.RoleTenantAdmin, w.city, nil)
		res, err := s.BulkSetStatus(city, store.EmployeeSelection{Filter: &netra.EmployeeFilter{TenantID: w.city.ID, UnitID: w.bidSD.ID}}, netra.StatusStudyLeave)
		if err != nil || res.Changed != n || res.Selected != n {
			t.Fatalf("bulk over %d: %+v, %v", n, res, err)
		}
		if k, _, _ := s.CountEmployees(sys(), netra.EmployeeFilter{TenantID: w.city.ID, Status: netra.StatusStudyLeave}); k != n {
			t.Errorf("%d on study leave, want %d", k, n)
		}
		if es := bulkEntries(t, s); len(es) != 1 || es[0]["count"] != float64(n) {
			t.Errorf("audited as %+v", es)
		}
		// The export iterator reads them all too, as one audited list read.
		var got int
		k, err := s.EachEmployee(city, netra.EmployeeFilter{TenantID: w.city.ID}, "csv", func(e *netra.Employee, code string) error {
			got++
			if e.UnitID == w.bidSD.ID && code != "DISDIK.SD" {
				t.Fatalf("unit code %q", code)
			}
			return nil
		})
		if err != nil || k != n+1 || got != n+1 {
			t.Errorf("EachEmployee: %d (%d), %v", k, got, err)
		}
		es, _ := s.AuditEntries(sys(), netra.AuditFilter{Action: "employee.list"})
		if len(es) != 1 || !strings.Contains(es[0].Summary, fmt.Sprintf(`"count":%d`, n+1)) || !strings.Contains(es[0].Summary, `"via":"csv"`) {
			t.Errorf("export audited as %+v", es)
		}
	})
}
