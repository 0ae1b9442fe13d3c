package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// dutyNIP returns a valid PNS NIP, different for each i (up to 215,000).
func dutyNIP(i int) string {
	return fmt.Sprintf("1980%02d%02d200501%d%03d", 1+(i/(999*18))%12, 10+(i/999)%18, 1+i%2, 1+i%999)
}

// staff adds an employee with the given types and status to a unit.
func staff(t *testing.T, s *store.Store, unit *netra.OrgUnit, i int, typ netra.EmploymentType, pos netra.PositionType, st netra.EmployeeStatus) *netra.Employee {
	t.Helper()
	e := &netra.Employee{NIP: dutyNIP(i), Name: fmt.Sprintf("Pegawai %03d", i), Type: typ, Golongan: "III/a",
		PositionType: pos, UnitID: unit.ID, Status: st, Email: fmt.Sprintf("p%d@palangkaraya.go.id", i)}
	if typ == netra.NonASN {
		e.NIP, e.Golongan = fmt.Sprintf("627101%02d0990%04d", 10+i%18, 1+i%9999), ""
	}
	if err := s.CreateEmployee(sys(), e); err != nil {
		t.Fatalf("create employee %d: %v", i, err)
	}
	return e
}

// checkDuty fails the test when a duty's counts differ from a recount.
func checkDuty(t *testing.T, s *store.Store, step string, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		diff, err := store.DutyCheckForTest(s, id)
		if err != nil {
			t.Fatalf("%s: check duty %d: %v", step, id, err)
		}
		if diff != "" {
			t.Fatalf("%s: duty %d differs from a recount:\n%s", step, id, diff)
		}
	}
}

func newDuty(tenant *netra.Tenant, target netra.DutyTarget) *netra.Duty {
	return &netra.Duty{TenantID: tenant.ID, Kind: netra.DutyPledge, Title: "Ikrar Netralitas ASN Pilkada 2024", Link: "/ikrar/1",
		DueAt: time.Now().Add(30 * 24 * time.Hour), Target: target}
}

func mustLaunch(t *testing.T, s *store.Store, ctx context.Context, d *netra.Duty) int64 {
	t.Helper()
	if err := s.CreateDuty(ctx, d); err != nil {
		t.Fatalf("create duty: %v", err)
	}
	n, err := s.LaunchDuty(ctx, d.ID)
	if err != nil {
		t.Fatalf("launch duty: %v", err)
	}
	return n
}

// asEmployee is the context of an employee signed in for themself.
func asEmployee(e *netra.Employee) context.Context {
	return netra.WithActor(context.Background(), &netra.Actor{UserID: 5000 + e.ID, EmployeeID: e.ID, Label: "user:pegawai",
		Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: e.TenantID}}})
}

func coverage(t *testing.T, v *store.DutyCoverageView) string {
	t.Helper()
	out := fmt.Sprintf("%s %d/%d/%d", v.Node.Name, v.Node.Targeted, v.Node.Done, v.Node.Excused)
	for _, c := range v.Children {
		out += fmt.Sprintf(" | %s %d/%d/%d", c.Name, c.Targeted, c.Done, c.Excused)
	}
	return out
}

// TestDutyLaunch: a target expands to the in-service employees of its
// units' subtrees (or the unit alone, or whole governments) of the chosen
// types; the coverage of every node is there at once; every target gets a
// notice, and the e-mails and reminders are queued. A duty with no target,
// or a target outside the actor's reach, is refused.
func TestDutyLaunch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		smp := mustUnit(t, s, w.city.ID, w.disdik.ID, "DISDIK.SMP", "Bidang SMP", netra.UnitBidang)
		e1 := staff(t, s, w.bidSD, 1, netra.PNS, netra.Pelaksana, netra.StatusActive)
		e2 := staff(t, s, smp, 2, netra.CPNS, netra.Fungsional, netra.StatusActive)
		e3 := staff(t, s, w.disdik, 3, netra.PNS, netra.Pengawas, netra.StatusCLTN) // on leave: still in service
		staff(t, s, w.bidSD, 4, netra.PNS, netra.Pelaksana, netra.StatusRetired)    // not in service
		staff(t, s, w.bidSD, 5, netra.NonASN, netra.Pelaksana, netra.StatusActive)  // not of the chosen types
		e6 := staff(t, s, w.setda, 6, netra.PNS, netra.Administrator, netra.StatusActive)
		staff(t, s, w.otherUnit, 7, netra.PNS, netra.Pelaksana, netra.StatusActive) // another government
		admin := asUser(7001, netra.RoleTenantAdmin, w.city, nil)

		// Refused: no target; a unit of another government; a unit admin
		// naming a unit outside their subtree or a whole government.
		bad := newDuty(w.city, netra.DutyTarget{})
		if _, ok := netra.AsValidation(s.CreateDuty(admin, bad)); !ok {
			t.Fatal("a duty with no target was accepted")
		}
		for name, c := range map[string]struct {
			ctx    context.Context
			target netra.DutyTarget
		}{
			"other government's unit":    {admin, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.otherUnit.ID}}}},
			"unit outside the subtree":   {asUser(7002, netra.RoleTenantAdmin, w.city, w.setda), netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}}}},
			"government by a unit admin": {asUser(7002, netra.RoleTenantAdmin, w.city, w.setda), netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.city.ID}}}},
			"government above":           {admin, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.prov.ID}}}},
		} {
			if err := s.CreateDuty(c.ctx, newDuty(w.city, c.target)); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
		if err := s.CreateDuty(asUser(7003, netra.RoleLeader, w.city, nil), newDuty(w.city, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}}})); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a leader created a duty: %v", err)
		}

		d := newDuty(w.city, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}},
			EmploymentTypes: []netra.EmploymentType{netra.PNS, netra.CPNS}})
		d.Reminders = []int{7, 3, 1}
		if n := mustLaunch(t, s, admin, d); n != 3 {
			t.Fatalf("launch reached %d, want 3", n)
		}
		checkDuty(t, s, "launch", d.ID)
		if _, err := s.LaunchDuty(admin, d.ID); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("second launch: %v", err)
		}
		v, err := s.DutyCoverage(admin, d.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := coverage(t, v), "Kota Palangka Raya 3/0/0 | Dinas Pendidikan 3/0/0"; got != want {
			t.Errorf("government coverage %q, want %q", got, want)
		}
		if len(v.ByType) != 2 || v.ByType[0].EmploymentType != netra.PNS || v.ByType[0].Targeted != 2 || v.ByType[1].Targeted != 1 {
			t.Errorf("by type %+v", v.ByType)
		}
		if len(v.ByPosition) != 3 {
			t.Errorf("by position %+v", v.ByPosition)
		}
		v, err = s.DutyCoverage(admin, d.ID, w.disdik.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := coverage(t, v), "Dinas Pendidikan 3/0/0 | Bidang SD 1/0/0 | Bidang SMP 1/0/0"; got != want {
			t.Errorf("unit coverage %q, want %q", got, want)
		}
		if v, err := s.DutyCoverage(admin, d.ID, w.setda.ID); err != nil || v.Node.Targeted != 0 {
			t.Errorf("an untargeted unit: %+v %v", v, err)
		}
		// Each target has the duty and a notice; the others have neither.
		for _, e := range []*netra.Employee{e1, e2, e3} {
			ds, err := s.MyDuties(asEmployee(e))
			if err != nil || len(ds) != 1 || ds[0].Duty.ID != d.ID || ds[0].Status != netra.AssigneePending {
				t.Errorf("%s's duties: %+v %v", e.Name, ds, err)
			}
			ns, unread, err := s.Inbox(asEmployee(e), 0)
			if err != nil || unread != 1 || len(ns) != 1 || ns[0].Kind != "pledge.open" || ns[0].Link != "/ikrar/1" {
				t.Errorf("%s's inbox: %+v %d %v", e.Name, ns, unread, err)
			}
		}
		if ds, _ := s.MyDuties(asEmployee(e6)); len(ds) != 0 {
			t.Errorf("an employee outside the target has %+v", ds)
		}
		if ns, unread, _ := s.Inbox(asEmployee(e6), 0); len(ns) != 0 || unread != 0 {
			t.Errorf("an employee outside the target has notices %+v", ns)
		}
		// The first batch of e-mails and the three reminders wait.
		if queued, _, _, err := s.JobCounts(context.Background()); err != nil || queued != 4 {
			t.Errorf("queued jobs %d, want 4 (one e-mail batch, three reminders): %v", queued, err)
		}

		// The unit alone; and a whole government with those below it.
		exact := newDuty(w.city, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID, Exact: true}}})
		if n := mustLaunch(t, s, admin, exact); n != 1 {
			t.Errorf("the unit alone reached %d, want 1", n)
		}
		prov := newDuty(w.prov, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.prov.ID, Below: true}}})
		prov.Kind = netra.DutyCircular
		if n := mustLaunch(t, s, asUser(7004, netra.RoleTenantAdmin, w.prov, nil), prov); n != 5 {
			t.Errorf("the province and below reached %d, want 5", n)
		}
		checkDuty(t, s, "other launches", exact.ID, prov.ID)
		v, err = s.DutyCoverage(asUser(7005, netra.RoleLeader, w.prov, nil), prov.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := coverage(t, v), "Provinsi Kalimantan Tengah 5/0/0 | Kota Palangka Raya 5/0/0"; got != want {
			t.Errorf("province coverage %q, want %q", got, want)
		}
		if v, err := s.DutyGovernmentCoverage(asUser(7006, netra.RoleLeader, w.city, nil), prov.ID, w.city.ID); err != nil || v.Node.Targeted != 5 {
			t.Errorf("the city's part of the province's duty, for the city's leader: %+v %v", v, err)
		}
		// The province's circular is listed beside the city's pledge, the
		// pledge (due first) first; the unit-alone duty is not e1's.
		ds, _ := s.MyDuties(asEmployee(e1))
		if len(ds) != 2 || ds[0].Duty.ID != d.ID || ds[1].Duty.ID != prov.ID {
			t.Errorf("e1's duties: %+v", ds)
		}
	})
}

// TestDutyDoneBatch: a batch of done employees moves the counters once per
// employee, idempotently; an excused employee who does it counts as done;
// undoing puts them back to pending; a closed duty is frozen.
func TestDutyDoneBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		var es []*netra.Employee
		for i := range 6 {
			u := w.bidSD
			if i%2 == 1 {
				u = w.setda
			}
			es = append(es, staff(t, s, u, i, netra.PNS, netra.Pelaksana, netra.StatusActive))
		}
		outside := staff(t, s, w.otherUnit, 9, netra.PNS, netra.Pelaksana, netra.StatusActive)
		admin := asUser(7001, netra.RoleTenantAdmin, w.city, nil)
		d := newDuty(w.city, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.city.ID}}})
		mustLaunch(t, s, admin, d)

		got, err := store.DutyDoneForTest(sys(), s, d.ID, es[0].ID, es[1].ID, es[0].ID, outside.ID, 999999)
		if err != nil || !slices.Equal(got, []int64{es[0].ID, es[1].ID}) {
			t.Fatalf("first batch changed %v, %v", got, err)
		}
		checkDuty(t, s, "first batch", d.ID)
		if got, err := store.DutyDoneForTest(sys(), s, d.ID, es[0].ID, es[1].ID); err != nil || len(got) != 0 {
			t.Fatalf("the same batch again changed %v, %v", got, err)
		}
		if err := s.ExcuseDuty(admin, d.ID, es[2].ID, "Tugas belajar di luar negeri"); err != nil {
			t.Fatal(err)
		}
		got, err = store.DutyDoneForTest(sys(), s, d.ID, es[1].ID, es[2].ID, es[3].ID)
		if err != nil || !slices.Equal(got, []int64{es[2].ID, es[3].ID}) {
			t.Fatalf("second batch changed %v, %v", got, err)
		}
		checkDuty(t, s, "second batch", d.ID)
		v, err := s.DutyCoverage(admin, d.ID, 0)
		if err != nil || v.Node.Targeted != 6 || v.Node.Done != 4 || v.Node.Excused != 0 {
			t.Fatalf("coverage after two batches: %+v %v", v.Node, err)
		}
		if ds, _ := s.MyDuties(asEmployee(es[0])); len(ds) != 1 || ds[0].Status != netra.AssigneeDone || ds[0].DoneAt.IsZero() {
			t.Errorf("a done employee's duty: %+v", ds)
		}
		if err := store.DutyUndoneForTest(sys(), s, d.ID, es[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := store.DutyUndoneForTest(sys(), s, d.ID, es[4].ID); err != nil { // never did it: nothing
			t.Fatal(err)
		}
		checkDuty(t, s, "undone", d.ID)
		if v, _ := s.DutyCoverage(admin, d.ID, w.bidSD.ID); v.Node.Targeted != 3 || v.Node.Done != 1 {
			t.Errorf("Bidang SD after the undo: %+v", v.Node)
		}
		// Closing freezes the counts.
		if err := s.CloseDuty(admin, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.DutyDoneForTest(sys(), s, d.ID, es[4].ID); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("done on a closed duty: %v", err)
		}
		if err := store.DutyUndoneForTest(sys(), s, d.ID, es[1].ID); err != nil {
			t.Fatal(err)
		}
		if st, _, _, _ := store.DutyRowForTest(s, d.ID, es[1].ID); st != "done" {
			t.Errorf("an undo on a closed duty changed the record: %s", st)
		}
		e := &netra.Employee{NIP: dutyNIP(50), Name: "Pegawai Baru", Type: netra.PNS, Golongan: "III/a", PositionType: netra.Pelaksana, UnitID: w.bidSD.ID}
		if err := s.CreateEmployee(sys(), e); err != nil {
			t.Fatal(err)
		}
		if _, _, _, ok := store.DutyRowForTest(s, d.ID, e.ID); ok {
			t.Error("a closed duty took in a new employee")
		}
		checkDuty(t, s, "closed", d.ID)
		if v, _ := s.DutyCoverage(admin, d.ID, 0); v.Node.Targeted != 6 || v.Node.Done != 3 {
			t.Errorf("frozen coverage: %+v", v.Node)
		}
		if ds, _ := s.MyDuties(asEmployee(es[4])); len(ds) != 0 {
			t.Errorf("a closed duty is still listed: %+v", ds)
		}
	})
}

// TestDutyExcuse: only duty.manage over the employee's unit excuses, with
// a reason, someone who has not done it; counters follow.
func TestDutyExcuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		a := staff(t, s, w.bidSD, 1, netra.PNS, netra.Pelaksana, netra.StatusActive)
		b := staff(t, s, w.setda, 2, netra.PNS, netra.Pelaksana, netra.StatusActive)
		admin := asUser(7001, netra.RoleTenantAdmin, w.city, nil)
		d := newDuty(w.city, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.city.ID}}})
		mustLaunch(t, s, admin, d)
		if _, ok := netra.AsValidation(s.ExcuseDuty(admin, d.ID, a.ID, "   ")); !ok {
			t.Error("an excuse without a reason was accepted")
		}
		if err := s.ExcuseDuty(asUser(7002, netra.RoleTenantAdmin, w.city, w.setda), d.ID, a.ID, "Cuti"); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("a Setda admin excused a Disdik employee: %v", err)
		}
		if err := s.ExcuseDuty(asUser(7003, netra.RoleLeader, w.city, nil), d.ID, a.ID, "Cuti"); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a leader excused: %v", err)
		}
		if err := s.ExcuseDuty(asUser(7004, netra.RoleTenantAdmin, w.other, nil), d.ID, a.ID, "Cuti"); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another government's admin excused: %v", err)
		}
		if err := s.ExcuseDuty(asUser(7002, netra.RoleTenantAdmin, w.city, w.disdik), d.ID, a.ID, "Cuti melahirkan"); err != nil {
			t.Fatal(err)
		}
		if err := s.ExcuseDuty(admin, d.ID, a.ID, "Cuti melahirkan"); err != nil { // the same again: nothing
			t.Fatal(err)
		}
		checkDuty(t, s, "excused", d.ID)
		if _, err := store.DutyDoneForTest(sys(), s, d.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := netra.AsValidation(s.ExcuseDuty(admin, d.ID, b.ID, "Cuti")); !ok {
			t.Error("an employee who did it was excused")
		}
		v, err := s.DutyCoverage(admin, d.ID, 0)
		if err != nil || v.Node.Targeted != 2 || v.Node.Done != 1 || v.Node.Excused != 1 || v.Node.Percent() != 100 {
			t.Fatalf("coverage %+v %v", v.Node, err)
		}
		ds, _ := s.MyDuties(asEmployee(a))
		if len(ds) != 1 || ds[0].Status != netra.AssigneeExcused || ds[0].Reason != "Cuti melahirkan" {
			t.Errorf("the excused employee's duty: %+v", ds)
		}
		es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "duty.excuse"})
		if err != nil || len(es) != 1 {
			t.Errorf("excuse audit entries: %d %v", len(es), err)
		}
	})
}

// TestDutyCoverageScope: a city's leader reads its coverage, a province's
// leader too (oversight), a unit-limited leader their unit only, another
// city's leader and an employee nothing.
func TestDutyCoverageScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		staff(t, s, w.bidSD, 1, netra.PNS, netra.Pelaksana, netra.StatusActive)
		e := staff(t, s, w.setda, 2, netra.PNS, netra.Pelaksana, netra.StatusActive)
		admin := asUser(7001, netra.RoleTenantAdmin, w.city, nil)
		d := newDuty(w.city, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.city.ID}}})
		mustLaunch(t, s, admin, d)
		for name, c := range map[string]struct {
			ctx  context.Context
			unit int64
			want string // the node's name, or the error
		}{
			"city leader":                 {asUser(1, netra.RoleLeader, w.city, nil), 0, "Kota Palangka Raya"},
			"city auditor, a unit":        {asUser(2, netra.RoleAuditor, w.city, nil), w.disdik.ID, "Dinas Pendidikan"},
			"province leader":             {asUser(3, netra.RoleLeader, w.prov, nil), 0, "Kota Palangka Raya"},
			"national leader":             {asUser(4, netra.RoleLeader, w.nat, nil), w.bidSD.ID, "Bidang SD"},
			"unit leader, default":        {asUser(5, netra.RoleLeader, w.city, w.disdik), 0, "Dinas Pendidikan"},
			"unit leader, below":          {asUser(5, netra.RoleLeader, w.city, w.disdik), w.bidSD.ID, "Bidang SD"},
			"unit leader, other unit":     {asUser(5, netra.RoleLeader, w.city, w.disdik), w.setda.ID, "forbidden"},
			"other city's leader":         {asUser(6, netra.RoleLeader, w.other, nil), 0, "not found"},
			"other city's leader, a unit": {asUser(6, netra.RoleLeader, w.other, nil), w.otherUnit.ID, "not found"},
			"employee":                    {asEmployee(e), 0, "forbidden"},
			"verifier (no duty.read)":     {asUser(7, netra.RoleVerifier, w.city, nil), 0, "forbidden"},
		} {
			v, err := s.DutyCoverage(c.ctx, d.ID, c.unit)
			got := ""
			switch {
			case errors.Is(err, netra.ErrForbidden):
				got = "forbidden"
			case errors.Is(err, netra.ErrNotFound):
				got = "not found"
			case err != nil:
				t.Fatalf("%s: %v", name, err)
			default:
				got = v.Node.Name
			}
			if got != c.want {
				t.Errorf("%s: %s, want %s", name, got, c.want)
			}
		}
		if _, err := s.DutyPending(asEmployee(e), d.ID, 0, 0, 10); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("an employee read who has not signed: %v", err)
		}
		if _, err := s.MyDuties(admin); !errors.Is(err, netra.ErrForbidden) {
			t.Errorf("a staff user without an employee record: %v", err)
		}
	})
}

// TestDutyPendingPages: the list of who has not done it walks a subtree in
// keyset pages, leaves out those who did it or were excused, and every page
// that lists anyone is an audited read.
func TestDutyPendingPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		var in []int64
		for i := range 9 {
			e := staff(t, s, w.bidSD, i, netra.PNS, netra.Pelaksana, netra.StatusActive)
			in = append(in, e.ID)
		}
		staff(t, s, w.setda, 20, netra.PNS, netra.Pelaksana, netra.StatusActive)
		admin := asUser(7001, netra.RoleTenantAdmin, w.city, nil)
		d := newDuty(w.city, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.city.ID}}})
		mustLaunch(t, s, admin, d)
		if _, err := store.DutyDoneForTest(sys(), s, d.ID, in[1]); err != nil {
			t.Fatal(err)
		}
		if err := s.ExcuseDuty(admin, d.ID, in[4], "Sakit"); err != nil {
			t.Fatal(err)
		}
		leader := asUser(7002, netra.RoleLeader, w.city, nil)
		var seen []int64
		after, pages := int64(0), 0
		for {
			page, err := s.DutyPending(leader, d.ID, w.disdik.ID, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			pages++
			for _, a := range page {
				if a.Status != netra.AssigneePending || a.UnitName != "Bidang SD" || a.NIP == "" {
					t.Errorf("row %+v", a)
				}
				seen = append(seen, a.EmployeeID)
			}
			after = page[len(page)-1].EmployeeID
		}
		want := slices.DeleteFunc(slices.Clone(in), func(id int64) bool { return id == in[1] || id == in[4] })
		if !slices.Equal(seen, want) || pages != 3 {
			t.Errorf("pending %v in %d pages, want %v in 3", seen, pages, want)
		}
		all, err := s.DutyPending(leader, d.ID, 0, 0, 0)
		if err != nil || len(all) != 8 {
			t.Errorf("the whole government: %d %v", len(all), err)
		}
		es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "duty_assignee.list"})
		if err != nil || len(es) != 4 {
			t.Errorf("audited pending reads: %d, want 4 (%v)", len(es), err)
		}
	})
}

// TestDutyReminders: a reminder adds one notice per person still pending,
// however often it runs and whether two run at once; a reminder no longer
// on the schedule, or of a closed duty, sends nothing.
func TestDutyReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		var es []*netra.Employee
		for i := range 5 {
			es = append(es, staff(t, s, w.bidSD, i, netra.PNS, netra.Pelaksana, netra.StatusActive))
		}
		admin := asUser(7001, netra.RoleTenantAdmin, w.city, nil)
		d := newDuty(w.city, netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}}})
		d.Kind, d.Reminders = netra.DutyCircular, []int{7, 3}
		mustLaunch(t, s, admin, d)
		if _, err := store.DutyDoneForTest(sys(), s, d.ID, es[0].ID); err != nil {
			t.Fatal(err)
		}
		on := func(days int) string {
			return d.DueAt.Add(-time.Duration(days) * 24 * time.Hour).UTC().Format(time.DateOnly)
		}
		n, err := s.RemindDuty(sys(), d.ID, 7, on(7))
		if err != nil || n != 4 {
			t.Fatalf("first reminder: %d %v", n, err)
		}
		if n, err := s.RemindDuty(sys(), d.ID, 7, on(7)); err != nil || n != 0 {
			t.Fatalf("the same reminder again: %d %v", n, err)
		}
		// Two workers at once with the next reminder: one notice each.
		var wg sync.WaitGroup
		res := make([]int64, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i], errs[i] = s.RemindDuty(sys(), d.ID, 3, on(3))
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || res[0]+res[1] != 4 {
			t.Fatalf("two workers: %v %v", res, errs)
		}
		for _, e := range es[1:] {
			ns, unread, err := s.Inbox(asEmployee(e), 0)
			if err != nil || len(ns) != 3 || unread != 3 || ns[0].Kind != "circular.remind" || ns[1].Kind != "circular.remind" {
				t.Errorf("%s's inbox: %+v %v", e.Name, ns, err)
			}
		}
		if ns, _, _ := s.Inbox(asEmployee(es[0]), 0); len(ns) != 1 {
			t.Errorf("the one who did it was reminded: %+v", ns)
		}
		// Off the schedule, or the wrong date: nothing.
		for _, c := range []struct {
			days int
			on   string
		}{{1, on(1)}, {3, on(7)}} {
			if n, err := s.RemindDuty(sys(), d.ID, c.days, c.on); err != nil || n != 0 {
				t.Errorf("reminder %d on %s: %d %v", c.days, c.on, n, err)
			}
		}
		if err := s.SetDutyReminders(admin, d.ID, []int{1}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RemindDuty(sys(), d.ID, 1, on(1)); err != nil || n != 4 {
			t.Errorf("a reminder added to the schedule: %d %v", n, err)
		}
		if err := s.CloseDuty(admin, d.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDutyReminders(admin, d.ID, []int{2}); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("reminders of a closed duty: %v", err)
		}
		if n, err := s.RemindDuty(sys(), d.ID, 1, on(1)); err != nil || n != 0 {
			t.Errorf("a closed duty's reminder: %d %v", n, err)
		}
		// Marking read: one, then all; another's notice is not found.
		ns, _, _ := s.Inbox(asEmployee(es[1]), 0)
		if _, err := s.MarkNoticeRead(asEmployee(es[2]), ns[0].ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("read another's notice: %v", err)
		}
		if n, err := s.MarkNoticeRead(asEmployee(es[1]), ns[0].ID); err != nil || !n.Read() {
			t.Fatalf("mark read: %+v %v", n, err)
		}
		if _, unread, _ := s.Inbox(asEmployee(es[1]), 0); unread != 3 {
			t.Errorf("unread after one read: %d", unread)
		}
		if n, err := s.MarkAllNoticesRead(asEmployee(es[1])); err != nil || n != 3 {
			t.Errorf("mark all read: %d %v", n, err)
		}
		if _, unread, _ := s.Inbox(asEmployee(es[1]), 0); unread != 0 {
			t.Errorf("unread after all read: %d", unread)
		}
	})
}

// TestDutyThousands launches a province's duty over a few thousand
// generated employees in two governments and a tree of units, and checks
// its totals against a recount, before and after a batch of done.
func TestDutyThousands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		regency := mustTenant(t, s, "62.01", "Kabupaten Kotawaringin Barat")
		var rows [2][]store.ImportRow
		var units [2][]*netra.OrgUnit
		codes := map[*netra.OrgUnit]string{}
		for g, ten := range []*netra.Tenant{w.city, regency} {
			for i := range 4 {
				dinas := mustUnit(t, s, ten.ID, 0, fmt.Sprintf("D%d", i), fmt.Sprintf("Dinas %d", i), netra.UnitDinas)
				codes[dinas] = dinas.Code
				units[g] = append(units[g], dinas)
				for j := range 3 {
					b := mustUnit(t, s, ten.ID, dinas.ID, fmt.Sprintf("D%d.B%d", i, j), fmt.Sprintf("Bidang %d.%d", i, j), netra.UnitBidang)
					codes[b] = b.Code
					units[g] = append(units[g], b)
				}
			}
		}
		types := []netra.EmploymentType{netra.PNS, netra.PNS, netra.CPNS}
		positions := []netra.PositionType{netra.Pelaksana, netra.Fungsional, netra.Pengawas, netra.Pelaksana}
		statuses := []netra.EmployeeStatus{netra.StatusActive, netra.StatusActive, netra.StatusActive, netra.StatusActive,
			netra.StatusActive, netra.StatusActive, netra.StatusActive, netra.StatusCLTN, netra.StatusRetired}
		const n = 3000
		inService := 0
		for i := range n {
			g := i % 2
			u := units[g][i%len(units[g])]
			e := netra.Employee{NIP: dutyNIP(i), Name: fmt.Sprintf("Pegawai %04d", i), Type: types[i%3], Golongan: "III/a",
				PositionType: positions[i%4], UnitID: u.ID, Status: statuses[i%9]}
			if err := e.Validate(time.Now()); err != nil {
				t.Fatal(err)
			}
			if e.Status.InService() {
				inService++
			}
			rows[g] = append(rows[g], store.ImportRow{Employee: e, UnitCode: codes[u]})
		}
		importRows(t, s, w.city, rows[0]...)
		importRows(t, s, regency, rows[1]...)
		admin := asUser(7001, netra.RoleTenantAdmin, w.prov, nil)
		d := newDuty(w.prov, netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: w.prov.ID, Below: true}}})
		if got := mustLaunch(t, s, admin, d); got != int64(inService) {
			t.Fatalf("launch reached %d, want %d", got, inService)
		}
		checkDuty(t, s, "launch", d.ID)
		v, err := s.DutyCoverage(admin, d.ID, 0)
		if err != nil || v.Node.Targeted != int64(inService) || len(v.Children) != 2 {
			t.Fatalf("province coverage %+v %v", v, err)
		}
		if v.Children[0].Targeted+v.Children[1].Targeted != int64(inService) {
			t.Errorf("the governments do not add up: %+v", v.Children)
		}
		var sum int64
		for _, c := range v.ByType {
			sum += c.Targeted
		}
		if sum != int64(inService) {
			t.Errorf("the types add up to %d", sum)
		}
		// A thousand sign at once, across both governments.
		var ids []int64
		for _, a := range pendingAll(t, s, admin, d.ID) {
			if len(ids) < 1000 {
				ids = append(ids, a.EmployeeID)
			}
		}
		got, err := store.DutyDoneForTest(sys(), s, d.ID, ids...)
		if err != nil || len(got) != 1000 {
			t.Fatalf("a batch of 1000: %d %v", len(got), err)
		}
		checkDuty(t, s, "batch of 1000", d.ID)
		if v, _ := s.DutyCoverage(admin, d.ID, 0); v.Node.Done != 1000 {
			t.Errorf("done %d after the batch", v.Node.Done)
		}
	})
}

// pendingAll reads every pending assignee of a duty's government.
func pendingAll(t *testing.T, s *store.Store, ctx context.Context, dutyID int64) []store.DutyAssignee {
	t.Helper()
	var out []store.DutyAssignee
	after := int64(0)
	for {
		page, err := s.DutyPending(ctx, dutyID, 0, after, store.DutyPendingLimit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		out = append(out, page...)
		after = page[len(page)-1].EmployeeID
	}
}
