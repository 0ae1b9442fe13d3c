package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestBrowserPasswordReset walks the lost-password flow in Chromium: the
// link on the sign-in page, the e-mailed link, the new password with the
// TOTP code, and a sign-in with the new password.
func TestBrowserPasswordReset(t *testing.T) {
	ctx := browser(t, 1280, 900, false)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	ts := httptest.NewServer(e.srv.Handler())
	t.Cleanup(ts.Close)
	smtp := mailtest.Start(t)
	dir := shotDir(t)
	var flash string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/masuk"),
		chromedp.WaitVisible(`a[href="/masuk/lupa"]`, q),
		chromedp.Click(`a[href="/masuk/lupa"]`, q),
		chromedp.WaitVisible("#f-username", q),
		screenshot(t, dir, "reset-1-forgot"),
		chromedp.SendKeys("#f-username", "admin", q),
		chromedp.Submit("#f-username", q),
		chromedp.WaitVisible("#f-password", q),
		chromedp.Text("main", &flash, q),
	))
	if !strings.Contains(flash, "tautan untuk membuat kata sandi baru sudah dikirim") {
		t.Errorf("after asking for a link the sign-in page says:\n%s", flash)
	}
	e.runJobs(mailSender(t, smtp))
	m := smtp.WaitFor(t, e.users["admin"].Email, 10*time.Second)
	link := resetLinkRe.FindStringSubmatch(m.Text)
	if link == nil {
		t.Fatalf("no link in the mail:\n%s", m.Text)
	}
	const pw = "kata sandi dari peramban"
	var text string
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+link[1]),
		chromedp.WaitVisible("#f-code", q),
		screenshot(t, dir, "reset-2-new-password"),
		chromedp.SendKeys("#f-new_password", pw, q),
		chromedp.SendKeys("#f-confirm_password", pw, q),
		chromedp.SendKeys("#f-code", e.code("admin"), q),
		chromedp.Submit("#f-code", q),
		chromedp.WaitVisible("#f-password", q),
		chromedp.Text("main", &text, q),
		screenshot(t, dir, "reset-3-done"),
		chromedp.SendKeys("#f-username", "admin", q),
		chromedp.SendKeys("#f-password", pw, q),
		chromedp.Submit("#f-password", q),
		chromedp.WaitVisible("#f-code", q),
	))
	if !strings.Contains(text, "Kata sandi baru tersimpan") {
		t.Errorf("after the reset the sign-in page says:\n%s", text)
	}
}
