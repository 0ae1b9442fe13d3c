package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestBrowserInboxPhone: on a 360×740 phone an employee whose unit a pledge
// campaign targets sees the pledge to sign and its unread notice first on
// their page, which passes axe-core and does not scroll sideways; opening
// the notice marks it read.
func TestBrowserInboxPhone(t *testing.T) {
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	dir := shotDir(t)
	admin := netra.WithActor(context.Background(), actorFor(e.users["admin"], "127.0.0.1"))
	d := &netra.Duty{TenantID: e.palangka.ID, Kind: netra.DutyPledge, Title: "Ikrar Netralitas ASN Pilkada Serentak 2024",
		Link: "/saya", DueAt: time.Now().Add(7 * 24 * time.Hour), Target: netra.DutyTarget{Units: []netra.DutyTargetUnit{{UnitID: e.disdik.ID}}}}
	must(t, e.st.CreateDuty(admin, d))
	if _, err := e.st.LaunchDuty(admin, d.ID); err != nil {
		t.Fatal(err)
	}
	signInBrowser(t, ctx, e, ts.URL, "pegawai")
	var text string
	var overflow bool
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/saya"),
		chromedp.WaitVisible("#inbox-unread", q),
		chromedp.Text("main", &text, q),
		chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, &overflow),
		screenshot(t, dir, "phone-inbox-1"),
		axeCheck(t, "phone inbox"),
	))
	for _, want := range []string{"Tugas Anda", d.Title, "Kotak masuk", "1 belum dibaca", "Ikrar netralitas untuk ditandatangani"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q:\n%s", want, text)
		}
	}
	if overflow {
		t.Error("the inbox scrolls sideways on a 360 px phone")
	}
	must(t, chromedp.Run(ctx,
		chromedp.Click(`form[action^="/saya/pemberitahuan/"] button`, q),
		chromedp.WaitVisible("#tasks-heading", q),
		chromedp.WaitNotPresent("#inbox-unread", q),
		screenshot(t, dir, "phone-inbox-2"),
		axeCheck(t, "phone inbox read"),
	))
}
