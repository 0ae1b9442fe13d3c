package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestPledgeCampaignsForMe: an employee sees their government's open
// campaigns whose duty targets them (not one for another unit) with their
// status (not yet, signed, revoked), a closed campaign only once they signed
// it, never a draft or another government's; their
// newest signature and its certificate data follow revocation; an operator
// looks a signature up only within their units.
func TestPledgeCampaignsForMe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		budi, siti := employeeCtx(w.budi, w.city), employeeCtx(w.siti, w.city)
		draft := &netra.PledgeCampaign{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 1, ElectionID: 2,
			Title: "Draf", Opens: pledgeOpens, Closes: pledgeCloses}
		if err := s.CreatePledgeCampaign(sys(), draft); err != nil {
			t.Fatal(err)
		}
		short := &netra.PledgeCampaign{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 1, ElectionID: 2,
			Title: "Singkat", Opens: pledgeOpens, Closes: pledgeStart.Add(24 * time.Hour)}
		if err := s.CreatePledgeCampaign(sys(), short); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LaunchPledgeCampaign(sys(), short.ID); err != nil {
			t.Fatal(err)
		}
		mustCampaign(t, s, w.other, mustTarakanTemplate(t, s, w))
		// A campaign for Dinas Pendidikan alone: its duty targets Siti, not Budi.
		schools := &netra.PledgeCampaign{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 1, ElectionID: 2,
			Title: "Dinas Pendidikan", Opens: pledgeOpens, Closes: pledgeCloses,
			Target: netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: w.disdik.ID}}}}
		if err := s.CreatePledgeCampaign(sys(), schools); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LaunchPledgeCampaign(sys(), schools.ID); err != nil {
			t.Fatal(err)
		}

		got, err := s.PledgeCampaignsForMe(budi)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Campaign.ID != short.ID || got[1].Campaign.ID != w.camp.ID || !got[0].Open || got[0].Signature != nil {
			t.Fatalf("budi's campaigns: %+v", got)
		}
		sig, err := s.SignPledge(budi, short.ID, "Budi Santoso")
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Set(pledgeStart.Add(48 * time.Hour)) // the short campaign has closed
		got, err = s.PledgeCampaignsForMe(budi)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Campaign.ID != w.camp.ID || got[1].Campaign.ID != short.ID || got[1].Open || !got[1].Signed() ||
			got[1].Signature.ID != sig.ID {
			t.Fatalf("after signing and closing: %+v", got)
		}
		// Siti did not sign the closed one: she sees the open ones that target her.
		if got, err := s.PledgeCampaignsForMe(siti); err != nil || len(got) != 2 || got[0].Campaign.ID != w.camp.ID ||
			got[1].Campaign.ID != schools.ID {
			t.Fatalf("siti's campaigns: %+v %v", got, err)
		}
		// An administrator has no campaigns of their own.
		if _, err := s.PledgeCampaignsForMe(sys()); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("the system actor: %v", err)
		}

		// Revoked: the newest signature is the revoked one until she signs again.
		one, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RevokePledge(sys(), one.ID, "Ditandatangani keliru"); err != nil {
			t.Fatal(err)
		}
		p, err := s.MyLatestPledge(siti, w.camp.ID)
		if err != nil || p.ID != one.ID || !p.Revoked() {
			t.Fatalf("latest after revoking: %+v %v", p, err)
		}
		c, err := s.MyPledgeCertificate(siti, w.camp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Revocation == nil || c.Revocation.Reason != "Ditandatangani keliru" || c.RevokedBy != "test" ||
			c.Record.NIP != w.siti.NIP || c.Text.SHA256 != c.Record.TextSHA256 || c.Bundle.Code != netra.FormatPledgeCode(one.Code) {
			t.Fatalf("certificate of a revoked signature: %+v", c)
		}
		two, err := s.SignPledge(siti, w.camp.ID, "Siti Aminah")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := s.MyLatestPledge(siti, w.camp.ID); err != nil || p.ID != two.ID || p.Revoked() {
			t.Fatalf("latest after signing again: %+v %v", p, err)
		}
		if got, err := s.PledgeCampaignsForMe(siti); err != nil || got[0].Signature.ID != two.ID {
			t.Fatalf("the list keeps the live signature: %+v %v", got, err)
		}
		if _, err := s.MyLatestPledge(budi, w.camp.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("budi never signed the long campaign: %v", err)
		}
		if r, err := s.PledgeRevocationOf(siti, one.ID); err != nil || r.Reason != "Ditandatangani keliru" {
			t.Errorf("her own revocation: %+v %v", r, err)
		}
		if _, err := s.PledgeRevocationOf(budi, one.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("budi reads siti's revocation: %v", err)
		}

		// Operators: a unit admin of Dinas Pendidikan finds Siti's, not Budi's.
		disdik := as(s, t, netra.RoleTenantAdmin, w.city, w.disdik)
		if p, err := s.PledgeSignatureOf(disdik, w.camp.ID, w.siti.ID); err != nil || p.ID != two.ID {
			t.Errorf("disdik looks up siti: %+v %v", p, err)
		}
		if _, err := s.PledgeSignatureOf(disdik, short.ID, w.budi.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("disdik looks up budi (Setda): %v", err)
		}
		if _, err := s.PledgeCertificate(disdik, sig.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("disdik prints budi's certificate: %v", err)
		}
		if _, err := s.PledgeCertificate(siti, sig.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("siti prints budi's certificate: %v", err)
		}
		if n := auditCount(t, s, "pledge_signature.list"); n < 4 {
			t.Errorf("%d audited list reads, want one per call", n)
		}
	})
}

// mustTarakanTemplate gives Tarakan its shipped texts and returns the first.
func mustTarakanTemplate(t *testing.T, s *store.Store, w *pledgeWorld) *netra.PledgeTemplate {
	t.Helper()
	tpls, err := s.InstallShippedPledges(sys(), w.other.ID)
	if err != nil {
		t.Fatal(err)
	}
	return &tpls[0]
}
