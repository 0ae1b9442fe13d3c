package netra

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func stage(kind StageKind, starts, ends string) ElectionStage {
	return ElectionStage{Kind: kind, Starts: day(starts), Ends: day(ends), Source: "PKPU"}
}

// testCalendar is a small calendar in the shape of the shipped one: a
// Pemilu, a Pilkada held everywhere, the Pilkada of one province and of one
// city with dates of their own, and a re-vote of the Pemilu in a kecamatan.
func testCalendar() []Election {
	return []Election{
		{ID: 1, Code: "pemilu-2024", Kind: ElectionNational, Name: "Pemilu 2024", VotingDay: day("2024-02-14"), Source: "PKPU 3/2022",
			Stages: []ElectionStage{stage(StageCandidateDetermination, "2023-11-13", "2023-11-13"), stage(StageCampaign, "2023-11-28", "2024-02-10"),
				stage(StageQuietPeriod, "2024-02-11", "2024-02-13"), stage(StageVoting, "2024-02-14", "2024-02-14"),
				stage(StageCounting, "2024-02-14", "2024-02-15"), stage(StageInauguration, "2024-10-20", "2024-10-20")}},
		{ID: 2, Code: "pilkada-2024", Kind: ElectionRegional, Name: "Pilkada 2024", VotingDay: day("2024-11-27"), Source: "PKPU 2/2024",
			Stages: []ElectionStage{stage(StageVoterData, "2024-05-31", "2024-09-23"), stage(StageCandidateDetermination, "2024-09-22", "2024-09-22"),
				stage(StageCampaign, "2024-09-25", "2024-11-23"), stage(StageVoting, "2024-11-27", "2024-11-27")}},
		{ID: 3, Code: "pilgub-62-2029", Kind: ElectionRegional, Name: "Pilgub Kalteng 2029", VotingDay: day("2029-11-28"), RegionCode: "62", Source: "x",
			Stages: []ElectionStage{stage(StageCampaign, "2029-09-25", "2029-11-24"), stage(StageVoting, "2029-11-28", "2029-11-28")}},
		{ID: 4, Code: "pilwalkot-62.71-2029", Kind: ElectionRegional, Name: "Pilwalkot Palangka Raya 2029", VotingDay: day("2029-11-28"),
			RegionCode: "62.71", Source: "x",
			Stages: []ElectionStage{stage(StageCampaign, "2029-10-01", "2029-11-24"), stage(StageVoting, "2029-11-28", "2029-11-28")}},
		{ID: 5, Code: "psu-2024-65.71-tarakan-tengah", Kind: ElectionRevote, Name: "PSU Tarakan Tengah", VotingDay: day("2024-07-13"),
			RegionCode: "65.71.02", ParentID: 1, Source: "NEAZONE.ID",
			Stages: []ElectionStage{stage(StageVoting, "2024-07-13", "2024-07-13")}},
	}
}

func codes(on []ElectionOn) string {
	var out []string
	for _, o := range on {
		s := o.Election.Code + ":"
		var ks []string
		for _, st := range o.Stages {
			ks = append(ks, string(st.Kind))
		}
		out = append(out, s+strings.Join(ks, "+"))
	}
	return strings.Join(out, " ")
}

// TestCalendarOn: which stages are in force on a day in an area.
func TestCalendarOn(t *testing.T) {
	cal := testCalendar()
	for _, tc := range []struct {
		day, region, want string
	}{
		// The Pemilu's campaign, everywhere and for the nation as a whole.
		{"2024-01-10", "", "pemilu-2024:campaign"},
		{"2024-01-10", "62.71", "pemilu-2024:campaign"},
		{"2024-02-14", "62.71.01", "pemilu-2024:voting+counting"},
		// Between two stages: the election spans the day, no stage is in force.
		{"2024-03-01", "62", "pemilu-2024:"},
		// The PSU day: in Tarakan Tengah the re-vote comes first; the Pemilu
		// is between stages and the Pilkada updates the voter list.
		{"2024-07-13", "65.71.02", "psu-2024-65.71-tarakan-tengah:voting pemilu-2024: pilkada-2024:voter_data"},
		{"2024-07-13", "65.71.02.1001", "psu-2024-65.71-tarakan-tengah:voting pemilu-2024: pilkada-2024:voter_data"},
		// Another kecamatan of Tarakan, the city as a whole, and another day there: no PSU.
		{"2024-07-13", "65.71.01", "pemilu-2024: pilkada-2024:voter_data"},
		{"2024-07-13", "65.71", "pemilu-2024: pilkada-2024:voter_data"},
		{"2024-07-14", "65.71.02", "pemilu-2024: pilkada-2024:voter_data"},
		// A regency's Pilkada applies to it and inside it, its province's
		// to the regency too; neither to another regency, the city's not to
		// the province as a whole.
		{"2029-10-15", "62.71", "pilwalkot-62.71-2029:campaign pilgub-62-2029:campaign"},
		{"2029-10-15", "62.71.03", "pilwalkot-62.71-2029:campaign pilgub-62-2029:campaign"},
		{"2029-10-15", "62.01", "pilgub-62-2029:campaign"},
		{"2029-10-15", "62", "pilgub-62-2029:campaign"},
		{"2029-10-15", "65.71", ""},
		// Before the city's first stage its election is not in force yet.
		{"2029-09-26", "62.71", "pilgub-62-2029:campaign"},
		// No election at all.
		{"2021-01-01", "62.71", ""},
		{"2026-05-01", "", ""},
	} {
		if got := codes(CalendarOn(cal, day(tc.day), tc.region)); got != tc.want {
			t.Errorf("%s in %q: %q, want %q", tc.day, tc.region, got, tc.want)
		}
	}
}

// TestCandidacyOn: before the determination of candidates (ethics), from
// its day on (discipline); a re-vote has its parent's candidates.
func TestCandidacyOn(t *testing.T) {
	cal := testCalendar()
	pemilu, pilkada, pilgub, psu := &cal[0], &cal[1], &cal[2], &cal[4]
	for _, tc := range []struct {
		e      *Election
		parent *Election
		day    string
		want   Candidacy
	}{
		{pemilu, nil, "2023-11-12", CandidacyBefore},
		{pemilu, nil, "2023-11-13", CandidacyAfter},
		{pemilu, nil, "2024-01-10", CandidacyAfter},
		{pilkada, nil, "2024-09-21", CandidacyBefore},
		{pilkada, nil, "2024-09-22", CandidacyAfter},
		{pilgub, nil, "2029-10-01", CandidacyUnknown},
		{psu, pemilu, "2024-07-13", CandidacyAfter},
		{psu, nil, "2024-07-13", CandidacyUnknown},
		{psu, pilkada, "2024-07-13", CandidacyUnknown}, // not its parent
	} {
		if got := tc.e.CandidacyOn(day(tc.day), tc.parent); got != tc.want {
			t.Errorf("%s on %s: %s, want %s", tc.e.Code, tc.day, got, tc.want)
		}
	}
	on := CalendarOn(cal, day("2024-07-13"), "65.71.02")
	if len(on) != 3 || on[0].Candidacy != CandidacyAfter || !on[0].DeterminationDay.Equal(day("2023-11-13")) ||
		on[2].Candidacy != CandidacyBefore || !on[2].DeterminationDay.Equal(day("2024-09-22")) {
		t.Errorf("PSU day in Tarakan Tengah: %+v", on)
	}
	if got := CandidacyBefore.Label("id"); !strings.Contains(got, "bakal calon") {
		t.Errorf("label %q", got)
	}
}

func validElection() Election {
	return Election{Code: "pilkada-2029", Kind: ElectionRegional, Name: "  Pilkada   2029 ", VotingDay: day("2029-11-28"), Source: "PKPU",
		SourceURLs: []string{" https://jdih.kpu.go.id/ ", ""},
		Stages:     []ElectionStage{stage(StageVoting, "2029-11-28", "2029-11-28"), stage(StageCampaign, "2029-09-25", "2029-11-24")}}
}

// TestElectionValidate: each rule has its message on its field, in both languages.
func TestElectionValidate(t *testing.T) {
	e := validElection()
	if err := e.Validate(); err != nil {
		t.Fatalf("valid election: %v", err)
	}
	if e.Name != "Pilkada 2029" || len(e.SourceURLs) != 1 || e.SourceURLs[0] != "https://jdih.kpu.go.id/" {
		t.Errorf("not normalised: %q %q", e.Name, e.SourceURLs)
	}
	if e.Stages[0].Kind != StageCampaign {
		t.Errorf("stages not in order: %v", e.Stages)
	}
	for _, tc := range []struct {
		name  string
		edit  func(e *Election)
		field string
		want  string // a word of the Indonesian message
	}{
		{"no code", func(e *Election) { e.Code = "" }, "code", "wajib"},
		{"bad code", func(e *Election) { e.Code = "Pilkada 2029!" }, "code", "huruf kecil"},
		{"no kind", func(e *Election) { e.Kind = "local" }, "kind", "jenis"},
		{"no name", func(e *Election) { e.Name = " " }, "name", "wajib"},
		{"no voting day", func(e *Election) { e.VotingDay = time.Time{} }, "voting_day", "wajib"},
		{"voting day outside the voting stage", func(e *Election) { e.VotingDay = day("2029-11-29") }, "voting_day", "di luar tahapan"},
		{"national with a region", func(e *Election) { e.Kind = ElectionNational; e.RegionCode = "62" }, "region_code", "kosongkan"},
		{"regional of a kecamatan", func(e *Election) { e.RegionCode = "62.71.01" }, "region_code", "provinsi"},
		{"revote without region", func(e *Election) { e.Kind = ElectionRevote; e.ParentID = 1 }, "region_code", "PSU"},
		{"revote without parent", func(e *Election) { e.Kind = ElectionRevote; e.RegionCode = "65.71.02" }, "parent_id", "induk"},
		{"parent of a Pilkada", func(e *Election) { e.ParentID = 3 }, "parent_id", "Hanya PSU"},
		{"no source", func(e *Election) { e.Source = "" }, "source", "Sumber"},
		{"bad link", func(e *Election) { e.SourceURLs = []string{"javascript:alert(1)"} }, "source_urls", "http(s)"},
		{"control character", func(e *Election) { e.Note = "a\x00b" }, "note", "kendali"},
		{"stage ends before it starts", func(e *Election) { e.Stages[1].Ends = day("2029-09-01") }, "stages.1.ends", "sebelum"},
		{"stage without source", func(e *Election) { e.Stages[0].Source = "" }, "stages.0.source", "Sumber"},
		{"other stage without name", func(e *Election) { e.Stages[0].Kind = StageOther }, "stages.0.name", "nama"},
		{"stage with a time of day", func(e *Election) { e.Stages[0].Starts = e.Stages[0].Starts.Add(time.Hour) }, "stages.0.starts", "tanpa jam"},
		{"stage in 2200", func(e *Election) { e.Stages[0].Ends = day("2200-01-01") }, "stages.0.ends", "2100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validElection()
			tc.edit(&e)
			err := e.Validate()
			ve, ok := AsValidation(err)
			if !ok {
				t.Fatalf("got %v, want a validation error", err)
			}
			m, ok := ve.Fields[tc.field]
			if !ok || !strings.Contains(m.ID, tc.want) || m.EN == "" {
				t.Errorf("field %s: %+v (all: %v)", tc.field, m, err)
			}
		})
	}
}

// TestElectionStageValidate: a stage alone, with plain field names.
func TestElectionStageValidate(t *testing.T) {
	st := stage(StageCampaign, "2029-09-25", "2029-09-24")
	ve, ok := AsValidation(st.Validate())
	if !ok || !strings.Contains(ve.Fields["ends"].EN, "cannot be before") {
		t.Fatalf("ends before starts: %v", st.Validate())
	}
	st = ElectionStage{Kind: StageOther, Name: "Deklarasi kampanye damai", NameEN: "Peaceful-campaign declarations",
		Starts: day("2024-09-24"), Ends: day("2024-09-24"), Source: "PKPU 2/2024"}
	if err := st.Validate(); err != nil {
		t.Fatal(err)
	}
	if st.Label("id") != "Deklarasi kampanye damai" || st.Label("en") != "Peaceful-campaign declarations" {
		t.Errorf("labels %q %q", st.Label("id"), st.Label("en"))
	}
	plain := stage(StageQuietPeriod, "2024-11-24", "2024-11-26")
	if plain.Label("id") != "Masa tenang" || plain.Label("en") != "Quiet period" {
		t.Errorf("kind labels %q %q", plain.Label("id"), plain.Label("en"))
	}
	if !plain.Covers(day("2024-11-24")) || !plain.Covers(day("2024-11-26")) || plain.Covers(day("2024-11-27")) || plain.Covers(day("2024-11-23")) {
		t.Error("Covers is not inclusive of both ends only")
	}
}

func TestRegionLevel(t *testing.T) {
	for code, want := range map[string]string{"62": "province", "65.71": "regency", "65.71.02": "district", "65.71.02.1001": "village",
		"": "", "00": "", "6": "", "62.7": "", "62.71.1": "", "62-71": ""} {
		if got := RegionLevel(code); got != want {
			t.Errorf("RegionLevel(%q) = %q, want %q", code, got, want)
		}
	}
}
