package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra"
	"github.com/netra-id/netra/internal/mail/mailtest"
	"github.com/netra-id/netra/internal/pdf/pdftest"
	"github.com/netra-id/netra/internal/store/storetest"
)

// TestBrowserPledgePhone: on a 360×740 phone an employee signs in with
// their NIP and the e-mailed code, finds the open campaign, reads it,
// signs it (refused first without the tick), and downloads the
// certificate; the test reads the PDF's text, decodes its QR code, opens
// the address it holds in the browser, without the session, and sees SAH.
// Every page passes axe-core and fits the screen.
func TestBrowserPledgePhone(t *testing.T) {
	pdftest.Need(t, "pdftotext", "pdftoppm", "zbarimg")
	ctx := browser(t, 360, 740, true)
	e := newEnv(t, storetest.Engines(t)[0].Open(t))
	// A server that knows its own address, so that the QR code leads back
	// to it.
	var h http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	srv, err := New(Config{Store: e.st, Imports: e.runner, BaseURL: ts.URL})
	must(t, err)
	h = srv.Handler()
	smtp := mailtest.Start(t)
	dir := shotDir(t)
	downloads := t.TempDir()
	guru := e.employees["guru"]
	c := e.pledgeCampaign(t, "Ikrar Netralitas ASN Pilkada 2024", -time.Hour, 30*24*time.Hour)

	// Sign in: NIP, then the code from the e-mail.
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/id?kembali=/ikrar"),
		chromedp.WaitVisible("#f-nip", q),
		chromedp.SendKeys("#f-nip", netra.FormatNIP(guru.NIP), q),
		chromedp.Submit("#f-nip", q),
		chromedp.WaitVisible("#f-code", q),
	))
	e.runJobs(mailSender(t, smtp))
	m := smtp.WaitFor(t, guru.Email, 10*time.Second)
	code := mailCodeRe.FindStringSubmatch(m.Text)
	if code == nil {
		t.Fatalf("no code in the mail:\n%s", m.Text)
	}
	var list string
	must(t, chromedp.Run(ctx,
		chromedp.SendKeys("#f-code", code[1], q),
		chromedp.Submit("#f-code", q),
		chromedp.WaitVisible("ul.pledges", q),
		chromedp.Text("main", &list, q),
		screenshot(t, dir, "pledge-1-list"),
		noSideways(t, "/ikrar"),
		axeCheck(t, "pledge-1-list"),
	))
	if !strings.Contains(list, "Ikrar Netralitas ASN Pilkada 2024") || !strings.Contains(list, "Belum ditandatangani") {
		t.Fatalf("the list: %q", list)
	}

	// Read and sign: first without the tick.
	var summary, signed, pledgeCode string
	must(t, chromedp.Run(ctx,
		chromedp.Click(`a[href="/ikrar/`+id(c.ID)+`"]`, q),
		chromedp.WaitVisible("#f-name", q),
		screenshot(t, dir, "pledge-2-text"),
		noSideways(t, "/ikrar/{id}"),
		axeCheck(t, "pledge-2-text"),
		chromedp.SendKeys("#f-name", "Siti Aminah", q),
		chromedp.Submit("#f-name", q),
		chromedp.WaitVisible("#error-summary", q),
		chromedp.Text("#error-summary", &summary, q),
		screenshot(t, dir, "pledge-3-refused"),
		axeCheck(t, "pledge-3-refused"),
		chromedp.Click("#f-agree", q),
		chromedp.Submit("#f-name", q),
		chromedp.WaitVisible("#pledge-code", q),
		chromedp.Text("#tanda-tangan", &signed, q),
		chromedp.Text("#pledge-code", &pledgeCode, q),
		screenshot(t, dir, "pledge-4-signed"),
		viewShot(t, dir, "pledge-4-signed-view", "#tanda-tangan"),
		noSideways(t, "/ikrar/{id} signed"),
		axeCheck(t, "pledge-4-signed"),
	))
	if !strings.Contains(summary, "Centang pernyataan") {
		t.Errorf("the refusal without the tick: %q", summary)
	}
	if !strings.Contains(signed, "Sudah ditandatangani") || len(pledgeCode) != 12 {
		t.Fatalf("the signed section: %q (code %q)", signed, pledgeCode)
	}

	// Download the certificate.
	done := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if p, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && p.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- p.GUID:
			default:
			}
		}
	})
	must(t, chromedp.Run(ctx,
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(downloads).WithEventsEnabled(true)))
	// A download aborts the navigation the click began; the file still comes.
	if err := chromedp.Run(ctx, chromedp.Click("#certificate", q)); err != nil && !strings.Contains(err.Error(), "net::ERR_ABORTED") {
		t.Fatal(err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the certificate was not downloaded")
	}
	doc, err := os.ReadFile(filepath.Join(downloads, guid))
	must(t, err)
	text := pdftest.Words(pdftest.Text(t, doc))
	for _, want := range []string{"SERTIFIKAT IKRAR NETRALITAS ASN", "STATUS: SAH", "Siti Aminah", netra.FormatNIP(guru.NIP),
		"Kode verifikasi: " + pledgeCode} {
		if !strings.Contains(text, want) {
			t.Errorf("the downloaded certificate lacks %q:\n%s", want, text)
		}
	}
	qr := pdftest.QR(t, doc, 1)
	if len(qr) != 1 || qr[0] != ts.URL+"/v/"+pledgeCode {
		t.Fatalf("the QR code holds %q, want %s/v/%s", qr, ts.URL, pledgeCode)
	}

	// The address in the QR code, opened by anyone: sign out first.
	var status, result string
	must(t, chromedp.Run(ctx,
		chromedp.Click("form[action='/keluar'] button", q),
		chromedp.WaitVisible("#f-nip", q), // the employee sign-in page

		chromedp.Navigate(qr[0]),
		chromedp.WaitVisible("#verify-status", q),
		chromedp.Text("#verify-status", &status, q),
		chromedp.Text(".verify-result", &result, q),
		screenshot(t, dir, "pledge-5-verify"),
		noSideways(t, "/v/{code}"),
		axeCheck(t, "pledge-5-verify"),
	))
	if strings.TrimSpace(status) != "SAH" {
		t.Errorf("the verification page says %q, want SAH", status)
	}
	if !strings.Contains(result, netra.MaskNIP(guru.NIP)) || strings.Contains(result, guru.NIP) {
		t.Errorf("the verification page's identity: %q", result)
	}
	// In English, the same page says VALID.
	must(t, chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/bahasa/en?kembali=/v/"+pledgeCode),
		chromedp.WaitVisible("#verify-status", q),
		chromedp.Text("#verify-status", &status, q),
		axeCheck(t, "pledge-6-verify-en"),
	))
	if strings.TrimSpace(status) != "VALID" {
		t.Errorf("the English verification page says %q, want VALID", status)
	}
}
