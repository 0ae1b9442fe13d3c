package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestBrowserCoveragePhone: on a 360×740 phone, Palangka Raya's operator
// opens the coverage of a fresh campaign (nobody has signed: 0 of 5), an
// employee signs, and a reload shows 1 of 5 (20,0%); the operator drills
// down to Dinas Pendidikan and opens who has not signed yet. Every page
// passes axe-core and none scrolls sideways: the coverage table stacks.
func TestBrowserCoveragePhone(t *testing.T) {
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	c := e.campaign(t, e.palangka, "Ikrar Netralitas ASN Pilkada Serentak 2024", netra.DutyTarget{})
	page := ts.URL + "/tugas/" + id(c.DutyID)
	signInBrowser(t, ctx, e, ts.URL, "admin")

	var done, percent, text string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/tugas"),
		chromedp.WaitVisible(`a[href="/tugas/`+id(c.DutyID)+`"]`, q),
		noSideways(t, "the duty list"),
		axeCheck(t, "phone duty list"),
		chromedp.Navigate(page),
		chromedp.WaitVisible("#coverage-done", q),
		chromedp.Text("#coverage-done", &done, q),
		chromedp.Text("#coverage-percent", &percent, q),
		chromedp.Text("main", &text, q),
		screenshot(t, dir, "phone-coverage-1"),
		noSideways(t, "the coverage page"),
		axeCheck(t, "phone coverage"),
	))
	if done != "0" || percent != "0,0%" || !strings.Contains(text, "dari 5 pegawai sasaran") {
		t.Errorf("a fresh campaign: done %q, %q\n%s", done, percent, text)
	}

	// An employee signs (as the signing page does, through the store).
	e.sign(t, c, e.palangka, "guru")
	must(t, chromedp.Run(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible("#coverage-done", q),
		chromedp.Text("#coverage-done", &done, q),
		chromedp.Text("#coverage-percent", &percent, q),
		chromedp.Text("table.coverage", &text, q),
		screenshot(t, dir, "phone-coverage-2"),
	))
	if done != "1" || percent != "20,0%" {
		t.Errorf("after one signature: done %q, %q", done, percent)
	}
	if !strings.Contains(text, "Dinas Pendidikan") || !strings.Contains(text, "1 dari 3") {
		t.Errorf("the children table after one signature:\n%s", text)
	}

	// Down to Dinas Pendidikan, then who has not signed there.
	must(t, chromedp.Run(ctx,
		chromedp.Click(`table.coverage a[href$="?unit=`+id(e.disdik.ID)+`"]`, q),
		chromedp.WaitVisible(`nav.crumbs a[href="/tugas/`+id(c.DutyID)+`"]`, q),
		chromedp.Text("#coverage-percent", &percent, q),
		noSideways(t, "a unit's coverage"),
		axeCheck(t, "phone unit coverage"),
		chromedp.Click(`a[href^="/tugas/`+id(c.DutyID)+`/belum"]`, q),
		chromedp.WaitVisible("#pending-count", q),
		chromedp.Text("main", &text, q),
		chromedp.Click("details.excuse summary", q),
		chromedp.WaitVisible("details.excuse textarea", q),
		screenshot(t, dir, "phone-coverage-3"),
		noSideways(t, "the pending list"),
		axeCheck(t, "phone pending list"),
	))
	if percent != "33,3%" {
		t.Errorf("Dinas Pendidikan: %q", percent)
	}
	if !strings.Contains(text, "2 pegawai belum, dari 3 pegawai sasaran.") || !strings.Contains(text, "Rina Kadis") || strings.Contains(text, "Siti Aminah") {
		t.Errorf("the pending list:\n%s", text)
	}
}
