package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestDutyFollowsPeople runs every path that changes an employee's unit,
// government, status or types while three duties are open (a city's, over
// one dinas; a province's, over itself and the governments below; another
// city's, over itself), and after each checks the property: every duty's
// counted targets are exactly who its target reaches now, where they are
// now, and its coverage equals a recount. It also checks the rule's edges:
// a status is carried by a move, kept on record by one who leaves, and
// counted again when they come back.
func TestDutyFollowsPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		smp := mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SMP", "Bidang SMP", netra.UnitBidang)
		a := staff(t, s, w.bidSD, 1, netra.PNS, netra.Pelaksana, netra.StatusActive)
		b := staff(t, s, smp, 2, netra.PNS, netra.Pelaksana, netra.StatusActive)
		c := staff(t, s, w.setda, 3, netra.PNS, netra.Pelaksana, netra.StatusActive)
		f := staff(t, s, w.bidSD, 4, netra.PNS, netra.Pelaksana, netra.StatusActive)
		staff(t, s, w.otherUnit, 5, netra.PNS, netra.Pelaksana, netra.StatusActive)
		city := newDuty(w.city, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}}})
		mustLaunch(t, s, asUser(7001, netra.RoleTenantAdmin, w.city, nil), city)
		prov := newDuty(w.prov, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.prov.ID, Below: true}}})
		prov.Kind = netra.DutyCircular
		mustLaunch(t, s, asUser(7002, netra.RoleTenantAdmin, w.prov, nil), prov)
		tarakan := newDuty(w.other, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.other.ID}}})
		tarakan.Kind = netra.DutySession
		mustLaunch(t, s, asUser(7003, netra.RoleTenantAdmin, w.other, nil), tarakan)
		check := func(step string) { t.Helper(); checkDuty(t, s, step, city.ID, prov.ID, tarakan.ID) }
		check("launch")
		row := func(e *netra.Employee) (string, bool, int64) {
			t.Helper()
			st, counted, unit, ok := store.DutyRowForTest(s, city.ID, e.ID)
			if !ok {
				return "", false, 0
			}
			return st, counted, unit
		}
		update := func(e *netra.Employee, up store.EmployeeUpdate) {
			t.Helper()
			if _, err := s.UpdateEmployee(sys(), e.ID, up); err != nil {
				t.Fatal(err)
			}
		}
		unit := func(u *netra.OrgUnit) store.EmployeeUpdate { return store.EmployeeUpdate{UnitID: &u.ID} }
		status := func(st netra.EmployeeStatus) store.EmployeeUpdate { return store.EmployeeUpdate{Status: &st} }

		if _, err := store.DutyDoneForTest(sys(), s, city.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		// A move within the target carries the status.
		update(a, unit(smp))
		check("edit: move within the target")
		if st, counted, u := row(a); st != "done" || !counted || u != smp.ID {
			t.Errorf("a after the move: %s %v %d", st, counted, u)
		}
		// A move out of it: left, the signature on record, out of the list.
		update(a, unit(w.setda))
		check("edit: move out of the target")
		if st, counted, u := row(a); st != "done" || counted || u != smp.ID {
			t.Errorf("a after leaving: %s %v %d", st, counted, u)
		}
		if ds, _ := s.MyDuties(asEmployee(a)); len(ds) != 1 || ds[0].Duty.ID != prov.ID {
			t.Errorf("a's duties after leaving the city's target: %+v", ds)
		}
		// A move into it: pending, and the duty in the inbox.
		update(c, unit(w.bidSD))
		check("edit: move into the target")
		if st, counted, _ := row(c); st != "pending" || !counted {
			t.Errorf("c after joining: %s %v", st, counted)
		}
		if ns, _, _ := s.Inbox(asEmployee(c), 0); len(ns) != 2 || ns[0].Kind != "pledge.open" {
			t.Errorf("c's inbox after joining: %+v", ns)
		}
		// Out of service and back.
		update(b, status(netra.StatusRetired))
		check("edit: retired")
		if _, counted, _ := row(b); counted {
			t.Error("a retired employee is still counted")
		}
		update(b, status(netra.StatusActive))
		check("edit: back in service")
		if st, counted, _ := row(b); st != "pending" || !counted {
			t.Errorf("b back in service: %s %v", st, counted)
		}
		// Another employment and position type: the breakdowns move.
		cpns, fung := netra.CPNS, netra.Fungsional
		update(b, store.EmployeeUpdate{Type: &cpns, PositionType: &fung})
		check("edit: types")
		// A new employee joins every duty that reaches them.
		g := staff(t, s, smp, 6, netra.PNS, netra.Pelaksana, netra.StatusActive)
		check("create")
		if ds, _ := s.MyDuties(asEmployee(g)); len(ds) != 2 {
			t.Errorf("a new employee's duties: %+v", ds)
		}

		// Bulk: a comes back (counted again, still done), f leaves service.
		if _, err := s.BulkMoveEmployees(sys(), store.EmployeeSelection{IDs: []int64{a.ID, c.ID}}, w.bidSD.ID); err != nil {
			t.Fatal(err)
		}
		check("bulk move")
		if st, counted, u := row(a); st != "done" || !counted || u != w.bidSD.ID {
			t.Errorf("a back in the target: %s %v %d", st, counted, u)
		}
		if _, err := s.BulkSetStatus(sys(), store.EmployeeSelection{IDs: []int64{f.ID}}, netra.StatusDeceased); err != nil {
			t.Fatal(err)
		}
		check("bulk status")

		// Import: a new row joins, a stored one moves out.
		h := netra.Employee{NIP: dutyNIP(7), Name: "Pegawai Impor", Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: smp.ID}
		moved := *a
		moved.ID, moved.UnitID = 0, w.setda.ID
		for _, e := range []*netra.Employee{&h, &moved} {
			if err := e.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		importRows(t, s, w.city, store.ImportRow{Employee: h, UnitCode: smp.Code}, store.ImportRow{Employee: moved, UnitCode: "SETDA"})
		check("import")
		if _, counted, _ := row(a); counted {
			t.Error("an import moved a out of the target, yet a is counted")
		}
		hh := findOne(t, s, h.NIP)
		if st, counted, _ := row(&hh); st != "pending" || !counted {
			t.Errorf("the imported employee: %s %v", st, counted)
		}
		// A batch of new rows only (on PostgreSQL the plain COPY path).
		k := netra.Employee{NIP: dutyNIP(8), Name: "Pegawai Salin", Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: w.bidSD.ID}
		if err := k.Validate(time.Now()); err != nil {
			t.Fatal(err)
		}
		importRows(t, s, w.city, store.ImportRow{Employee: k, UnitCode: w.bidSD.Code})
		check("import of new rows")
		if kk := findOne(t, s, k.NIP); !func() bool { _, counted, _ := row(&kk); return counted }() {
			t.Error("a newly imported employee is not counted")
		}

		// A confirmed transfer to Tarakan: out of the city's and the
		// province's duties, into Tarakan's.
		gone := *g
		gone.ID, gone.UnitID = 0, w.otherUnit.ID
		if err := gone.Validate(time.Now()); err != nil {
			t.Fatal(err)
		}
		importRows(t, s, w.other, store.ImportRow{Employee: gone, UnitCode: "SETDA"})
		check("pending transfer")
		out, err := s.Transfers(sys(), w.city.ID, false, store.TransferPending)
		if err != nil || len(out) != 1 {
			t.Fatalf("pending transfers: %+v %v", out, err)
		}
		if err := s.ConfirmTransfer(sys(), out[0].ID); err != nil {
			t.Fatal(err)
		}
		check("transfer")
		if ds, _ := s.MyDuties(asEmployee(g)); len(ds) != 1 || ds[0].Duty.ID != tarakan.ID {
			t.Errorf("the transferred employee's duties: %+v", ds)
		}

		// Units move: Bidang SMP out from under the dinas (its people leave
		// the city's duty), back (they return with their status), and
		// Bidang SD below Bidang SMP (the totals move up the tree).
		if _, err := store.DutyDoneForTest(sys(), s, city.ID, hh.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveUnit(sys(), smp.ID, 0); err != nil {
			t.Fatal(err)
		}
		check("unit moved out of the target")
		if _, counted, _ := row(&hh); counted {
			t.Error("an employee of a unit moved out of the target is still counted")
		}
		if err := s.MoveUnit(sys(), smp.ID, w.disdik.ID); err != nil {
			t.Fatal(err)
		}
		check("unit moved back")
		if st, counted, _ := row(&hh); st != "done" || !counted {
			t.Errorf("back with the unit: %s %v", st, counted)
		}
		if err := s.MoveUnit(sys(), w.bidSD.ID, smp.ID); err != nil {
			t.Fatal(err)
		}
		check("unit moved within the target")
		v, err := s.DutyCoverage(sys(), city.ID, smp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Children) != 1 || v.Children[0].UnitID != w.bidSD.ID {
			t.Errorf("Bidang SMP's children after the move: %+v", v.Children)
		}
	})
}

// TestDutyConcurrentCounts signs in concurrent batches while employees and
// units move underneath (on PostgreSQL these are concurrent transactions),
// and checks that the counts still equal a recount at the end.
func TestDutyConcurrentCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		smp := mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SMP", "Bidang SMP", netra.UnitBidang)
		var ids []int64
		for i := range 120 {
			u := []*netra.OrgUnit{w.bidSD, smp, w.setda}[i%3]
			ids = append(ids, staff(t, s, u, i, netra.PNS, netra.Pelaksana, netra.StatusActive).ID)
		}
		d := newDuty(w.city, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}, {UnitID: w.setda.ID}}})
		mustLaunch(t, s, asUser(7001, netra.RoleTenantAdmin, w.city, nil), d)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := 0; b < 3; b++ {
					var batch []int64
					for i := g*30 + b*10; i < g*30+b*10+10; i++ {
						batch = append(batch, ids[i])
					}
					if _, err := store.DutyDoneForTest(sys(), s, d.ID, batch...); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 12; i++ {
				to := []*netra.OrgUnit{smp, w.setda, w.bidSD}[i%3]
				if _, err := s.UpdateEmployee(sys(), ids[i*7], store.EmployeeUpdate{UnitID: &to.ID}); err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				parent := []int64{0, w.disdik.ID}[i%2]
				if err := s.MoveUnit(sys(), smp.ID, parent); err != nil {
					errs <- err
				}
			}
		}()
		// A bulk move (counts before it audits), and a second duty launched
		// while people move.
		second := newDuty(w.city, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.city.ID}}})
		if err := s.CreateDuty(sys(), second); err != nil {
			t.Fatal(err)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				to := []int64{w.setda.ID, w.bidSD.ID, smp.ID}[i]
				if _, err := s.BulkMoveEmployees(sys(), store.EmployeeSelection{IDs: ids[100+i*5 : 105+i*5]}, to); err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			if _, err := s.LaunchDuty(sys(), second.ID); err != nil {
				errs <- err
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		checkDuty(t, s, "concurrent", d.ID, second.ID)
	})
}
