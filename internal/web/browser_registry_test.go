package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

// siasnColumns is the header of SIASN's "data utama" export.
var siasnColumns = []string{"PNS_ID", "NIP_BARU", "NIP_LAMA", "NAMA", "GELAR_DEPAN", "GELAR_BELAKANG", "TEMPAT_LAHIR_NAMA",
	"TANGGAL_LAHIR", "JENIS_KELAMIN", "NIK", "NOMOR_HP", "EMAIL", "EMAIL_GOV", "JENIS_PEGAWAI_NAMA", "KEDUDUKAN_HUKUM_NAMA",
	"STATUS_CPNS_PNS", "GOL_AKHIR_NAMA", "TMT_GOLONGAN", "JENIS_JABATAN_NAMA", "JABATAN_NAMA", "TMT_JABATAN", "ESELON",
	"TINGKAT_PENDIDIKAN_NAMA", "UNOR_NAMA", "UNOR_INDUK_NAMA", "INSTANSI_KERJA_NAMA", "SATUAN_KERJA_KERJA_NAMA"}

// siasnRow is one row of a SIASN file: the cells named, the rest empty.
func siasnRow(cells map[string]string) string {
	out := make([]string, len(siasnColumns))
	for i, c := range siasnColumns {
		out[i] = cells[c]
	}
	return strings.Join(out, "|")
}

// noSideways fails when the page is wider than the window.
func noSideways(t *testing.T, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var wide string
		if err := chromedp.Evaluate(`(function () {
			var w = document.documentElement.clientWidth, out = [];
			if (document.documentElement.scrollWidth <= w) { return ""; }
			document.querySelectorAll("body *").forEach(function (el) {
				var r = el.getBoundingClientRect();
				if (el.parentElement && el.parentElement.closest(".table-wrap")) { return; }
				if ((r.right > w + 1 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible") && out.length < 8) {
					out.push(el.tagName + "." + el.className + " " + Math.round(r.right) + "/" + el.scrollWidth);
				}
			});
			return "page " + document.documentElement.scrollWidth + " > " + w + ": " + out.join(", ");
		})()`, &wide).Do(ctx); err != nil {
			return err
		}
		if wide != "" {
			t.Errorf("%s scrolls sideways at phone size: %s", name, wide)
		}
		return nil
	})
}

// TestBrowserSIASNImport: Palangka Raya's operator imports a SIASN export
// (pipe separated, upper-case unit names with the government's suffix) with
// an unknown unit, a bad date, a birth date disagreeing with the NIP and a
// row naming Tarakan's employee; reads the preview, runs it, and reads the
// warnings, the rejected rows and the pending transfer on a phone. Tarakan's
// admin confirms the transfer in another browser; then an imported
// employee's chain of superiors differs between two dates as the unit
// heads, the Plt and the office holders recorded in the store say.
func TestBrowserSIASNImport(t *testing.T) {
	ctx := browser(t, 1280, 900, false)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	dewi := e.employees["tarakan"]

	base := map[string]string{"JENIS_PEGAWAI_NAMA": "PNS DAERAH KAB/KOTA", "KEDUDUKAN_HUKUM_NAMA": "Aktif", "STATUS_CPNS_PNS": "P",
		"GOL_AKHIR_NAMA": "III/b", "JENIS_JABATAN_NAMA": "Fungsional Umum", "JABATAN_NAMA": "Pengelola Data",
		"UNOR_INDUK_NAMA": "DINAS PENDIDIKAN KOTA PALANGKA RAYA", "INSTANSI_KERJA_NAMA": "PEMERINTAH KOTA PALANGKA RAYA",
		"SATUAN_KERJA_KERJA_NAMA": "PEMERINTAH KOTA PALANGKA RAYA", "TINGKAT_PENDIDIKAN_NAMA": "S-1/Sarjana"}
	row := func(over map[string]string) string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range over {
			m[k] = v
		}
		return siasnRow(m)
	}
	lines := []string{strings.Join(siasnColumns, "|"),
		// line 2: good, into the SD division.
		row(map[string]string{"PNS_ID": "A5EB03E23C0BF6A0E040640A040252AD", "NIP_BARU": "198609262015051001", "NAMA": "YOGA PRATAMA",
			"GELAR_BELAKANG": "S.Pd.", "TEMPAT_LAHIR_NAMA": "PALANGKA RAYA", "TANGGAL_LAHIR": "26-09-1986", "JENIS_KELAMIN": "M",
			"NIK": "6271012609860001", "EMAIL_GOV": "yoga@palangkaraya.go.id", "TMT_GOLONGAN": "01-04-2019",
			"UNOR_NAMA": "BIDANG SEKOLAH DASAR KOTA PALANGKA RAYA"}),
		// line 3: the birth date disagrees with the NIP (a warning, imported).
		row(map[string]string{"NIP_BARU": "199001012015052002", "NAMA": "LESTARI", "TANGGAL_LAHIR": "02-01-1990", "JENIS_KELAMIN": "F",
			"UNOR_NAMA": "BIDANG SEKOLAH MENENGAH PERTAMA KOTA PALANGKA RAYA"}),
		// line 4: a unit Palangka Raya does not have.
		row(map[string]string{"NIP_BARU": "198803032015051003", "NAMA": "HENDRA", "TANGGAL_LAHIR": "03-03-1988", "JENIS_KELAMIN": "M",
			"UNOR_NAMA": "BIDANG SEKOLAH MENENGAH ATAS KOTA PALANGKA RAYA"}),
		// line 5: a date that does not exist.
		row(map[string]string{"NIP_BARU": "198504042015051004", "NAMA": "AGUS", "TANGGAL_LAHIR": "04-04-1985", "JENIS_KELAMIN": "M",
			"TMT_GOLONGAN": "31-02-2019", "UNOR_NAMA": "BIDANG SEKOLAH DASAR KOTA PALANGKA RAYA"}),
		// line 6: Tarakan's employee: a pending transfer.
		row(map[string]string{"NIP_BARU": dewi.NIP, "NAMA": "DEWI PINDAHAN", "GOL_AKHIR_NAMA": "III/c",
			"UNOR_NAMA": "SEKRETARIAT DAERAH KOTA PALANGKA RAYA", "UNOR_INDUK_NAMA": ""}),
		// line 7: a row of Tarakan's own roster (another government).
		row(map[string]string{"NIP_BARU": "199105052015052005", "NAMA": "RATNA", "TANGGAL_LAHIR": "05-05-1991", "JENIS_KELAMIN": "F",
			"UNOR_NAMA": "SEKRETARIAT DAERAH KOTA TARAKAN", "UNOR_INDUK_NAMA": "", "INSTANSI_KERJA_NAMA": "PEMERINTAH KOTA TARAKAN",
			"SATUAN_KERJA_KERJA_NAMA": "PEMERINTAH KOTA TARAKAN"}),
	}
	file := filepath.Join(t.TempDir(), "siasn-palangkaraya.csv")
	must(t, os.WriteFile(file, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o644))

	signInBrowser(t, ctx, e, ts.URL, "admin")
	var preview string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/impor?instansi="+id(e.palangka.ID)),
		chromedp.WaitVisible("#f-file", q),
		chromedp.SetUploadFiles("#f-file", []string{file}, q),
		chromedp.Submit("#f-file", q),
		chromedp.WaitVisible("progress", q),
	))
	ran := e.runJobsAsync()
	must(t, chromedp.Run(ctx,
		chromedp.WaitVisible("#preview", q),
		chromedp.Text("main", &preview, q),
		screenshot(t, dir, "siasn-1-preview"),
		axeCheck(t, "siasn-1-preview"),
	))
	must(t, <-ran)
	for _, want := range []string{"Pratinjau impor siasn-palangkaraya.csv", "6 baris dibaca", "milik instansi lain", "Menunggu mutasi", "Menunggu mutasi"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	if n, _, err := e.st.CountEmployees(sys, netra.EmployeeFilter{TenantID: e.palangka.ID}); err != nil || n != 5 {
		t.Errorf("the preview wrote: %d employees in Palangka Raya (%v)", n, err)
	}

	// Confirmed, on a phone.
	must(t, chromedp.Run(ctx,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Click("form[action$='/konfirmasi'] button", q),
		chromedp.WaitVisible("progress", q),
	))
	ran = e.runJobsAsync()
	var result, problems, transfers string
	var green bool
	must(t, chromedp.Run(ctx,
		chromedp.WaitVisible("#problems", q),
		chromedp.Text("main", &result, q),
		chromedp.Text("#problems tbody", &problems, q),
		chromedp.Text("#transfers tbody", &transfers, q),
		chromedp.Evaluate(`!!document.querySelector("main .flash")`, &green),
		screenshot(t, dir, "siasn-2-result-phone"),
		axeCheck(t, "siasn-2-result-phone"),
		noSideways(t, "the result page"),
	))
	must(t, <-ran)
	if green || !strings.Contains(result, "Hasil impor siasn-palangkaraya.csv") || !strings.Contains(result, "menunggu konfirmasi mutasi") {
		t.Errorf("result page (green %v):\n%s", green, result)
	}
	for _, want := range []string{
		"3", "TANGGAL_LAHIR", "02-01-1990", "Peringatan", "berbeda dengan tanggal dalam", // the warning
		"4", "UNOR_NAMA", "BIDANG SEKOLAH MENENGAH ATAS KOTA PALANGKA RAYA", "Yang paling mirip", // the unknown unit
		"5", "TMT_GOLONGAN", "31-02-2019", // the bad date
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("rejected rows lack %q:\n%s", want, problems)
		}
	}
	if !strings.Contains(transfers, dewi.NIP) || !strings.Contains(transfers, "DEWI PINDAHAN") || strings.Contains(transfers, "Tarakan") {
		t.Errorf("transfers on the result page:\n%s", transfers)
	}

	// Tarakan's admin, in a browser of their own, confirms.
	tctx := browser(t, 1280, 900, false)
	signInBrowser(t, tctx, e, ts.URL, "tarakan")
	must(t, chromedp.Run(tctx, chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/")))
	var outgoing, after string
	must(t, chromedp.Run(tctx,
		chromedp.Navigate(ts.URL+"/mutasi"),
		chromedp.WaitVisible("h1", q),
		chromedp.Text("main", &outgoing, q),
		screenshot(t, dir, "siasn-3-transfers-tarakan"),
		axeCheck(t, "siasn-3-transfers-tarakan"),
	))
	if !strings.Contains(outgoing, "Kota Palangka Raya") || !strings.Contains(outgoing, dewi.NIP) {
		t.Fatalf("Tarakan's transfers page:\n%s", outgoing)
	}
	must(t, chromedp.Run(tctx,
		chromedp.Click("form[action$='/konfirmasi'] button", q),
		chromedp.WaitVisible("h1", q),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.Text("main", &after, q),
		screenshot(t, dir, "siasn-4-transfer-confirmed"),
		axeCheck(t, "siasn-4-transfer-confirmed"),
	))
	got, err := e.st.Employee(sys, dewi.ID)
	if err != nil || got.TenantID != e.palangka.ID || got.UnitID != e.setda.ID || got.Name != "DEWI PINDAHAN" {
		t.Fatalf("after Tarakan confirmed: %+v %v\n%s", got, err, after)
	}

	// Heads and office holders over 2024, recorded in the store.
	day := func(s string) time.Time { d, err := time.Parse("2006-01-02", s); must(t, err); return d }
	head := func(u *netra.OrgUnit, nip, name, pos string, pt netra.PositionType, eselon, tmt string) *netra.Employee {
		em := &netra.Employee{NIP: nip, Name: name, Type: netra.PNS, Golongan: "IV/a", PositionName: pos, PositionType: pt,
			Eselon: eselon, UnitID: u.ID, Head: true, PositionDate: day(tmt)}
		must(t, e.st.CreateEmployee(sys, em))
		return em
	}
	head(e.disdikSD, "197502022000031001", "Kabid Suryadi", "Kepala Bidang Sekolah Dasar", netra.Administrator, "III.a", "2020-01-02")
	head(e.disdik, "197003032000031002", "Kadis Wulandari", "Kepala Dinas Pendidikan", netra.JPTPratama, "II.b", "2024-07-01")
	must(t, e.st.CreateAssignment(sys, &netra.Assignment{EmployeeID: e.employees["kadis"].ID, UnitID: e.disdik.ID,
		PositionName: "Kepala Dinas Pendidikan", Kind: netra.Plt, Start: day("2024-01-02"), End: day("2024-06-30")}))
	for _, h := range []netra.OfficeHolder{
		{Office: netra.OfficePPK, Kind: netra.OfficeDefinitive, Name: "Wali Kota Definitif", Title: "Wali Kota Palangka Raya", From: day("2019-09-24"), To: day("2024-09-24")},
		{Office: netra.OfficePPK, Kind: netra.OfficePj, Name: "Penjabat Wali Kota", Title: "Penjabat Wali Kota Palangka Raya", From: day("2024-09-25")},
		{Office: netra.OfficeSekda, Kind: netra.OfficeDefinitive, Name: "Ahmad Sekda", Title: "Sekretaris Daerah Kota Palangka Raya",
			EmployeeID: e.employees["sekda"].ID, From: day("2021-01-04"), To: day("2024-05-31")},
		{Office: netra.OfficeSekda, Kind: netra.OfficePj, Name: "Pj Sekda Baru", Title: "Pj. Sekretaris Daerah Kota Palangka Raya", From: day("2024-06-01")},
	} {
		h.TenantID = e.palangka.ID
		must(t, e.st.CreateOfficeHolder(sys, &h))
	}
	found, err := e.st.Employees(sys, netra.EmployeeFilter{TenantID: e.palangka.ID, Search: "198609262015051001"})
	if err != nil || len(found.Employees) != 1 {
		t.Fatalf("the imported employee: %+v %v", found, err)
	}
	yoga := found.Employees[0]
	chain := map[string]string{}
	for _, at := range []string{"2024-03-01", "2024-10-15"} {
		var text string
		if w := e.as("admin").get("/pegawai/" + id(yoga.ID) + "?at=" + at); !strings.Contains(w.Body.String(), "superiors") {
			t.Fatalf("employee page %d:\n%s", w.Code, w.Body.String())
		}
		must(t, chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+"/pegawai/"+id(yoga.ID)+"?at="+at),
			chromedp.WaitVisible("ol.superiors", q),
			chromedp.Text("ol.superiors", &text, q),
			screenshot(t, dir, "siasn-5-superiors-"+at),
			viewShot(t, dir, "siasn-5-superiors-view-"+at, "#jabatan"),
			axeCheck(t, "employee page at "+at),
			noSideways(t, "the employee page at "+at),
		))
		chain[at] = text
	}
	early, late := chain["2024-03-01"], chain["2024-10-15"]
	order := func(s string, names ...string) bool {
		i := 0
		for _, n := range names {
			j := strings.Index(s[i:], n)
			if j < 0 {
				return false
			}
			i += j
		}
		return true
	}
	if !order(early, "Kabid Suryadi", "Rina Kadis", "Plt.", "Ahmad Sekda", "Wali Kota Definitif") ||
		strings.Contains(early, "Kadis Wulandari") || strings.Contains(early, "Penjabat Wali Kota") || strings.Contains(early, "Pj Sekda Baru") {
		t.Errorf("chain on 1 March 2024:\n%s", early)
	}
	if !order(late, "Kabid Suryadi", "Kadis Wulandari", "Pj Sekda Baru", "Penjabat Wali Kota") ||
		strings.Contains(late, "Rina Kadis") || strings.Contains(late, "Ahmad Sekda") || strings.Contains(late, "Wali Kota Definitif") {
		t.Errorf("chain on 15 October 2024:\n%s", late)
	}
}

// TestBrowserBulkMovePhone: on a phone, the city's admin opens the bulk bar
// of the employee list, ticks every row of the page with the heading's box,
// picks a unit from the suggestions and is asked to confirm the count of
// employees; confirmed, they have moved. The office holder page of the
// city is checked at phone size too.
func TestBrowserBulkMovePhone(t *testing.T) {
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	signInBrowser(t, ctx, e, ts.URL, "admin")

	var options int
	var question, button string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/pegawai?instansi="+id(e.palangka.ID)),
		chromedp.WaitVisible("details.bulkbar summary", q),
		chromedp.Click("details.bulkbar summary", q),
		chromedp.WaitVisible("#f-unit_tujuan", q),
		chromedp.Click("table.names thead input.pick", q),
		chromedp.SendKeys("#f-unit_tujuan", "Sekolah Dasar", q),
		chromedp.Poll(`document.querySelectorAll("#unit-list option").length`, &options, chromedp.WithPollingTimeout(10*time.Second)),
		viewShot(t, dir, "bulk-1-bar-phone", "details.bulkbar"),
		axeCheck(t, "bulk-1-bar-phone"),
		noSideways(t, "the employee list with the bulk bar open"),
	))
	var code string
	var ticked int
	must(t, chromedp.Run(ctx,
		chromedp.Evaluate(`document.querySelector("#unit-list option").value`, &code),
		chromedp.Evaluate(`document.querySelectorAll('input.pick[form="bulk"]:checked').length`, &ticked),
	))
	if code != "DISDIK-SD" || ticked != 5 {
		t.Fatalf("suggested %q (%d options), %d rows ticked", code, options, ticked)
	}
	must(t, chromedp.Run(ctx,
		chromedp.SetValue("#f-unit_tujuan", code, q),
		chromedp.Click("#bulk button[type=submit]", q),
		chromedp.WaitVisible("#bulk-q", q),
		chromedp.Text("#bulk-q", &question, q),
		chromedp.Text("section.panel button[type=submit]", &button, q),
		screenshot(t, dir, "bulk-2-confirm-phone"),
		axeCheck(t, "bulk-2-confirm-phone"),
		noSideways(t, "the bulk confirmation"),
	))
	if !strings.Contains(button, "5 pegawai") || !strings.Contains(question, "Bidang Sekolah Dasar") {
		t.Fatalf("confirmation: %q / %q", question, button)
	}
	must(t, chromedp.Run(ctx,
		chromedp.Click("section.panel button[type=submit]", q),
		chromedp.WaitVisible("h1", q),
		chromedp.Sleep(200*time.Millisecond),
		screenshot(t, dir, "bulk-3-done-phone"),
		axeCheck(t, "bulk-3-done-phone"),
	))
	for _, k := range []string{"sekda", "andi", "kadis", "guru", "smp"} {
		if got, err := e.st.Employee(sys, e.employees[k].ID); err != nil || got.UnitID != e.disdikSD.ID {
			t.Errorf("%s after the bulk move: %+v %v", k, got, err)
		}
	}
	if got, _ := e.st.Employee(sys, e.employees["tarakan"].ID); got.UnitID != e.setdaTRK.ID {
		t.Errorf("Tarakan's employee moved: %+v", got)
	}

	// The office holders page on the phone.
	must(t, e.st.CreateOfficeHolder(sys, &netra.OfficeHolder{TenantID: e.palangka.ID, Office: netra.OfficePPK, Kind: netra.OfficePj,
		Name: "Penjabat Wali Kota", Title: "Penjabat Wali Kota Palangka Raya", From: time.Date(2024, 9, 25, 0, 0, 0, 0, time.UTC),
		DecreeNumber: "100.2.1.3-1234 Tahun 2024"}))
	var offices string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/instansi/"+id(e.palangka.ID)+"/pejabat?at=2024-10-01"),
		chromedp.WaitVisible("h1", q),
		chromedp.Text("main", &offices, q),
		screenshot(t, dir, "offices-phone"),
		axeCheck(t, "offices-phone"),
		noSideways(t, "the office holders page"),
	))
	if !strings.Contains(offices, "Penjabat Wali Kota") {
		t.Errorf("office holders page:\n%s", offices)
	}
}
