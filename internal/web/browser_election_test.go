package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestBrowserElectionStage: on a 360 px phone, during the Pilkada's quiet
// period, the national government's admin adds a stage to Pilkada 2024 on
// its page; signed out, the public page shows it in the timeline as in
// progress today, and the list and the page fit the screen with no serious
// accessibility finding.
func TestBrowserElectionStage(t *testing.T) {
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	e.clock = time.Date(2024, 11, 25, 3, 0, 0, 0, time.UTC)
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	pilkada := shipped(t, e, "pilkada-2024")
	page := ts.URL + "/pemilu/" + id(pilkada.ID)
	const name = "Rapat koordinasi netralitas ASN se-Kalimantan Tengah"

	e.nationalAdmin()
	signInBrowser(t, ctx, e, ts.URL, "nasional")
	var flash string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/pemilu/"+id(pilkada.ID)),
		chromedp.WaitVisible("#f-kind", q),
		screenshot(t, dir, "election-1-admin"),
		axeCheck(t, "election-1-admin"),
		chromedp.SetValue("#f-kind", string(netra.StageOther), q),
		chromedp.SendKeys("#f-name", name, q),
		chromedp.SetValue("#f-starts", "2024-11-25", q),
		chromedp.SetValue("#f-ends", "2024-11-25", q),
		chromedp.SendKeys("#f-source", "Undangan Kemendagri", q),
		chromedp.SendKeys("#f-source_urls", "https://www.kemendagri.go.id/", q),
		chromedp.Submit("#f-kind", q),
		chromedp.WaitVisible(".flash", q),
		chromedp.Text(".flash", &flash, q),
	))
	if !strings.Contains(flash, "Perubahan disimpan") {
		t.Errorf("flash after saving: %q", flash)
	}
	got := shipped(t, e, "pilkada-2024")
	var added *netra.ElectionStage
	for i := range got.Stages {
		if got.Stages[i].Name == name {
			added = &got.Stages[i]
		}
	}
	if added == nil || added.Kind != netra.StageOther || !added.Starts.Equal(ymdWeb("2024-11-25")) || added.Source != "Undangan Kemendagri" ||
		len(added.SourceURLs) != 1 {
		t.Fatalf("the stage was not stored as entered: %+v", got.Stages)
	}

	// Signed out: the public page.
	var text, current string
	var hasForm bool
	must(t, chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error { return network.ClearBrowserCookies().Do(ctx) }),
		// Without the cookie the language follows the browser's (English
		// in headless Chromium): ask for Indonesian as a visitor would.
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali="+strings.TrimPrefix(page, ts.URL)),
		chromedp.WaitVisible("#tahapan-"+id(added.ID), q),
		chromedp.Text("main", &text, q),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('li[aria-current="date"]')).map(li => li.textContent).join(" | ")`, &current),
		chromedp.Evaluate(`document.getElementById("f-kind") !== null`, &hasForm),
		screenshot(t, dir, "election-2-public"),
		viewShot(t, dir, "election-2-public-stage", "#tahapan-"+id(added.ID)),
		noSideways(t, "the election page"),
		axeCheck(t, "election-2-public"),
	))
	for _, want := range []string{"Pilkada Serentak 2024", "Tahapan yang sedang berlangsung", name, "Masa tenang", "Undangan Kemendagri"} {
		if !strings.Contains(text, want) {
			t.Errorf("the public page lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(current, name) || !strings.Contains(current, "Masa tenang") || !strings.Contains(current, "Sedang berlangsung") {
		t.Errorf("the stages marked in progress today: %q", current)
	}
	if hasForm {
		t.Error("the public page shows the stage form")
	}
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/pemilu?tanggal=2024-07-13&wilayah=65.71.02#tanya"),
		chromedp.WaitVisible("#jawaban", q),
		chromedp.Text("main", &text, q),
		screenshot(t, dir, "election-3-list"),
		noSideways(t, "the election list"),
		axeCheck(t, "election-3-list"),
	))
	if !strings.Contains(text, "PSU Pemilu 2024 di Kecamatan Tarakan Tengah") || !strings.Contains(text, name) {
		t.Errorf("the list lacks the PSU's answer or the new stage of today:\n%s", text)
	}
}
