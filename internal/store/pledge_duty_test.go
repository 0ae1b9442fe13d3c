package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/blob"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestPledgeCampaignIsADuty: a campaign's target, statuses and coverage are
// its duty's. Launching reaches the government's in-service employees;
// signing online and on paper counts them done, at once, in the coverage
// of their unit and of every unit above; revoking counts them pending
// again; the employee sees the campaign among their duties.
func TestPledgeCampaignIsADuty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		if w.camp.DutyID == 0 {
			t.Fatal("the campaign has no duty")
		}
		leader := as(s, t, netra.RoleLeader, w.city, nil)
		cov := func(what string, targeted, done int64) {
			t.Helper()
			v, err := s.DutyGovernmentCoverage(leader, w.camp.DutyID, w.city.ID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Node.Targeted != targeted || v.Node.Done != done {
				t.Fatalf("%s: coverage %d/%d, want %d/%d", what, v.Node.Done, v.Node.Targeted, done, targeted)
			}
			if diff, err := store.DutyCheckForTest(s, w.camp.DutyID); err != nil || diff != "" {
				t.Fatalf("%s: coverage differs from a recount: %s %v", what, diff, err)
			}
		}
		// Budi and Siti are the city's employees; Rina works in Tarakan.
		cov("launched", 2, 0)
		mine, err := s.MyDuties(employeeCtx(w.budi, w.city))
		if err != nil || len(mine) != 1 || mine[0].Duty.RefID != w.camp.ID || mine[0].Duty.Link == "" {
			t.Fatalf("Budi's duties: %+v %v", mine, err)
		}
		sig, err := s.SignPledge(employeeCtx(w.budi, w.city), w.camp.ID, "Budi Santoso")
		if err != nil {
			t.Fatal(err)
		}
		cov("Budi signed", 2, 1)
		if _, err := s.SignPledge(employeeCtx(w.budi, w.city), w.camp.ID, "budi  santoso"); err != nil {
			t.Fatal(err)
		}
		cov("Budi signed again", 2, 1)
		v, err := s.DutyCoverage(leader, w.camp.DutyID, w.disdik.ID)
		if err != nil || v.Node.Targeted != 1 || v.Node.Done != 0 {
			t.Fatalf("Dinas Pendidikan (Siti, below it): %+v %v", v, err)
		}

		blobs, err := blob.OpenDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		scan := mustScan(t, blobs, "%PDF-1.4 ikrar Siti")
		admin := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		if _, err := s.RecordPaperPledge(admin, w.camp.ID, w.siti.ID, scan, time.Date(2024, 9, 9, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		cov("Siti's paper pledge", 2, 2)
		if v, err := s.DutyCoverage(leader, w.camp.DutyID, w.disdik.ID); err != nil || v.Node.Done != 1 {
			t.Fatalf("Dinas Pendidikan after the paper pledge: %+v %v", v, err)
		}
		if _, err := s.RevokePledge(admin, sig.ID, "Ditandatangani karena keliru"); err != nil {
			t.Fatal(err)
		}
		cov("Budi's signature revoked", 2, 1)

		// At 06:30 WIB on 11 September it is still the 10th in UTC: a paper
		// signed "today" (the 11th, as the form gives it) is not in the future.
		w.clock.Set(time.Date(2024, 9, 10, 23, 30, 0, 0, time.UTC))
		if _, err := s.RecordPaperPledge(admin, w.camp.ID, w.budi.ID, scan, time.Date(2024, 9, 11, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatalf("a paper signed today, early in the morning in WIB: %v", err)
		}
		cov("Budi's paper pledge", 2, 2)
	})
}

// TestPledgeSignsOnlyItsTarget: a campaign for Dinas Pendidikan takes the
// signature of its employee (Siti, in a unit below it) and refuses one of
// the Secretariat, with nothing stored and nothing counted.
func TestPledgeSignsOnlyItsTarget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		c := &netra.PledgeCampaign{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: w.tpl.Latest.Version, ElectionID: 2,
			Title: "Ikrar Dinas Pendidikan", Opens: pledgeOpens, Closes: pledgeCloses,
			Target: netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}}}}
		if err := s.CreatePledgeCampaign(sys(), c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LaunchPledgeCampaign(sys(), c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignPledge(employeeCtx(w.budi, w.city), c.ID, "Budi Santoso"); !errors.Is(err, netra.ErrForbidden) {
			t.Fatalf("Budi (Secretariat) signed Dinas Pendidikan's pledge: %v", err)
		}
		if sig, err := s.MyPledge(employeeCtx(w.budi, w.city), c.ID); err == nil && sig != nil {
			t.Fatalf("a refused signature was stored: %+v", sig)
		}
		// Nor does an operator record Budi's paper pledge for it.
		blobs, err := blob.OpenDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		admin := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		if _, err := s.RecordPaperPledge(admin, c.ID, w.budi.ID, mustScan(t, blobs, "%PDF-1.4 ikrar Budi"), time.Date(2024, 9, 9, 0, 0, 0, 0, time.UTC)); err == nil {
			t.Fatal("a paper pledge was recorded for an employee outside the campaign's target")
		}
		if _, err := s.SignPledge(employeeCtx(w.siti, w.city), c.ID, "Siti Aminah"); err != nil {
			t.Fatalf("Siti (Bidang SD, under Dinas Pendidikan): %v", err)
		}
		v, err := s.DutyGovernmentCoverage(as(s, t, netra.RoleLeader, w.city, nil), c.DutyID, w.city.ID)
		if err != nil || v.Node.Targeted != 1 || v.Node.Done != 1 {
			t.Fatalf("coverage %+v %v, want 1 of 1", v, err)
		}
	})
}
