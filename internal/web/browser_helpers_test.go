package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts a headless Chromium with a window of w×h CSS pixels
// (emulating a touch phone when mobile) and returns its context. Without
// Chromium the test is skipped, or fails under CI=true.
func browser(t *testing.T, w, h int64, mobile bool) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no Chromium at %s", chromiumPath)
		}
		t.Skipf("no Chromium at %s", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(int(w), int(h)),
		// No UserDataDir: chromedp makes a temporary profile and removes
		// it once every Chromium process has exited.
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		_ = chromedp.Cancel(ctx) // close the browser gracefully
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	emulate := chromedp.EmulateViewport(w, h)
	if mobile {
		emulate = chromedp.EmulateViewport(w, h, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	if err := chromedp.Run(ctx, emulate); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// shotDir is where browser tests save screenshots: NETRA_SCREENSHOTS, or a
// temporary folder.
func shotDir(t *testing.T) string {
	if d := os.Getenv("NETRA_SCREENSHOTS"); d != "" {
		must(t, os.MkdirAll(d, 0o755))
		return d
	}
	return t.TempDir()
}

// screenshot saves the whole page as a PNG.
func screenshot(t *testing.T, dir, name string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var b []byte
		if err := chromedp.FullScreenshot(&b, 100).Do(ctx); err != nil {
			return err
		}
		p := filepath.Join(dir, name+".png")
		t.Logf("screenshot %s", p)
		return os.WriteFile(p, b, 0o644)
	})
}
