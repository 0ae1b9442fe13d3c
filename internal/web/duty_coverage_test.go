package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/pdf/pdftest"
	"github.com/netra-id/netra/internal/store"
	"github.com/netra-id/netra/internal/store/storetest"
)

// campaign creates and launches a pledge campaign of tenant for Pilkada
// 2024 (from the shipped calendar), open from a day ago for 30 days, with
// the target given (empty: the whole government).
func (e *env) campaign(t *testing.T, tenant *netra.Tenant, title string, target netra.DutyTarget) *netra.PledgeCampaign {
	t.Helper()
	tpls, err := e.st.InstallShippedPledges(sys, tenant.ID)
	must(t, err)
	el, err := e.st.ElectionByCode(sys, "pilkada-2024")
	must(t, err)
	now := e.now()
	c := &netra.PledgeCampaign{TenantID: tenant.ID, TemplateID: tpls[0].ID, TemplateVersion: tpls[0].Latest.Version, ElectionID: el.ID,
		Title: title, Opens: now.Add(-24 * time.Hour), Closes: now.Add(30 * 24 * time.Hour), Target: target}
	must(t, e.st.CreatePledgeCampaign(sys, c))
	launched, err := e.st.LaunchPledgeCampaign(sys, c.ID)
	must(t, err)
	return launched
}

// employeeCtx is the context of employee em signed in with their own
// employee account, as the signing page runs.
func employeeCtx(em *netra.Employee, tenant *netra.Tenant) context.Context {
	return netra.WithActor(context.Background(), &netra.Actor{EmployeeID: em.ID, Label: "user:nip." + em.NIP,
		Grants: []netra.Grant{{Role: netra.RoleEmployee, TenantID: tenant.ID, TenantCode: tenant.Code, TenantPath: tenant.Path()}}})
}

// sign signs campaign c for the fixture employees named, online.
func (e *env) sign(t *testing.T, c *netra.PledgeCampaign, tenant *netra.Tenant, names ...string) {
	t.Helper()
	for _, n := range names {
		em := e.employees[n]
		if _, err := e.st.SignPledge(employeeCtx(em, tenant), c.ID, em.Name); err != nil {
			t.Fatalf("sign %s: %v", n, err)
		}
	}
}

var fixtureDuty = map[*env]int64{}

// lazyDuty is a launched campaign's duty of Palangka Raya, for the route test.
func (e *env) lazyDuty(t *testing.T) int64 {
	if id, ok := fixtureDuty[e]; ok {
		return id
	}
	c := e.campaign(t, e.palangka, "Ikrar Uji Rute", netra.DutyTarget{})
	fixtureDuty[e] = c.DutyID
	return c.DutyID
}

// rowOf returns the text of the table row (or list item) holding label,
// tags stripped and white space collapsed.
func rowOf(t *testing.T, body, label string) string {
	t.Helper()
	i := strings.Index(body, label)
	if i < 0 {
		t.Fatalf("no row for %q", label)
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		t.Fatalf("%q is not in a table row", label)
	}
	return textOf(body[start : i+end])
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

func textOf(html string) string {
	return strings.Join(strings.Fields(tagRe.ReplaceAllString(html, " ")), " ")
}

// TestDutyCoverageNumbers: a campaign over Palangka Raya (5 employees:
// Setda 2, Dinas Pendidikan 1 with Bidang SD 1 and Bidang SMP 1), signed
// by three. The government's page, a unit's and a child's show the right
// numbers, Indonesian style (and English after the switch), each child
// linking to its own page and the breadcrumb back up; the breakdowns; the
// list of duties; a unit-scoped admin starts at their unit and is refused
// another.
func TestDutyCoverageNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.campaign(t, e.palangka, "Ikrar Netralitas ASN Pilkada 2024", netra.DutyTarget{})
		e.sign(t, c, e.palangka, "guru", "smp", "andi")
		d := id(c.DutyID)
		admin := e.as("admin")

		gov := admin.get("/tugas/" + d)
		wantBody(t, gov, 200, "Ikrar Netralitas ASN Pilkada 2024", "Kota Palangka Raya", "60,0%",
			`href="/tugas/`+d+`?unit=`+id(e.disdik.ID)+`"`, `href="/tugas/`+d+`?unit=`+id(e.setda.ID)+`"`,
			`href="/tugas/`+d+`/belum"`, `href="/tugas/`+d+`/ekspor.xlsx"`, `href="/tugas/`+d+`/ekspor.pdf"`)
		body := gov.Body.String()
		for label, want := range map[string]string{
			"Dinas Pendidikan</a>":        "Dinas Pendidikan 2 dari 3 66,6% 0 1",
			"Sekretariat Daerah</a>":      "Sekretariat Daerah 1 dari 2 50,0% 0 1",
			`<th scope="row">Jumlah</th>`: "Jumlah 3 dari 5 60,0% 0 2",
		} {
			if got := rowOf(t, body, label); !strings.Contains(got, want) {
				t.Errorf("government page row %q, want %q", got, want)
			}
		}
		if got := textOf(body[strings.Index(body, `<ul class="stats coverage-stats"`):]); !strings.HasPrefix(got, "60,0% cakupan 3 sudah, dari 5 pegawai sasaran 0 dikecualikan") {
			t.Errorf("totals: %.120s", got)
		}
		if got := rowOf(t, body, ">PNS<"); !strings.Contains(got, "PNS 3 dari 5 60,0%") {
			t.Errorf("by employment type: %q", got)
		}
		if got := rowOf(t, body, ">Pelaksana<"); !strings.Contains(got, "Pelaksana 3 dari 5") {
			t.Errorf("by position type: %q", got)
		}

		unit := admin.get("/tugas/" + d + "?unit=" + id(e.disdik.ID))
		wantBody(t, unit, 200, `<a href="/tugas/`+d+`">Kota Palangka Raya</a>`, "66,6%",
			`href="/tugas/`+d+`?unit=`+id(e.disdikSD.ID)+`"`, `href="/tugas/`+d+`/belum?unit=`+id(e.disdik.ID)+`"`)
		body = unit.Body.String()
		for label, want := range map[string]string{
			"Bidang Sekolah Dasar</a>":            "Bidang Sekolah Dasar 1 dari 1 100,0% 0 0",
			"Bidang Sekolah Menengah Pertama</a>": "Bidang Sekolah Menengah Pertama 1 dari 1 100,0% 0 0",
			"Langsung di Dinas Pendidikan":        "Langsung di Dinas Pendidikan 0 dari 1 0,0% 0 1",
			`<th scope="row">Jumlah</th>`:         "Jumlah 2 dari 3 66,6% 0 1",
		} {
			if got := rowOf(t, body, label); !strings.Contains(got, want) {
				t.Errorf("unit page row %q, want %q", got, want)
			}
		}

		child := admin.get("/tugas/" + d + "?unit=" + id(e.disdikSD.ID))
		wantBody(t, child, 200, `<a href="/tugas/`+d+`?unit=`+id(e.disdik.ID)+`">Dinas Pendidikan</a>`, "100,0%")
		if strings.Contains(child.Body.String(), "Cakupan per unit kerja di bawah") {
			t.Error("a unit without children shows a children table")
		}
		if got := textOf(child.Body.String()[strings.Index(child.Body.String(), `<ul class="stats coverage-stats"`):]); !strings.HasPrefix(got, "100,0% cakupan 1 sudah, dari 1") {
			t.Errorf("child totals: %.80s", got)
		}

		admin.lang = "en"
		wantBody(t, admin.get("/tugas/"+d), 200, "60.0%", "3 of 5", "Coverage by unit and by government below Kota Palangka Raya")
		admin.lang = ""

		list := admin.get("/tugas")
		wantBody(t, list, 200, `href="/tugas/`+d+`"`, "Ikrar Netralitas ASN Pilkada 2024", "Ikrar netralitas", "Berjalan",
			"Cakupan 60,0% · 3 dari 5 pegawai sasaran sudah")
		wantBody(t, admin.get("/tugas?jenis=circular"), 200, "Tidak ada tugas yang cocok dengan saringan.")
		wantBody(t, admin.get("/tugas?status=open&jenis=pledge"), 200, `href="/tugas/`+d+`"`)
		wantBody(t, admin.get("/tugas?jenis=rapat"), 422)

		// Dinas Pendidikan's own admin starts at their unit; Setda is not theirs.
		dis := e.as("disdik")
		wantBody(t, dis.get("/tugas/"+d), 200, "66,6%", "Bidang Sekolah Dasar")
		if got := dis.get("/tugas/" + d + "?unit=" + id(e.setda.ID)).Code; got != http.StatusForbidden && got != http.StatusNotFound {
			t.Errorf("a Disdik admin opens Setda's coverage: %d", got)
		}
		wantBody(t, dis.get("/tugas"), 200, "Cakupan 66,6% · 2 dari 3 pegawai sasaran sudah")
		// Both a unit and a government is a bad request; a unit of another city is refused.
		wantBody(t, admin.get("/tugas/"+d+"?unit=1&instansi=1"), 400)
		if got := admin.get("/tugas/" + d + "?unit=" + id(e.setdaTRK.ID)).Code; got != http.StatusNotFound && got != http.StatusForbidden {
			t.Errorf("a Tarakan unit in Palangka Raya's duty: %d", got)
		}
	})
}

// TestDutyCoverageAccess: the city's leader reads the city's duty, Tarakan's
// admin does not; an employee is refused; the province's leader reads the
// city's duty through oversight, and a province campaign that reaches the
// governments below shows the city as a child, which the city's leader
// opens at their own government.
func TestDutyCoverageAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.campaign(t, e.palangka, "Ikrar Kota", netra.DutyTarget{})
		e.sign(t, c, e.palangka, "guru")
		d := id(c.DutyID)
		wantBody(t, e.as("leader").get("/tugas/"+d), 200, "1 dari 5", "20,0%")
		wantBody(t, e.as("auditor").get("/tugas/"+d+"/belum"), 200, "Ahmad Sekda")
		trk := e.as("tarakan")
		for _, path := range []string{"/tugas/" + d, "/tugas/" + d + "/belum", "/tugas/" + d + "/ekspor.xlsx", "/tugas/" + d + "/ekspor.pdf",
			"/tugas/" + d + "/belum.xlsx", "/tugas?instansi=" + id(e.palangka.ID)} {
			if got := trk.get(path).Code; got != http.StatusNotFound && got != http.StatusForbidden {
				t.Errorf("Tarakan's admin: GET %s = %d", path, got)
			}
		}
		if strings.Contains(trk.get("/tugas").Body.String(), "Ikrar Kota") {
			t.Error("Tarakan's list shows Palangka Raya's duty")
		}
		for _, path := range []string{"/tugas", "/tugas/" + d, "/tugas/" + d + "/belum"} {
			if got := e.as("pegawai").get(path).Code; got != http.StatusForbidden {
				t.Errorf("an employee: GET %s = %d", path, got)
			}
		}
		if got := e.as("verifier").get("/tugas/" + d).Code; got != http.StatusForbidden {
			t.Errorf("a verifier: %d", got)
		}
		// Palangka Raya's leader does not see Tarakan's campaign.
		tc := e.campaign(t, e.tarakan, "Ikrar Tarakan", netra.DutyTarget{})
		for _, path := range []string{"/tugas/" + id(tc.DutyID), "/tugas/" + id(tc.DutyID) + "/belum", "/tugas/" + id(tc.DutyID) + "/ekspor.pdf",
			"/tugas?instansi=" + id(e.tarakan.ID)} {
			if got := e.as("leader").get(path).Code; got != http.StatusNotFound && got != http.StatusForbidden {
				t.Errorf("Palangka Raya's leader: GET %s = %d", path, got)
			}
		}
		wantBody(t, e.as("tarakan").get("/tugas/"+id(tc.DutyID)), 200, "Kota Tarakan", "0 dari 1")

		e.user("leader.kalteng", netra.RoleLeader, e.kalteng, nil)
		prov := e.as("leader.kalteng")
		wantBody(t, prov.get("/tugas/"+d), 200, "Kota Palangka Raya", "1 dari 5", "Sekretariat Daerah")
		wantBody(t, prov.get("/tugas?instansi="+id(e.palangka.ID)), 200, `href="/tugas/`+d+`"`, "Ikrar Kota")
		// Oversight reads; it does not excuse.
		if strings.Contains(prov.get("/tugas/"+d+"/belum").Body.String(), "Kecualikan") {
			t.Error("the province's leader is offered an excuse")
		}

		// A province's campaign that reaches the governments below (its
		// signatures are each government's own: the city's admin excuses
		// one of the city's people from it).
		pc := e.campaign(t, e.kalteng, "Ikrar Provinsi", netra.DutyTarget{Governments: []netra.DutyTargetGovernment{{TenantID: e.kalteng.ID, Below: true}}})
		must(t, st.ExcuseDuty(netra.WithActor(context.Background(), actorFor(e.users["admin"], "127.0.0.1")), pc.DutyID,
			e.employees["andi"].ID, "Cuti melahirkan"))
		pd := id(pc.DutyID)
		page := prov.get("/tugas/" + pd)
		wantBody(t, page, 200, "Provinsi Kalimantan Tengah", `href="/tugas/`+pd+`?instansi=`+id(e.palangka.ID)+`"`)
		if got := rowOf(t, page.Body.String(), "Kota Palangka Raya</a>"); !strings.Contains(got, "0 dari 5 0,0% 1 4") {
			t.Errorf("the province's child: %q", got)
		}
		city := prov.get("/tugas/" + pd + "?instansi=" + id(e.palangka.ID))
		wantBody(t, city, 200, `<a href="/tugas/`+pd+`">Provinsi Kalimantan Tengah</a>`, "0 dari 5", `href="/tugas/`+pd+`?unit=`+id(e.setda.ID)+`"`)
		if got := rowOf(t, city.Body.String(), "Sekretariat Daerah</a>"); !strings.Contains(got, "0 dari 2 0,0% 1 1") {
			t.Errorf("the city's Setda in the province's campaign: %q", got)
		}
		// The city's leader opens the province's campaign at their city.
		lc := e.as("leader")
		wantBody(t, lc.get("/tugas/"+pd), 200, "Kota Palangka Raya", "0 dari 5")
		if got := lc.get("/tugas/" + pd + "?instansi=" + id(e.kalteng.ID)).Code; got != http.StatusForbidden && got != http.StatusNotFound {
			t.Errorf("the city's leader reads the whole province: %d", got)
		}
		wantBody(t, prov.get("/tugas?instansi="+id(e.kalteng.ID)), 200, "Ikrar Provinsi", "Cakupan 0,0% · 0 dari 5", "1 dikecualikan")
	})
}

// TestDutyPendingAndExcuse: the pending list pages by 50; an excuse needs a
// reason (refused, numbers unchanged), is refused for an employee outside
// the operator's units, and with a reason moves the numbers (excused +1,
// pending −1) and takes the employee off the list. A leader sees no excuse
// action and cannot post one.
func TestDutyPendingAndExcuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		for i := range 55 {
			e.employee(fmt.Sprintf("sd%02d", i), e.disdikSD, fmt.Sprintf("Guru SD %02d", i), "")
		}
		c := e.campaign(t, e.palangka, "Ikrar Netralitas ASN Pilkada 2024", netra.DutyTarget{})
		e.sign(t, c, e.palangka, "guru")
		d := id(c.DutyID)
		admin := e.as("admin")

		first := admin.get("/tugas/" + d + "/belum?unit=" + id(e.disdikSD.ID))
		wantBody(t, first, 200, "55 pegawai belum, dari 56 pegawai sasaran.", "Guru SD 00", "Guru SD 49", "Kecualikan",
			`rel="next"`, `href="/tugas/`+d+`/belum.xlsx?unit=`+id(e.disdikSD.ID)+`"`)
		body := first.Body.String()
		if strings.Contains(body, "Guru SD 50") || strings.Contains(body, "Siti Aminah") {
			t.Error("the first page holds more than 50, or someone who signed")
		}
		next := regexp.MustCompile(`href="(/tugas/[^"]+setelah=\d+[^"]*)" rel="next"`).FindStringSubmatch(body)
		if next == nil {
			t.Fatal("no next link")
		}
		second := admin.get(strings.ReplaceAll(next[1], "&amp;", "&"))
		wantBody(t, second, 200, "Guru SD 50", "Guru SD 54", "Halaman pertama")
		if strings.Contains(second.Body.String(), "Guru SD 49") || strings.Contains(second.Body.String(), `rel="next"`) {
			t.Error("the second page repeats the first or offers a third")
		}

		kadis := e.employees["kadis"]
		excuse := func(c *client, emp *netra.Employee, reason string) *http.Response {
			return c.post("/tugas/"+d+"/kecualikan", url.Values{"pegawai": {id(emp.ID)}, "alasan": {reason},
				"unit": {id(e.disdik.ID)}}).Result()
		}
		cov := func() netra.Coverage {
			v, err := st.DutyCoverage(sys, c.DutyID, 0)
			must(t, err)
			return v.Node
		}
		before := cov()
		w := admin.post("/tugas/"+d+"/kecualikan", url.Values{"pegawai": {id(kadis.ID)}, "alasan": {"  "}, "unit": {id(e.disdik.ID)}})
		wantBody(t, w, http.StatusUnprocessableEntity, "Alasan wajib diisi.", `aria-invalid="true"`, `<details class="excuse" open>`)
		if got := cov(); got != before {
			t.Errorf("a refused excuse changed the numbers: %+v → %+v", before, got)
		}
		// Dinas Pendidikan's admin cannot excuse Setda's Sekda.
		if r := excuse(e.as("disdik"), e.employees["sekda"], "Cuti besar"); r.StatusCode != http.StatusNotFound && r.StatusCode != http.StatusForbidden {
			t.Errorf("a Disdik admin excused a Setda employee: %d", r.StatusCode)
		}
		// A leader reads the list but has no excuse, and cannot post one.
		if strings.Contains(e.as("leader").get("/tugas/"+d+"/belum").Body.String(), "Kecualikan pegawai ini") {
			t.Error("the leader is offered an excuse")
		}
		if r := excuse(e.as("leader"), kadis, "Cuti besar"); r.StatusCode != http.StatusForbidden {
			t.Errorf("a leader posted an excuse: %d", r.StatusCode)
		}
		if got := cov(); got != before {
			t.Errorf("refused excuses changed the numbers: %+v → %+v", before, got)
		}

		// Dinas Pendidikan's admin excuses its head, with a reason.
		w = e.as("disdik").post("/tugas/"+d+"/kecualikan", url.Values{"pegawai": {id(kadis.ID)}, "alasan": {"Cuti besar sampai Desember"},
			"unit": {id(e.disdik.ID)}})
		wantRedirect(t, w, "/tugas/"+d+"/belum?unit="+id(e.disdik.ID))
		after := cov()
		if after.Excused != before.Excused+1 || after.Pending() != before.Pending()-1 || after.Targeted != before.Targeted || after.Done != before.Done {
			t.Errorf("after the excuse: %+v, before %+v", after, before)
		}
		page := admin.get("/tugas/" + d)
		if got := rowOf(t, page.Body.String(), "Dinas Pendidikan</a>"); !strings.Contains(got, "1 dari 58") || !strings.Contains(got, " 1 56") {
			t.Errorf("Dinas Pendidikan after the excuse: %q", got)
		}
		if strings.Contains(admin.get("/tugas/"+d+"/belum?unit="+id(e.disdik.ID)).Body.String(), "Rina Kadis") {
			t.Error("the excused employee is still on the pending list")
		}
	})
}

// TestDutyCoverageExports: the children table as XLSX (opened with
// excelize: the rows and totals as numbers) and as PDF (the letterhead,
// the title, the unit names and the totals), and the pending list as XLSX
// with one row per pending employee and neutralised cells.
func TestDutyCoverageExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.clock = time.Date(2024, 10, 1, 3, 0, 0, 0, time.UTC) // 10.00 WIB
		e.employee("formula", e.setda, "=HYPERLINK(\"x\") Budi", "")
		c := e.campaign(t, e.palangka, "Ikrar Netralitas ASN Pilkada 2024", netra.DutyTarget{})
		e.sign(t, c, e.palangka, "guru", "smp", "andi")
		d := id(c.DutyID)
		admin := e.as("admin")

		w := admin.get("/tugas/" + d + "/ekspor.xlsx")
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Disposition"), "cakupan-"+d+"-20241001-1000.xlsx") {
			t.Fatalf("xlsx: %d %q", w.Code, w.Header().Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		must(t, err)
		rows, err := f.GetRows("Cakupan", excelize.Options{RawCellValue: true})
		must(t, err)
		got := fmt.Sprint(rows)
		for _, want := range []string{"[Ikrar Netralitas ASN Pilkada 2024]", "[Instansi Kota Palangka Raya]",
			"[Keadaan per 1 Oktober 2024 10.00 WIB]", "[Unit kerja/instansi Sasaran Sudah Dikecualikan Belum Cakupan]",
			"[Dinas Pendidikan 3 2 0 1 0.666666666666666]", "[Sekretariat Daerah 3 1 0 2 0.333333333333333]", "[Jumlah 6 3 0 3 0.5]"} {
			if !strings.Contains(got, want) {
				t.Errorf("xlsx lacks %s:\n%s", want, got)
			}
		}
		if len(rows) != 9 {
			t.Errorf("xlsx has %d rows, want 6 of heading and 3 of table:\n%s", len(rows), got)
		}
		if typ, _ := f.GetCellType("Cakupan", "B7"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Error("the counts are text, not numbers")
		}
		f.Close()

		w = admin.get("/tugas/" + d + "/ekspor.pdf")
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("pdf: %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		layout := pdftest.PageText(t, w.Body.Bytes(), 1)
		words := pdftest.Words(layout)
		for _, want := range []string{"PEMERINTAH KOTA PALANGKA RAYA", "LAPORAN CAKUPAN IKRAR NETRALITAS ASN", "Ikrar Netralitas ASN Pilkada 2024",
			"keadaan per 1 Oktober 2024 pukul 10.00 WIB", "Instansi: Kota Palangka Raya"} {
			if !strings.Contains(words, want) {
				t.Errorf("pdf lacks %q:\n%s", want, layout)
			}
		}
		for _, want := range []*regexp.Regexp{regexp.MustCompile(`1\s+Dinas Pendidikan\s+3\s+2\s+0\s+1\s+66,6%`),
			regexp.MustCompile(`2\s+Sekretariat Daerah\s+3\s+1\s+0\s+2\s+33,3%`), regexp.MustCompile(`Jumlah\s+6\s+3\s+0\s+3\s+50,0%`)} {
			if !want.MatchString(layout) {
				t.Errorf("pdf lacks a row %s:\n%s", want, layout)
			}
		}

		// A leaf unit's report has the one line of the people placed in it.
		w = admin.get("/tugas/" + d + "/ekspor.pdf?unit=" + id(e.disdikSD.ID))
		if words := pdftest.Words(pdftest.Text(t, w.Body.Bytes())); w.Code != 200 || !strings.Contains(words, "Unit kerja: Bidang Sekolah Dasar") ||
			!strings.Contains(words, "Langsung di Bidang Sekolah Dasar") {
			t.Errorf("a leaf unit's report: %d\n%s", w.Code, words)
		}
		if got := admin.get("/tugas/" + d + "/ekspor.pdf?unit=" + id(e.setdaTRK.ID)).Code; got != http.StatusNotFound && got != http.StatusForbidden {
			t.Errorf("a report of Tarakan's unit in Palangka Raya's duty: %d", got)
		}

		w = admin.get("/tugas/" + d + "/belum.xlsx")
		if w.Code != 200 {
			t.Fatalf("pending xlsx: %d", w.Code)
		}
		f, err = excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		must(t, err)
		defer f.Close()
		rows, err = f.GetRows("Belum")
		must(t, err)
		got = fmt.Sprint(rows)
		if len(rows) != 5+3 {
			t.Errorf("pending xlsx has %d rows, want 5 of heading and 3 pending:\n%s", len(rows), got)
		}
		for _, want := range []string{e.employees["sekda"].NIP + " Ahmad Sekda Sekretariat Daerah Analis", "Rina Kadis Dinas Pendidikan",
			"'=HYPERLINK(\"x\") Budi"} {
			if !strings.Contains(got, want) {
				t.Errorf("pending xlsx lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "Siti Aminah") {
			t.Error("the pending export lists someone who signed")
		}
	})
}
