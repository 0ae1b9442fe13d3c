package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// pledgeStart is the store clock's time when a pledge world is made: a
// campaign opens on 1 September 2024 and closes on Pilkada day.
var (
	pledgeStart  = time.Date(2024, 9, 10, 3, 0, 0, 0, time.UTC)
	pledgeOpens  = time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	pledgeCloses = time.Date(2024, 11, 27, 0, 0, 0, 0, time.UTC)
)

type pledgeWorld struct {
	*world
	clock      *netra.ManualClock
	tpl        *netra.PledgeTemplate
	camp       *netra.PledgeCampaign
	budi, siti *netra.Employee // Sekretariat Daerah; Bidang SD (Dinas Pendidikan)
	rina       *netra.Employee // Kota Tarakan
}

// employeeCtx returns the context of employee e signed in with their own
// employee account.
func employeeCtx(e *netra.Employee, tenant *netra.Tenant) context.Context {
	return netra.WithActor(context.Background(), &netra.Actor{UserID: 10000 + e.ID, EmployeeID: e.ID, Label: "user:" + e.NIP,
		Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: tenant.ID, TenantCode: tenant.Code, TenantPath: tenant.Path()}}})
}

// mustPledgeWorld makes the world, three employees, the shipped templates
// for the city and a launched campaign of the Tarakan text.
func mustPledgeWorld(t *testing.T, s *store.Store) *pledgeWorld {
	t.Helper()
	w := &pledgeWorld{clock: netra.NewManualClock(pledgeStart)}
	s.SetClock(w.clock)
	w.world = mustWorld(t, s)
	w.budi = mustEmployee(t, s, w.setda.ID, "198609262015051001", "Budi Santoso")
	w.siti = mustEmployee(t, s, w.bidSD.ID, "199001132019032014", "Siti Aminah")
	w.rina = mustEmployee(t, s, w.otherUnit.ID, "198805052012122003", "Rina Wati")
	tpls, err := s.InstallShippedPledges(sys(), w.city.ID)
	if err != nil || len(tpls) != 2 {
		t.Fatalf("shipped pledges: %v %v", tpls, err)
	}
	w.tpl = &tpls[0]
	w.camp = mustCampaign(t, s, w.city, w.tpl)
	return w
}

func mustCampaign(t *testing.T, s *store.Store, tenant *netra.Tenant, tpl *netra.PledgeTemplate) *netra.PledgeCampaign {
	t.Helper()
	c := &netra.PledgeCampaign{TenantID: tenant.ID, TemplateID: tpl.ID, TemplateVersion: tpl.Latest.Version, ElectionID: 2,
		Title: "Ikrar Netralitas Pilkada 2024", Opens: pledgeOpens, Closes: pledgeCloses, ReminderDays: []int{5, 7}}
	if err := s.CreatePledgeCampaign(sys(), c); err != nil {
		t.Fatal(err)
	}
	launched, err := s.LaunchPledgeCampaign(sys(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return launched
}

func auditCount(t *testing.T, s *store.Store, action string) int {
	t.Helper()
	es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestPledgeTemplates: shipped texts install once; a new version is a new
// text with its own hash and the old one stays; only duty.manage on the
// whole government writes them; its employees and its overseers read them.
func TestPledgeTemplates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		again, err := s.InstallShippedPledges(sys(), w.city.ID)
		if err != nil || len(again) != 2 || again[0].ID != w.tpl.ID || again[0].Shipped != "tarakan-2024" {
			t.Fatalf("installing again: %+v %v", again, err)
		}
		if n := auditCount(t, s, "pledge.template.create"); n != 2 {
			t.Fatalf("%d template audit entries", n)
		}
		admin := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		own, err := s.CreatePledgeTemplate(admin, w.city.ID, netra.PledgeText{Title: "Pakta Integritas", Body: "Saya berjanji netral."})
		if err != nil || own.Latest.Version != 1 || own.Latest.SHA256 != netra.PledgeTextHash("Saya berjanji netral.") {
			t.Fatalf("own template %+v %v", own, err)
		}
		v2, err := s.AddPledgeTemplateVersion(admin, own.ID, netra.PledgeText{Title: "Pakta Integritas", Body: "Saya berjanji netral\ndan menolak politik uang."})
		if err != nil || v2.Version != 2 || v2.SHA256 == own.Latest.SHA256 {
			t.Fatalf("version 2 %+v %v", v2, err)
		}
		if _, err := s.AddPledgeTemplateVersion(admin, own.ID, netra.PledgeText{Title: "Pakta Integritas", Body: "Saya berjanji netral\r\ndan menolak politik uang.  "}); err == nil {
			t.Fatal("the same text (line ends aside) made a version 3")
		}
		vs, err := s.PledgeTemplateVersions(admin, own.ID)
		if err != nil || len(vs) != 2 || vs[0].Body != "Saya berjanji netral." || vs[1].Version != 2 {
			t.Fatalf("versions %+v %v", vs, err)
		}
		list, err := s.PledgeTemplates(admin, w.city.ID)
		if err != nil || len(list) != 3 || list[2].Latest.Version != 2 {
			t.Fatalf("templates %+v %v", list, err)
		}

		// Readers: the city's leader (duty.read), the province above it
		// (oversight), the city's employee; not another city's employee.
		for name, ctx := range map[string]context.Context{
			"leader":   as(s, t, netra.RoleLeader, w.city, nil),
			"province": as(s, t, netra.RoleAuditor, w.prov, nil),
			"employee": employeeCtx(w.budi, w.city),
		} {
			if got, err := s.PledgeTemplates(ctx, w.city.ID); err != nil || len(got) != 3 {
				t.Errorf("%s reads templates: %d %v", name, len(got), err)
			}
			if _, err := s.PledgeTemplateText(ctx, own.ID, 1); err != nil {
				t.Errorf("%s reads a text: %v", name, err)
			}
		}
		if _, err := s.PledgeTemplates(employeeCtx(w.rina, w.other), w.city.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another city's employee: %v", err)
		}
		if _, err := s.PledgeTemplateText(employeeCtx(w.rina, w.other), own.ID, 1); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another city's employee reads a text: %v", err)
		}

		// Writers: only duty.manage on the whole city.
		text := netra.PledgeText{Title: "X", Body: "Y"}
		for name, ctx := range map[string]context.Context{
			"employee":      employeeCtx(w.budi, w.city),
			"leader":        as(s, t, netra.RoleLeader, w.city, nil),
			"unit admin":    as(s, t, netra.RoleTenantAdmin, w.city, w.disdik),
			"province":      as(s, t, netra.RoleTenantAdmin, w.prov, nil),
			"another city":  as(s, t, netra.RoleTenantAdmin, w.other, nil),
			"national":      as(s, t, netra.RoleTenantAdmin, w.nat, nil),
			"verifier":      as(s, t, netra.RoleVerifier, w.city, nil),
			"auditor above": as(s, t, netra.RoleAuditor, w.nat, nil),
		} {
			if _, err := s.CreatePledgeTemplate(ctx, w.city.ID, text); !refused(err) {
				t.Errorf("%s created a template: %v", name, err)
			}
			if _, err := s.AddPledgeTemplateVersion(ctx, own.ID, text); !refused(err) {
				t.Errorf("%s published a version: %v", name, err)
			}
			if _, err := s.InstallShippedPledges(ctx, w.city.ID); !refused(err) {
				t.Errorf("%s installed the shipped texts: %v", name, err)
			}
		}
	})
}

// TestPublishedTextsNeverChange: the database itself refuses to change or
// delete a published version, a signature (but for revoking it) or a
// revocation.
func TestPublishedTextsNeverChange(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			url := e.URL(t)
			s := openURL(t, url)
			w := mustPledgeWorld(t, s)
			sig, err := s.SignPledge(employeeCtx(w.budi, w.city), w.camp.ID, "Budi Santoso")
			if err != nil {
				t.Fatal(err)
			}
			db := rawDB(t, url)
			for _, q := range []string{
				`UPDATE pledge_template_versions SET body = 'diubah'`,
				`DELETE FROM pledge_template_versions`,
				`UPDATE pledge_signatures SET record = '{}'`,
				`UPDATE pledge_signatures SET record = '{}', revoked_at = 5`,
				`DELETE FROM pledge_signatures`,
			} {
				if _, err := db.Exec(q); err == nil {
					t.Errorf("%s: allowed", q)
				}
			}
			if _, err := s.RevokePledge(sys(), sig.ID, "uji"); err != nil {
				t.Fatalf("revoking (the one update allowed): %v", err)
			}
			for _, q := range []string{`UPDATE pledge_signatures SET revoked_at = 7`, `UPDATE pledge_revocations SET reason = 'lain'`, `DELETE FROM pledge_revocations`} {
				if _, err := db.Exec(q); err == nil {
					t.Errorf("%s: allowed", q)
				}
			}
		})
	}
}

// TestPledgeCampaigns: a campaign is a draft until launched; it takes one
// of its government's published versions; launching makes the
// government's log and key; only duty.manage on the whole government
// creates and launches one.
func TestPledgeCampaigns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustPledgeWorld(t, s)
		ctx := context.Background()
		if !w.camp.OpenAt(pledgeStart) || w.camp.Status != netra.PledgeCampaignLaunched || w.camp.LaunchedAt.IsZero() {
			t.Fatalf("launched campaign %+v", w.camp)
		}
		got, err := s.PledgeCampaign(employeeCtx(w.budi, w.city), w.camp.ID)
		if err != nil || got.ElectionID != 2 || len(got.ReminderDays) != 2 || got.ReminderDays[1] != 7 || !got.Opens.Equal(pledgeOpens) ||
			got.DutyID == 0 || got.TemplateVersion != 1 {
			t.Fatalf("campaign read back %+v %v", got, err)
		}
		if _, err := s.PledgeCampaign(employeeCtx(w.rina, w.other), w.camp.ID); !errors.Is(err, netra.ErrNotFound) {
			t.Errorf("another city's employee reads the campaign: %v", err)
		}
		name := netra.PledgeLogName("62.71")
		if n, err := s.LogSize(ctx, name); err != nil || n != 0 {
			t.Fatalf("the city's pledge log: %d %v", n, err)
		}
		if keys, err := s.LogVerifierKeys(ctx, name); err != nil || len(keys) != 1 || !strings.HasPrefix(keys[0], "netra/pledge/62.71+") {
			t.Fatalf("the city's pledge key: %v %v", keys, err)
		}
		if _, err := s.LaunchPledgeCampaign(sys(), w.camp.ID); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("launched twice: %v", err)
		}

		// A draft takes no signature.
		draft := &netra.PledgeCampaign{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 1, ElectionID: 3,
			Title: "PSU", Opens: pledgeOpens, Closes: pledgeCloses}
		admin := as(s, t, netra.RoleTenantAdmin, w.city, nil)
		if err := s.CreatePledgeCampaign(admin, draft); err != nil || draft.Status != netra.PledgeCampaignDraft {
			t.Fatalf("draft %+v %v", draft, err)
		}
		if _, err := s.SignPledge(employeeCtx(w.budi, w.city), draft.ID, "Budi Santoso"); !errors.Is(err, netra.ErrConflict) {
			t.Errorf("signed a draft: %v", err)
		}
		list, err := s.PledgeCampaigns(as(s, t, netra.RoleLeader, w.city, nil), w.city.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("campaigns %v %v", list, err)
		}
		// Another government's text, or a version that does not exist.
		otherTpls, err := s.InstallShippedPledges(sys(), w.other.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []netra.PledgeCampaign{
			{TenantID: w.city.ID, TemplateID: otherTpls[0].ID, TemplateVersion: 1, ElectionID: 2, Title: "X", Opens: pledgeOpens, Closes: pledgeCloses},
			{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 9, ElectionID: 2, Title: "X", Opens: pledgeOpens, Closes: pledgeCloses},
			// An election the calendar does not hold.
			{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 1, ElectionID: 999, Title: "X", Opens: pledgeOpens, Closes: pledgeCloses},
		} {
			if err := s.CreatePledgeCampaign(admin, &c); err == nil {
				t.Errorf("campaign with template %d version %d, election %d", c.TemplateID, c.TemplateVersion, c.ElectionID)
			}
		}
		// A campaign whose closing time has passed is refused (its duty's
		// due date is in the past), and nothing is stored.
		before, _ := s.PledgeCampaigns(admin, w.city.ID)
		past := &netra.PledgeCampaign{TenantID: w.city.ID, TemplateID: w.tpl.ID, TemplateVersion: 1, ElectionID: 1,
			Title: "Pemilu 2024", Opens: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2024, 2, 14, 0, 0, 0, 0, time.UTC)}
		if err := s.CreatePledgeCampaign(admin, past); err == nil {
			t.Error("a campaign that closed in February was made in September")
		}
		if after, _ := s.PledgeCampaigns(admin, w.city.ID); len(after) != len(before) {
			t.Errorf("the refused campaign was stored: %d campaigns, were %d", len(after), len(before))
		}
		for name, ctx := range map[string]context.Context{
			"employee":     employeeCtx(w.budi, w.city),
			"unit admin":   as(s, t, netra.RoleTenantAdmin, w.city, w.disdik),
			"province":     as(s, t, netra.RoleTenantAdmin, w.prov, nil),
			"another city": as(s, t, netra.RoleTenantAdmin, w.other, nil),
			"leader":       as(s, t, netra.RoleLeader, w.city, nil),
		} {
			c := *draft
			c.ID = 0
			if err := s.CreatePledgeCampaign(ctx, &c); !refused(err) {
				t.Errorf("%s created a campaign: %v", name, err)
			}
			if _, err := s.LaunchPledgeCampaign(ctx, draft.ID); !refused(err) {
				t.Errorf("%s launched a campaign: %v", name, err)
			}
		}
		if n := auditCount(t, s, "pledge.campaign.launch"); n != 1 {
			t.Errorf("%d launch audit entries", n)
		}
	})
}

// TestFirstKeyOnce: campaigns of a government launched at the same moment
// make one log and one signing key, not one each.
func TestFirstKeyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		s.SetClock(netra.NewManualClock(pledgeStart))
		tpls, err := s.InstallShippedPledges(sys(), w.other.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for range 8 {
			c := &netra.PledgeCampaign{TenantID: w.other.ID, TemplateID: tpls[0].ID, TemplateVersion: 1, ElectionID: 2,
				Title: "Ikrar", Opens: pledgeOpens, Closes: pledgeCloses}
			if err := s.CreatePledgeCampaign(sys(), c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = s.LaunchPledgeCampaign(sys(), id) }()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("launch %d: %v", i, err)
			}
		}
		keys, err := s.LogVerifierKeys(context.Background(), "pledge/65.71")
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys %v %v", keys, err)
		}
		if n := auditCount(t, s, "signlog.create"); n != 1 {
			t.Fatalf("%d logs created", n)
		}
	})
}
