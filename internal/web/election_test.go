package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// fixtureElection holds, per env, an election of the route test and its stage.
var fixtureElection = map[*env][2]int64{}

// lazyElection returns an election made for the route test and one of its
// stages, making them again when a route deleted them.
func (e *env) lazyElection(t *testing.T) (electionID, stageID int64) {
	t.Helper()
	if ids, ok := fixtureElection[e]; ok {
		if el, err := e.st.Election(sys, ids[0]); err == nil && len(el.Stages) > 0 {
			return el.ID, el.Stages[0].ID
		}
		if _, err := e.st.Election(sys, ids[0]); err == nil {
			must(t, e.st.DeleteElection(sys, ids[0]))
		}
	}
	el := &netra.Election{Code: "uji-rute-" + id(int64(len(fixtureElection)+1)) + "-" + id(time.Now().UnixNano()%1e6), Kind: netra.ElectionRegional,
		Name: "Pilwalkot Uji", RegionCode: "62.71", VotingDay: ymdWeb("2029-11-28"), Source: "Uji",
		Stages: []netra.ElectionStage{{Kind: netra.StageVoting, Starts: ymdWeb("2029-11-28"), Ends: ymdWeb("2029-11-28"), Source: "Uji"}}}
	must(t, e.st.CreateElection(sys, el))
	fixtureElection[e] = [2]int64{el.ID, el.Stages[0].ID}
	return el.ID, el.Stages[0].ID
}

func ymdWeb(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// nationalAdmin adds the national government's admin to the fixture.
func (e *env) nationalAdmin() *client {
	if _, ok := e.users["nasional"]; !ok {
		e.user("nasional", netra.RoleTenantAdmin, e.national, nil)
	}
	return e.as("nasional")
}

func shipped(t *testing.T, e *env, code string) *netra.Election {
	t.Helper()
	el, err := e.st.ElectionByCode(sys, code)
	must(t, err)
	return el
}

var tagsRe = regexp.MustCompile(`<[^>]*>`)

// text is a page's visible text, its white space collapsed.
func text(body string) string {
	return strings.Join(strings.Fields(tagsRe.ReplaceAllString(body, " ")), " ")
}

// TestElectionPages: the public calendar and an election's timeline with
// what is in force today, in both languages, and the question "which stage
// on this day here".
func TestElectionPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2024, 11, 25, 3, 0, 0, 0, time.UTC) // the Pilkada's quiet period
		c := e.anon()
		w := c.get("/pemilu")
		body := text(w.Body.String())
		if w.Code != 200 {
			t.Fatalf("GET /pemilu: %d", w.Code)
		}
		for _, want := range []string{"Kalender pemilihan", "Pemilu 2024", "Pilkada Serentak 2024", "PSU Pemilu 2024 di Kecamatan Tarakan Tengah",
			"hari ini 25 November 2024", "Pemungutan suara ulang (PSU) · pemungutan suara 13 Juli 2024 · Kecamatan Tarakan Tengah, Kota Tarakan Tahapan pada 13 Juli 2024",
			"Pilkada Serentak 2024 · Pilkada (daerah) · pemungutan suara 27 November 2024 · seluruh Indonesia Sedang berlangsung Masa tenang", "Kecamatan Tarakan Tengah, Kota Tarakan"} {
			if !strings.Contains(body, want) {
				t.Errorf("/pemilu lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "Tambah pemilihan") {
			t.Error("the public list offers the admin's button")
		}
		pilkada := shipped(t, e, "pilkada-2024")
		w = c.get("/pemilu/" + id(pilkada.ID))
		page := w.Body.String()
		body = text(page)
		for _, want := range []string{"Pilkada Serentak 2024", "Tahapan yang sedang berlangsung (hari ini 25 November 2024)",
			"Masa tenang (24 November 2024 – 26 November 2024)", "Sesudah penetapan calon (calon)", "22 September 2024 Selesai Penetapan pasangan calon",
			"27 November 2024 Pemungutan suara", "PKPU 2/2024", "Penetapan calon 22 September 2024", "Kalender bawaan Netra, revisi 1",
			"IDN Times menyebut masa tenang 23–26 November"} {
			if !strings.Contains(body, want) {
				t.Errorf("the Pilkada page lacks %q:\n%s", want, body)
			}
		}
		// The current stage (the ad hoc bodies were formed by 5 November) is
		// marked for assistive technology too, and the sources link out.
		quiet := stageOf(t, pilkada, netra.StageQuietPeriod)
		if !strings.Contains(page, `id="tahapan-`+id(quiet.ID)+`" aria-current="date"`) || strings.Count(page, `aria-current="date"`) != 1 {
			t.Errorf("the quiet period is not the current stages' one marked: %d marks", strings.Count(page, `aria-current="date"`))
		}
		if !strings.Contains(page, `href="https://sabangmeraukenews.com/`) || strings.Contains(page, `action="/pemilu/`+id(pilkada.ID)+`/tahapan"`) {
			t.Error("source links missing, or the stage form shown to the public")
		}
		c.lang = "en"
		if body := text(c.get("/pemilu/" + id(pilkada.ID)).Body.String()); !strings.Contains(body, "Quiet period") ||
			!strings.Contains(body, "Stages in progress (today 25 November 2024)") {
			t.Errorf("English page:\n%s", body)
		}
		c.lang = ""

		// The PSU day in Tarakan Tengah, and in another kecamatan of Tarakan.
		psu := shipped(t, e, "psu-2024-65.71-tarakan-tengah")
		body = text(c.get("/pemilu?tanggal=2024-07-13&wilayah=65.71.02").Body.String())
		answer := body[strings.Index(body, "Pada 13 Juli 2024"):]
		for _, want := range []string{"Pada 13 Juli 2024 di Kecamatan Tarakan Tengah, Kota Tarakan (65.71.02)", psu.Name + " Pemungutan suara",
			"Pemilu 2024 Di antara dua tahapan", "Sesudah penetapan calon (calon) · penetapan calon 13 November 2023",
			"Sebelum penetapan calon (bakal calon) · penetapan calon 22 September 2024"} {
			if !strings.Contains(answer, want) {
				t.Errorf("the answer for Tarakan Tengah lacks %q:\n%s", want, answer)
			}
		}
		body = text(c.get("/pemilu?tanggal=2024-07-13&wilayah=65.71.01").Body.String())
		if answer := body[strings.Index(body, "Pada 13 Juli 2024"):]; strings.Contains(answer, psu.Name) || !strings.Contains(answer, "Tarakan Barat") {
			t.Errorf("the answer for Tarakan Barat:\n%s", answer)
		}
		w = c.get("/pemilu?tanggal=2024-07-13&wilayah=65.71.99")
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "Kode wilayah 65.71.99 tidak dikenal") {
			t.Errorf("unknown region: %d", w.Code)
		}
		if w := c.get("/pemilu?tanggal=13-07-2024"); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("malformed date: %d", w.Code)
		}
		if w := c.get("/pemilu/999999"); w.Code != http.StatusNotFound {
			t.Errorf("unknown election: %d", w.Code)
		}
	})
}

func stageOf(t *testing.T, e *netra.Election, k netra.StageKind) netra.ElectionStage {
	t.Helper()
	for _, st := range e.Stages {
		if st.Kind == k {
			return st
		}
	}
	t.Fatalf("%s has no %s stage", e.Code, k)
	return netra.ElectionStage{}
}

// TestElectionForms: the national admin adds an election and a stage, edits
// and deletes them through the pages; bad input comes back on the form with
// its message; a city's admin, who holds election.manage by role, gets 403.
func TestElectionForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		nat := e.nationalAdmin()
		if body := nat.get("/pemilu").Body.String(); !strings.Contains(body, `href="/pemilu/baru"`) {
			t.Error("the national admin is not offered the new election form")
		}
		w := nat.post("/pemilu", url.Values{"code": {"pilwalkot-62.71-2029"}, "kind": {"regional"}, "name": {"Pilwalkot Palangka Raya 2029"},
			"voting_day": {"2029-11-28"}, "region_code": {"62.71"}, "source": {"PKPU 9/2028"}, "source_urls": {"https://jdih.kpu.go.id/a\nhttps://jdih.kpu.go.id/b"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, text(w.Body.String()))
		}
		el := shipped(t, e, "pilwalkot-62.71-2029")
		if el.RegionName != "Kota Palangkaraya" || len(el.SourceURLs) != 2 || el.CreatedBy != "user:nasional" {
			t.Errorf("created: %+v", el)
		}
		stagePath := "/pemilu/" + id(el.ID) + "/tahapan"
		// A stage ending before it starts, and a voting stage off the voting day: refused on the form.
		for _, c := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"kind": {"campaign"}, "starts": {"2029-10-01"}, "ends": {"2029-09-01"}, "source": {"PKPU"}}, "tidak boleh sebelum tanggal mulai"},
			{url.Values{"kind": {"voting"}, "starts": {"2029-11-29"}, "ends": {"2029-11-29"}, "source": {"PKPU"}}, "di luar tahapan pemungutan suara"},
			{url.Values{"kind": {"campaign"}, "starts": {"2029-10-01"}, "ends": {"2029-11-24"}}, "Sumber tanggal wajib diisi"},
			{url.Values{"kind": {"campaign"}, "starts": {"1-10-2029"}, "ends": {"2029-11-24"}, "source": {"PKPU"}}, "Isi tanggal yang benar"},
		} {
			w := nat.post(stagePath, c.form)
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("stage %v: %d, want 422 with %q", c.form, w.Code, c.want)
			}
		}
		if got := shipped(t, e, el.Code); len(got.Stages) != 0 {
			t.Fatalf("refused stages were written: %+v", got.Stages)
		}
		w = nat.post(stagePath, url.Values{"kind": {"campaign"}, "starts": {"2029-10-01"}, "ends": {"2029-11-24"}, "source": {"PKPU 9/2028"},
			"note": {"Jadwal sementara."}, "unconfirmed": {"1"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("add stage: %d %s", w.Code, text(w.Body.String()))
		}
		el = shipped(t, e, el.Code)
		if len(el.Stages) != 1 || !el.Stages[0].Unconfirmed || el.Stages[0].Note != "Jadwal sementara." {
			t.Fatalf("stage: %+v", el.Stages)
		}
		sid := el.Stages[0].ID
		if body := text(nat.get("/pemilu/" + id(el.ID) + "?ubah=" + id(sid)).Body.String()); !strings.Contains(body, "Ubah tahapan Masa kampanye") {
			t.Errorf("edit form:\n%s", body)
		}
		w = nat.post(stagePath, url.Values{"stage": {id(sid)}, "kind": {"campaign"}, "starts": {"2029-09-25"}, "ends": {"2029-11-24"}, "source": {"PKPU 9/2028"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("edit stage: %d", w.Code)
		}
		if el = shipped(t, e, el.Code); !el.Stages[0].Starts.Equal(ymdWeb("2029-09-25")) || el.Stages[0].Unconfirmed {
			t.Errorf("edited stage: %+v", el.Stages[0])
		}
		// The election's own fields: a taken code is refused on the form.
		w = nat.post("/pemilu/"+id(el.ID)+"/ubah", url.Values{"code": {"pemilu-2024"}, "kind": {"regional"}, "name": {el.Name},
			"voting_day": {"2029-11-28"}, "region_code": {"62.71"}, "source": {"PKPU"}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Kode pemilihan pemilu-2024 sudah dipakai") {
			t.Errorf("taken code: %d", w.Code)
		}
		w = nat.post("/pemilu/"+id(el.ID)+"/ubah", url.Values{"code": {el.Code}, "kind": {"regional"}, "name": {el.Name},
			"voting_day": {"2029-11-28"}, "region_code": {"62.99"}, "source": {"PKPU"}})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "Kode wilayah 62.99 tidak dikenal") {
			t.Errorf("unknown region: %d", w.Code)
		}

		// A city's admin holds election.manage by role, but not for the calendar.
		city := e.as("admin")
		if body := city.get("/pemilu/" + id(el.ID)).Body.String(); strings.Contains(body, "/tahapan/hapus") {
			t.Error("the city admin is offered the stage forms")
		}
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/pemilu", url.Values{"code": {"x-2029"}, "kind": {"national"}, "name": {"X"}, "voting_day": {"2029-02-14"}, "source": {"x"}}},
			{"/pemilu", nil},
			{stagePath, url.Values{"kind": {"campaign"}, "starts": {"2029-10-01"}, "ends": {"2029-11-24"}, "source": {"PKPU"}}},
			{stagePath, nil},
			{stagePath + "/hapus", url.Values{"stage": {id(sid)}}},
			{"/pemilu/" + id(el.ID) + "/ubah", url.Values{"code": {el.Code}, "kind": {"regional"}, "name": {"Diubah"}, "voting_day": {"2029-11-28"}, "source": {"x"}}},
			{"/pemilu/" + id(el.ID) + "/hapus", nil},
		} {
			if w := city.post(c.path, c.form); w.Code != http.StatusForbidden {
				t.Errorf("city admin POST %s: %d", c.path, w.Code)
			}
		}
		for _, p := range []string{"/pemilu/baru", "/pemilu/" + id(el.ID) + "/ubah"} {
			if w := city.get(p); w.Code != http.StatusForbidden {
				t.Errorf("city admin GET %s: %d", p, w.Code)
			}
		}
		if got := shipped(t, e, el.Code); got.Name != el.Name || len(got.Stages) != 1 {
			t.Errorf("the city admin changed the election: %+v", got)
		}

		// The national admin deletes the stage, then the election; the Pemilu, parent of a PSU, stays.
		if w := nat.post(stagePath+"/hapus", url.Values{"stage": {id(sid)}}); w.Code != http.StatusSeeOther {
			t.Errorf("delete stage: %d", w.Code)
		}
		if w := nat.post("/pemilu/"+id(el.ID)+"/hapus", nil); w.Code != http.StatusSeeOther {
			t.Errorf("delete election: %d", w.Code)
		}
		if _, err := e.st.Election(sys, el.ID); err == nil {
			t.Error("the election is still there")
		}
		pemilu := shipped(t, e, "pemilu-2024")
		if w := nat.post("/pemilu/"+id(pemilu.ID)+"/hapus", nil); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "hapus PSU itu dulu") {
			t.Errorf("delete the PSU's parent: %d", w.Code)
		}
		// Every change was audited, by the national admin.
		entries, err := e.st.AuditEntries(sys, netra.AuditFilter{Action: "election."})
		must(t, err)
		n := map[string]int{}
		for _, a := range entries {
			n[a.Action]++
			if a.ActorLabel != "user:nasional" || a.TenantID != e.national.ID {
				t.Errorf("audit %s by %s under %d", a.Action, a.ActorLabel, a.TenantID)
			}
		}
		if n["election.create"] != 1 || n["election.stage.create"] != 1 || n["election.stage.update"] != 1 || n["election.stage.delete"] != 1 ||
			n["election.delete"] != 1 || n["election.update"] != 0 {
			t.Errorf("audit entries: %v", n)
		}
	})
}

// TestElectionAPI: the public calendar and stage question, and the
// national admin's writes; a city admin's token gets 403.
func TestElectionAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		anon := e.anon()
		all := decode[list[apiElection]](t, anon.get("/api/v1/elections"))
		if len(all.Items) != 3 || all.Items[0].Code != "pilkada-2024" || len(all.Items[0].Stages) != 13 {
			t.Fatalf("elections: %+v", all.Items)
		}
		psu := shipped(t, e, "psu-2024-65.71-tarakan-tengah")
		one := decode[apiElection](t, anon.get("/api/v1/elections/"+id(psu.ID)))
		if one.RegionCode == nil || *one.RegionCode != "65.71.02" || one.ParentID == nil || one.Stages[0].Kind != "voting" || one.Stages[0].Label != "Pemungutan suara" {
			t.Errorf("PSU: %+v", one)
		}
		ans := decode[apiElectionStageAnswer](t, anon.get("/api/v1/election-stage?date=2024-07-13&region=65.71.02"))
		if len(ans.Items) != 3 || ans.Items[0].Election.Code != psu.Code || ans.Items[0].Candidacy != "after" ||
			ans.Items[0].DeterminationDay == nil || *ans.Items[0].DeterminationDay != "2023-11-13" || len(ans.Items[1].Stages) != 0 {
			t.Errorf("PSU day in Tarakan Tengah: %+v", ans)
		}
		ans = decode[apiElectionStageAnswer](t, anon.get("/api/v1/election-stage?date=2024-07-13&region=65.71.01"))
		if len(ans.Items) != 2 || ans.Items[0].Election.Code == psu.Code {
			t.Errorf("PSU day in Tarakan Barat: %+v", ans)
		}
		anon.lang = "en"
		ans = decode[apiElectionStageAnswer](t, anon.get("/api/v1/election-stage?date=2024-11-25&region=62.71"))
		if len(ans.Items) != 1 || ans.Items[0].Stages[len(ans.Items[0].Stages)-1].Label != "Quiet period" || ans.Items[0].Candidacy != "after" {
			t.Errorf("the Pilkada's quiet period in Palangka Raya: %+v", ans)
		}
		w := anon.get("/api/v1/election-stage?date=2024-07-13&region=65.71.99")
		if w.Code != 422 || !strings.Contains(w.Body.String(), "unknown") {
			t.Errorf("unknown region: %d %s", w.Code, w.Body.String())
		}
		if w := anon.get("/api/v1/election-stage?date=13-07-2024"); w.Code != 422 {
			t.Errorf("bad date: %d", w.Code)
		}
		// Writes: a city admin's token, then the national admin.
		city := e.apiClient(netra.RoleTenantAdmin, e.palangka, nil)
		newOne := map[string]any{"code": "pilwalkot-62.71-2029", "kind": "regional", "name": "Pilwalkot Palangka Raya 2029", "voting_day": "2029-11-28",
			"region_code": "62.71", "source": "PKPU 9/2028", "stages": []map[string]any{{"kind": "voting", "starts": "2029-11-28", "ends": "2029-11-28"}}}
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/elections", newOne},
			{"POST", "/api/v1/elections", map[string]any{}},
			{"PATCH", "/api/v1/elections/" + id(psu.ID), map[string]any{"note": "x"}},
			{"DELETE", "/api/v1/elections/" + id(psu.ID), nil},
			{"POST", "/api/v1/elections/" + id(psu.ID) + "/stages", map[string]any{"kind": "counting", "starts": "2024-07-13", "ends": "2024-07-13", "source": "x"}},
			{"POST", "/api/v1/elections/" + id(psu.ID) + "/stages", map[string]any{}},
			{"PATCH", "/api/v1/elections/" + id(psu.ID) + "/stages/" + id(psu.Stages[0].ID), map[string]any{"note": "x"}},
			{"DELETE", "/api/v1/elections/" + id(psu.ID) + "/stages/" + id(psu.Stages[0].ID), nil},
		} {
			if w := city.json(c.method, c.path, c.body); w.Code != http.StatusForbidden {
				t.Errorf("city admin %s %s: %d %s", c.method, c.path, w.Code, w.Body.String())
			}
		}
		// The stage sent without a source takes none: refused, and nothing written.
		e.nationalAdmin()
		nat := e.apiClient(netra.RoleTenantAdmin, e.national, nil)
		w = nat.json("POST", "/api/v1/elections", newOne)
		if w.Code != 422 || !strings.Contains(w.Body.String(), "stages.0.source") {
			t.Fatalf("a stage without its source: %d %s", w.Code, w.Body.String())
		}
		newOne["stages"] = []map[string]any{{"kind": "voting", "starts": "2029-11-28", "ends": "2029-11-28", "source": "PKPU 9/2028"}}
		w = nat.json("POST", "/api/v1/elections", newOne)
		if w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		made := decode[apiElection](t, w)
		if w := nat.json("POST", "/api/v1/elections", newOne); w.Code != 409 {
			t.Errorf("the same code again: %d", w.Code)
		}
		w = nat.json("POST", "/api/v1/elections/"+id(made.ID)+"/stages", map[string]any{"kind": "campaign", "starts": "2029-10-01", "ends": "2029-09-01", "source": "x"})
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"ends"`) {
			t.Errorf("a stage ending before it starts: %d %s", w.Code, w.Body.String())
		}
		w = nat.json("POST", "/api/v1/elections/"+id(made.ID)+"/stages", map[string]any{"kind": "campaign", "starts": "2029-10-01", "ends": "2029-11-24", "source": "x"})
		if w.Code != 201 {
			t.Fatalf("add stage: %d %s", w.Code, w.Body.String())
		}
		stg := decode[apiStage](t, w)
		stg = decode[apiStage](t, nat.json("PATCH", "/api/v1/elections/"+id(made.ID)+"/stages/"+id(stg.ID), map[string]any{"starts": "2029-09-25"}))
		if stg.Starts != "2029-09-25" || stg.Ends != "2029-11-24" {
			t.Errorf("patched stage: %+v", stg)
		}
		if w := nat.json("PATCH", "/api/v1/elections/"+id(psu.ID)+"/stages/"+id(stg.ID), map[string]any{"note": "x"}); w.Code != 404 {
			t.Errorf("a stage under another election: %d", w.Code)
		}
		w = nat.json("PATCH", "/api/v1/elections/"+id(made.ID), map[string]any{"voting_day": "2029-11-29"})
		if w.Code != 422 || !strings.Contains(w.Body.String(), "voting_day") {
			t.Errorf("voting day off its stage: %d %s", w.Code, w.Body.String())
		}
		got := decode[apiElection](t, nat.json("PATCH", "/api/v1/elections/"+id(made.ID), map[string]any{"name_en": "Palangka Raya mayoral election 2029"}))
		if got.NameEN != "Palangka Raya mayoral election 2029" || got.Name != "Pilwalkot Palangka Raya 2029" || len(got.Stages) != 2 || got.VotingDay != "2029-11-28" {
			t.Errorf("patched election: %+v", got)
		}
		if w := nat.json("PATCH", "/api/v1/elections/"+id(made.ID), map[string]any{"stages": []any{}}); w.Code != 422 {
			t.Errorf("stages in a patch: %d", w.Code)
		}
		if w := nat.json("DELETE", "/api/v1/elections/"+id(made.ID)+"/stages/"+id(stg.ID), nil); w.Code != 204 {
			t.Errorf("delete stage: %d", w.Code)
		}
		if w := nat.json("DELETE", "/api/v1/elections/"+id(made.ID), nil); w.Code != 204 {
			t.Errorf("delete election: %d", w.Code)
		}
		if w := nat.json("DELETE", "/api/v1/elections/"+id(shipped(t, e, "pemilu-2024").ID), nil); w.Code != 409 {
			t.Errorf("delete the PSU's parent: %d", w.Code)
		}
	})
}
