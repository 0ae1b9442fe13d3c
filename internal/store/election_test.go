package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

func ymd(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustElection(t *testing.T, s *store.Store, code string) *netra.Election {
	t.Helper()
	e, err := s.ElectionByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("election %s: %v", code, err)
	}
	return e
}

// stageOf returns the first stage of e of kind k (and name, when given).
func stageOf(t *testing.T, e *netra.Election, k netra.StageKind, name string) netra.ElectionStage {
	t.Helper()
	for _, st := range e.Stages {
		if st.Kind == k && (name == "" || st.Name == name) {
			return st
		}
	}
	t.Fatalf("%s has no %s stage %q", e.Code, k, name)
	return netra.ElectionStage{}
}

// calendarSnapshot renders every election and stage, to show that a
// refused write changed nothing.
func calendarSnapshot(t *testing.T, s *store.Store) string {
	t.Helper()
	es, err := s.Elections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v", es)
}

func electionAudits(t *testing.T, s *store.Store) []netra.AuditEntry {
	t.Helper()
	es, err := s.AuditEntries(sys(), netra.AuditFilter{Action: "election."})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestElectionSeed: a fresh database holds the shipped calendar, with the
// dates and sources of the reference brief (domain §5), and loading it
// again — a second migrate, a restart — changes nothing.
func TestElectionSeed(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			url := eng.URL(t)
			s := openURL(t, url)
			es, err := s.Elections(ctx)
			if err != nil || len(es) != 3 {
				t.Fatalf("shipped calendar: %d elections, %v", len(es), err)
			}
			pemilu := mustElection(t, s, "pemilu-2024")
			if pemilu.Kind != netra.ElectionNational || !pemilu.VotingDay.Equal(ymd("2024-02-14")) || pemilu.RegionCode != "" ||
				!strings.Contains(pemilu.Source, "PKPU 3/2022") || len(pemilu.SourceURLs) != 5 || len(pemilu.Stages) != 17 || pemilu.SeedRevision != 1 {
				t.Errorf("Pemilu 2024: %+v", pemilu)
			}
			for _, c := range []struct {
				k            netra.StageKind
				name         string
				starts, ends string
			}{
				{netra.StagePlanning, "", "2022-06-14", "2024-06-14"},
				{netra.StageCandidateDetermination, "", "2023-11-13", "2023-11-13"},
				{netra.StageNumberDraw, "", "2023-11-14", "2023-11-14"},
				{netra.StageCampaign, "", "2023-11-28", "2024-02-10"},
				{netra.StageQuietPeriod, "", "2024-02-11", "2024-02-13"},
				{netra.StageVoting, "", "2024-02-14", "2024-02-14"},
				{netra.StageCounting, "", "2024-02-14", "2024-02-15"},
				{netra.StageRecapitulation, "", "2024-02-15", "2024-03-20"},
				{netra.StageCandidacy, "Pencalonan anggota DPD", "2022-12-06", "2023-11-25"},
				{netra.StageInauguration, "Pengucapan sumpah/janji Presiden dan Wakil Presiden", "2024-10-20", "2024-10-20"},
			} {
				st := stageOf(t, pemilu, c.k, c.name)
				if !st.Starts.Equal(ymd(c.starts)) || !st.Ends.Equal(ymd(c.ends)) || st.Source == "" || len(st.SourceURLs) == 0 {
					t.Errorf("Pemilu stage %s %s: %s – %s (%q %v)", c.k, c.name, dateStr(st.Starts), dateStr(st.Ends), st.Source, st.SourceURLs)
				}
			}
			// A stage with a source of its own keeps it; the campaign keeps the blog's wrong date as a note.
			if st := stageOf(t, pemilu, netra.StageNumberDraw, ""); len(st.SourceURLs) != 1 || !strings.Contains(st.SourceURLs[0], "nomorsatukaltim") {
				t.Errorf("number draw source: %v", st.SourceURLs)
			}
			if st := stageOf(t, pemilu, netra.StageCampaign, ""); !strings.Contains(st.Note, "13 November 2023") {
				t.Errorf("campaign note: %q", st.Note)
			}
			pilkada := mustElection(t, s, "pilkada-2024")
			if pilkada.Kind != netra.ElectionRegional || !pilkada.VotingDay.Equal(ymd("2024-11-27")) || pilkada.RegionCode != "" ||
				!strings.Contains(pilkada.Source, "PKPU 2/2024") || len(pilkada.Stages) != 13 || !strings.Contains(pilkada.Note, "545") {
				t.Errorf("Pilkada 2024: %+v", pilkada)
			}
			for _, c := range []struct {
				k            netra.StageKind
				starts, ends string
			}{
				{netra.StageRegistration, "2024-08-27", "2024-08-29"},
				{netra.StageCandidateDetermination, "2024-09-22", "2024-09-22"},
				{netra.StageCampaign, "2024-09-25", "2024-11-23"},
				{netra.StageQuietPeriod, "2024-11-24", "2024-11-26"},
				{netra.StageVoting, "2024-11-27", "2024-11-27"},
				{netra.StageCounting, "2024-11-27", "2024-12-16"},
			} {
				st := stageOf(t, pilkada, c.k, "")
				if !st.Starts.Equal(ymd(c.starts)) || !st.Ends.Equal(ymd(c.ends)) || !strings.Contains(st.Source, "PKPU 2/2024") {
					t.Errorf("Pilkada stage %s: %s – %s (%q)", c.k, dateStr(st.Starts), dateStr(st.Ends), st.Source)
				}
			}
			if st := stageOf(t, pilkada, netra.StageQuietPeriod, ""); !strings.Contains(st.Note, "IDN Times") {
				t.Errorf("quiet period note: %q", st.Note)
			}
			psu := mustElection(t, s, "psu-2024-65.71-tarakan-tengah")
			if psu.Kind != netra.ElectionRevote || psu.ParentID != pemilu.ID || psu.RegionCode != "65.71.02" ||
				psu.RegionName != "Kecamatan Tarakan Tengah, Kota Tarakan" || !psu.VotingDay.Equal(ymd("2024-07-13")) ||
				len(psu.Stages) != 1 || psu.Stages[0].Kind != netra.StageVoting || !strings.Contains(psu.SourceURLs[0], "neazone.id") {
				t.Errorf("PSU Tarakan Tengah: %+v", psu)
			}
			// The seeding writes no audit entries: an empty installation's log stays empty.
			if n, err := s.LogSize(ctx, store.AuditLog); err != nil || n != 0 {
				t.Errorf("audit log after seeding: %d, %v", n, err)
			}

			before := calendarSnapshot(t, s)
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if after := calendarSnapshot(t, s); after != before {
				t.Errorf("a second migrate changed the calendar:\n%s\n%s", before, after)
			}
			s.Close()
			s = openURL(t, url) // a restart
			if after := calendarSnapshot(t, s); after != before {
				t.Errorf("a restart changed the calendar:\n%s\n%s", before, after)
			}

			// An admin's deletion and change stand at the next start.
			mustTenant(t, s, "00", "Pemerintah Pusat")
			if err := s.DeleteElection(sys(), psu.ID); err != nil {
				t.Fatal(err)
			}
			pilkada.Name = "Pilkada Serentak 2024 (dikoreksi)"
			if err := s.UpdateElection(sys(), pilkada); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ElectionByCode(ctx, psu.Code); !errors.Is(err, netra.ErrNotFound) {
				t.Errorf("a deleted shipped election came back: %v", err)
			}
			if got := mustElection(t, s, "pilkada-2024"); got.Name != pilkada.Name || got.SeedRevision != 0 {
				t.Errorf("the admin's change was undone: %q (revision %d)", got.Name, got.SeedRevision)
			}
		})
	}
}

func dateStr(t time.Time) string { return t.Format(time.DateOnly) }

// TestElectionSeedRevision: a newer revision of a shipped election replaces
// it where nobody changed it, and leaves it where an admin did.
func TestElectionSeedRevision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mustTenant(t, s, "00", "Pemerintah Pusat")
		// An admin changes a stage of the Pemilu; the Pilkada is left as shipped.
		pemilu := mustElection(t, s, "pemilu-2024")
		st := stageOf(t, pemilu, netra.StageQuietPeriod, "")
		st.Note = "Dicek ulang."
		if err := s.UpdateElectionStage(sys(), &st); err != nil {
			t.Fatal(err)
		}
		pilkadaID := mustElection(t, s, "pilkada-2024").ID
		// Revision 2 of both moves the quiet period by a day.
		f := string(store.ShippedElectionsFile())
		f = strings.Replace(f, `"code": "pemilu-2024",
      "revision": 1,`, `"code": "pemilu-2024",
      "revision": 2,`, 1)
		f = strings.Replace(f, `"code": "pilkada-2024",
      "revision": 1,`, `"code": "pilkada-2024",
      "revision": 2,`, 1)
		f = strings.Replace(f, `"starts": "2024-11-24", "ends": "2024-11-26"`, `"starts": "2024-11-25", "ends": "2024-11-26"`, 1)
		f = strings.Replace(f, `"starts": "2024-02-11", "ends": "2024-02-13"`, `"starts": "2024-02-12", "ends": "2024-02-13"`, 1)
		if !strings.Contains(f, `"revision": 2`) || !strings.Contains(f, "2024-11-25") || !strings.Contains(f, "2024-02-12") {
			t.Fatal("the test's revision 2 did not apply")
		}
		for range 2 { // and a second time changes nothing more
			if err := store.SeedElectionsForTest(s, []byte(f)); err != nil {
				t.Fatal(err)
			}
		}
		pilkada := mustElection(t, s, "pilkada-2024")
		if q := stageOf(t, pilkada, netra.StageQuietPeriod, ""); pilkada.ID != pilkadaID || pilkada.SeedRevision != 2 ||
			!q.Starts.Equal(ymd("2024-11-25")) || len(pilkada.Stages) != 13 {
			t.Errorf("untouched Pilkada not revised: revision %d, quiet period from %s, %d stages", pilkada.SeedRevision, dateStr(q.Starts), len(pilkada.Stages))
		}
		pemilu = mustElection(t, s, "pemilu-2024")
		if q := stageOf(t, pemilu, netra.StageQuietPeriod, ""); pemilu.SeedRevision != 0 || !q.Starts.Equal(ymd("2024-02-11")) || q.Note != "Dicek ulang." {
			t.Errorf("the admin's Pemilu was overwritten: revision %d, quiet period from %s, note %q", pemilu.SeedRevision, dateStr(q.Starts), q.Note)
		}
		// A broken file is refused before anything is written.
		before := calendarSnapshot(t, s)
		bad := strings.Replace(f, `"revision": 2,`, `"revision": 3,`, 1)
		bad = strings.Replace(bad, `"voting_day": "2024-02-14"`, `"voting_day": "2024-02-15"`, 1)
		if err := store.SeedElectionsForTest(s, []byte(bad)); err == nil || !strings.Contains(err.Error(), "voting") {
			t.Errorf("a calendar whose voting day misses its voting stage loaded: %v", err)
		}
		if err := store.SeedElectionsForTest(s, []byte(`{"elections": [{"code": "x", "revison": 1}]}`)); err == nil {
			t.Error("a misspelt field loaded")
		}
		if after := calendarSnapshot(t, s); after != before {
			t.Error("a refused calendar file changed the calendar")
		}
		_ = ctx
	})
}

// TestElectionStageOn: the stage in force on a day for the nation, a
// regency during the Pilkada, and Tarakan Tengah on the PSU day against
// another kecamatan of Tarakan.
func TestElectionStageOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background() // no actor: the calendar is public
		ask := func(day, region string) []netra.ElectionOn {
			t.Helper()
			on, err := s.ElectionStageOn(ctx, ymd(day), region)
			if err != nil {
				t.Fatalf("%s %s: %v", day, region, err)
			}
			return on
		}
		summary := func(on []netra.ElectionOn) string {
			var out []string
			for _, o := range on {
				var ks []string
				for _, st := range o.Stages {
					ks = append(ks, string(st.Kind))
				}
				out = append(out, o.Election.Code+":"+strings.Join(ks, "+")+":"+string(o.Candidacy))
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct{ day, region, want string }{
			// National: the Pemilu's quiet period (its planning runs to June
			// 2024), before and after the determination of the presidential pairs.
			{"2024-02-12", "", "pemilu-2024:planning+quiet_period:after"},
			{"2023-11-01", "", "pemilu-2024:planning+candidacy+candidacy+candidacy:before"},
			// A regency during the Pilkada (Kota Palangka Raya, and a kecamatan of it).
			// (1 October is also the DPR and DPD oath; the ad hoc bodies are formed to 5 November.)
			{"2024-10-01", "62.71", "pemilu-2024:inauguration:after pilkada-2024:organisers+campaign:after"},
			{"2024-10-02", "62.71", "pemilu-2024::after pilkada-2024:organisers+campaign:after"},
			{"2024-09-10", "62.71.01", "pemilu-2024::after pilkada-2024:organisers+voter_data+verification:before"},
			{"2024-11-27", "62.71", "pilkada-2024:voting+counting:after"},
			// The PSU: Tarakan Tengah on its day, another kecamatan of Tarakan, and the day after.
			{"2024-07-13", "65.71.02", "psu-2024-65.71-tarakan-tengah:voting:after pemilu-2024::after pilkada-2024:organisers+independent_support+voter_data:before"},
			{"2024-07-13", "65.71.01", "pemilu-2024::after pilkada-2024:organisers+independent_support+voter_data:before"},
			{"2024-07-14", "65.71.02", "pemilu-2024::after pilkada-2024:organisers+independent_support+voter_data:before"},
			// No election.
			{"2025-06-01", "62.71", ""},
		} {
			if got := summary(ask(c.day, c.region)); got != c.want {
				t.Errorf("%s in %q:\n got %s\nwant %s", c.day, c.region, got, c.want)
			}
		}
		on := ask("2024-07-13", "65.71.02")
		if psu := on[0]; psu.Election.RegionName != "Kecamatan Tarakan Tengah, Kota Tarakan" || !psu.DeterminationDay.Equal(ymd("2023-11-13")) {
			t.Errorf("PSU: %+v", psu)
		}
		for _, region := range []string{"65.71.99", "99", "tarakan", "62.71.01.9999"} {
			_, err := s.ElectionStageOn(ctx, ymd("2024-07-13"), region)
			if ve, ok := netra.AsValidation(err); !ok || !strings.Contains(ve.Fields["region"].ID, "tidak dikenal") {
				t.Errorf("region %q: %v", region, err)
			}
		}
	})
}

// TestElectionPermissions: only a super admin or an election.manage grant
// on the whole national tenant changes the calendar; a city's or
// province's admin, who holds the permission by role, is refused, and so is
// anyone without a session.
func TestElectionPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := mustWorld(t, s)
		natUnit := mustUnit(t, s, w.nat.ID, 0, "BKN", "Badan Kepegawaian Negara", netra.UnitBadan)
		pemilu := mustElection(t, s, "pemilu-2024")
		voting := stageOf(t, pemilu, netra.StageVoting, "")
		newElection := func(code string) *netra.Election {
			return &netra.Election{Code: code, Kind: netra.ElectionRegional, Name: "Pilwalkot Palangka Raya 2029", RegionCode: "62.71",
				VotingDay: ymd("2029-11-28"), Source: "PKPU"}
		}
		writes := func(ctx context.Context, code string) map[string]error {
			out := map[string]error{}
			e := newElection(code)
			out["create"] = s.CreateElection(ctx, e)
			p := *pemilu
			p.Note = "diubah oleh " + code
			out["update"] = s.UpdateElection(ctx, &p)
			st := netra.ElectionStage{ElectionID: pemilu.ID, Kind: netra.StageOther, Name: "Rapat koordinasi", Starts: ymd("2024-01-05"),
				Ends: ymd("2024-01-05"), Source: "Undangan"}
			out["stage.create"] = s.CreateElectionStage(ctx, &st)
			v := voting
			v.Note = "diubah oleh " + code
			out["stage.update"] = s.UpdateElectionStage(ctx, &v)
			out["stage.delete"] = s.DeleteElectionStage(ctx, stageOf(t, pemilu, netra.StageNumberDraw, "").ID)
			out["delete"] = s.DeleteElection(ctx, mustElection(t, s, "pilkada-2024").ID)
			return out
		}
		before := calendarSnapshot(t, s)
		for _, c := range []struct {
			name string
			ctx  context.Context
			want error
		}{
			{"city admin", as(s, t, netra.RoleTenantAdmin, w.city, nil), netra.ErrForbidden},
			{"province admin", as(s, t, netra.RoleTenantAdmin, w.prov, nil), netra.ErrForbidden},
			{"national admin of one unit", as(s, t, netra.RoleTenantAdmin, w.nat, natUnit), netra.ErrForbidden},
			{"national verifier", as(s, t, netra.RoleVerifier, w.nat, nil), netra.ErrForbidden},
			{"no actor", context.Background(), netra.ErrUnauthenticated},
		} {
			for op, err := range writes(c.ctx, "x-"+strings.ReplaceAll(c.name, " ", "-")) {
				if !errors.Is(err, c.want) {
					t.Errorf("%s: %s: %v, want %v", c.name, op, err, c.want)
				}
			}
		}
		if after := calendarSnapshot(t, s); after != before {
			t.Error("a refused write changed the calendar")
		}
		if n := len(electionAudits(t, s)); n != 0 {
			t.Errorf("refused writes left %d audit entries", n)
		}
		if store.MayManageElections(as(s, t, netra.RoleTenantAdmin, w.city, nil)) || !store.MayManageElections(as(s, t, netra.RoleTenantAdmin, w.nat, nil)) ||
			!store.MayManageElections(sys()) || store.MayManageElections(context.Background()) {
			t.Error("MayManageElections disagrees with the writes")
		}
		// The national admin may; each write is audited under the national tenant.
		nat := as(s, t, netra.RoleTenantAdmin, w.nat, nil)
		for op, err := range writes(nat, "pilwalkot-62.71-2029") {
			if err != nil {
				t.Errorf("national admin: %s: %v", op, err)
			}
		}
		got := map[string]int{}
		for _, a := range electionAudits(t, s) {
			got[a.Action]++
			if a.TenantID != w.nat.ID || a.ActorLabel != "user:test" {
				t.Errorf("audit entry %s under tenant %d by %s", a.Action, a.TenantID, a.ActorLabel)
			}
		}
		for _, a := range []string{"election.create", "election.update", "election.delete", "election.stage.create", "election.stage.update", "election.stage.delete"} {
			if got[a] != 1 {
				t.Errorf("%d audit entries %s (all: %v)", got[a], a, got)
			}
		}
		if p := mustElection(t, s, "pemilu-2024"); p.SeedRevision != 0 || !strings.Contains(p.Note, "pilwalkot") || len(p.Stages) != 17 {
			t.Errorf("Pemilu after the national admin's edits: revision %d, note %q, %d stages", p.SeedRevision, p.Note, len(p.Stages))
		}
		// A super admin may too.
		if err := s.CreateElection(sys(), newElection("pilwalkot-62.71-2034")); err != nil {
			t.Errorf("super admin: %v", err)
		}
	})
}

// TestElectionBadInput: each refused input has a clear message in both
// languages and changes nothing.
func TestElectionBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		mustTenant(t, s, "00", "Pemerintah Pusat")
		ctx := sys()
		pemilu := mustElection(t, s, "pemilu-2024")
		psu := mustElection(t, s, "psu-2024-65.71-tarakan-tengah")
		good := func() *netra.Election {
			return &netra.Election{Code: "pilkada-2029", Kind: netra.ElectionRegional, Name: "Pilkada 2029", VotingDay: ymd("2029-11-28"),
				Source: "PKPU", Stages: []netra.ElectionStage{{Kind: netra.StageVoting, Starts: ymd("2029-11-28"), Ends: ymd("2029-11-28"), Source: "PKPU"}}}
		}
		cityPilkada := mustParent(t, s, ctx, "62.71")
		must(t, s.CreateElection(ctx, &netra.Election{Code: "psu-62.71.01", Kind: netra.ElectionRevote, Name: "PSU Pahandut", RegionCode: "62.71.01",
			ParentID: cityPilkada, VotingDay: ymd("2030-01-10"), Source: "Putusan MK"}))
		before := calendarSnapshot(t, s)
		for _, c := range []struct {
			name  string
			write func() error
			field string // "" for a user error (conflict)
			want  string // part of the Indonesian message
			kind  error
		}{
			{"stage ends before it starts", func() error {
				e := good()
				e.Stages = append(e.Stages, netra.ElectionStage{Kind: netra.StageCampaign, Starts: ymd("2029-09-25"), Ends: ymd("2029-09-01"), Source: "PKPU"})
				return s.CreateElection(ctx, e)
			}, "stages.1.ends", "tidak boleh sebelum", nil},
			{"voting day outside the voting stage", func() error {
				e := good()
				e.VotingDay = ymd("2029-11-29")
				return s.CreateElection(ctx, e)
			}, "voting_day", "di luar tahapan pemungutan suara", nil},
			{"unknown region", func() error {
				e := good()
				e.RegionCode = "65.99"
				return s.CreateElection(ctx, e)
			}, "region_code", "tidak dikenal", nil},
			{"duplicate code", func() error {
				e := good()
				e.Code = "pemilu-2024"
				return s.CreateElection(ctx, e)
			}, "", "sudah dipakai", netra.ErrConflict},
			{"rename to a taken code", func() error {
				e := *psu
				e.Code = "pilkada-2024"
				return s.UpdateElection(ctx, &e)
			}, "", "sudah dipakai", netra.ErrConflict},
			{"re-vote outside its parent's region", func() error {
				e := good()
				e.Code, e.Kind, e.RegionCode, e.ParentID = "psu-x", netra.ElectionRevote, "65.71.02", cityPilkada
				return s.CreateElection(ctx, e)
			}, "region_code", "di luar wilayah", nil},
			{"re-vote of a re-vote", func() error {
				e := good()
				e.Code, e.Kind, e.RegionCode, e.ParentID = "psu-y", netra.ElectionRevote, "65.71.02", psu.ID
				return s.CreateElection(ctx, e)
			}, "parent_id", "bukan PSU lain", nil},
			{"parent that does not exist", func() error {
				e := good()
				e.Code, e.Kind, e.RegionCode, e.ParentID = "psu-z", netra.ElectionRevote, "65.71.02", 999999
				return s.CreateElection(ctx, e)
			}, "parent_id", "tidak ditemukan", nil},
			{"move the voting day off its stage", func() error {
				e := *pemilu
				e.VotingDay = ymd("2024-02-15")
				return s.UpdateElection(ctx, &e)
			}, "voting_day", "di luar tahapan", nil},
			{"a voting stage that misses the voting day", func() error {
				st := stageOf(t, pemilu, netra.StageVoting, "")
				st.Starts, st.Ends = ymd("2024-02-15"), ymd("2024-02-15")
				return s.UpdateElectionStage(ctx, &st)
			}, "starts", "di luar tahapan", nil},
			{"add a stage ending before it starts", func() error {
				return s.CreateElectionStage(ctx, &netra.ElectionStage{ElectionID: pemilu.ID, Kind: netra.StageCampaign,
					Starts: ymd("2024-01-02"), Ends: ymd("2024-01-01"), Source: "x"})
			}, "ends", "tidak boleh sebelum", nil},
			{"a stage without source", func() error {
				return s.CreateElectionStage(ctx, &netra.ElectionStage{ElectionID: pemilu.ID, Kind: netra.StageCampaign,
					Starts: ymd("2024-01-01"), Ends: ymd("2024-01-02")})
			}, "source", "Sumber", nil},
			{"delete the parent of a re-vote", func() error { return s.DeleteElection(ctx, pemilu.ID) }, "", "induk dari 1 PSU", netra.ErrConflict},
			{"the Pemilu becomes a re-vote while a re-vote's parent", func() error {
				e := *pemilu
				e.Kind, e.RegionCode, e.ParentID = netra.ElectionRevote, "62", mustElection(t, s, "pilkada-2024").ID
				return s.UpdateElection(ctx, &e)
			}, "kind", "induk dari PSU", nil},
			{"move a parent away from its re-vote", func() error {
				e := mustElection(t, s, "pilwalkot-62.71")
				e.RegionCode = "62.01"
				return s.UpdateElection(ctx, e)
			}, "region_code", "di luar wilayah ini", nil},
			{"a stage that does not exist", func() error { return s.DeleteElectionStage(ctx, 999999) }, "", "", netra.ErrNotFound},
			{"an election that does not exist", func() error {
				e := good()
				e.ID = 999999
				return s.UpdateElection(ctx, e)
			}, "", "", netra.ErrNotFound},
		} {
			t.Run(c.name, func(t *testing.T) {
				audits := len(electionAudits(t, s))
				err := c.write()
				switch {
				case c.kind != nil:
					if !errors.Is(err, c.kind) {
						t.Fatalf("got %v, want %v", err, c.kind)
					}
					if c.want != "" {
						var ue *netra.UserError
						if !errors.As(err, &ue) || !strings.Contains(ue.Msg.ID, c.want) || ue.Msg.EN == "" {
							t.Errorf("message %v", err)
						}
					}
				default:
					ve, ok := netra.AsValidation(err)
					if !ok {
						t.Fatalf("got %v, want a validation error", err)
					}
					if m := ve.Fields[c.field]; !strings.Contains(m.ID, c.want) || m.EN == "" {
						t.Errorf("field %s: %+v (all: %v)", c.field, m, err)
					}
				}
				if n := len(electionAudits(t, s)); n != audits {
					t.Errorf("the refused write was audited (%d → %d)", audits, n)
				}
			})
		}
		if after := calendarSnapshot(t, s); after != before {
			t.Errorf("refused writes changed the calendar:\n%s\n%s", before, after)
		}
	})
}

// mustParent creates a Pilkada of the regency code to be a re-vote's parent.
func mustParent(t *testing.T, s *store.Store, ctx context.Context, code string) int64 {
	t.Helper()
	if e, err := s.ElectionByCode(ctx, "pilwalkot-"+code); err == nil {
		return e.ID
	}
	e := &netra.Election{Code: "pilwalkot-" + code, Kind: netra.ElectionRegional, Name: "Pilwalkot " + code, RegionCode: code,
		VotingDay: ymd("2029-11-28"), Source: "PKPU"}
	must(t, s.CreateElection(ctx, e))
	return e.ID
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
