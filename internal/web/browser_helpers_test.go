package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/netra-id/netra/internal/auth"
	"github.com/netra-id/netra/internal/store"
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

// viewShot saves what the window shows, after scrolling sel into view.
func viewShot(t *testing.T, dir, name, sel string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if sel != "" { // scroll to the first match, if any
			js := `(document.querySelector(` + strconv.Quote(sel) + `) || document.body).scrollIntoView()`
			if err := chromedp.Evaluate(js, nil).Do(ctx); err != nil {
				return err
			}
		}
		var b []byte
		if err := chromedp.CaptureScreenshot(&b).Do(ctx); err != nil {
			return err
		}
		p := filepath.Join(dir, name+".png")
		t.Logf("screenshot %s", p)
		return os.WriteFile(p, b, 0o644)
	})
}

// axeDefault is where test.sh installs axe-core (npm install --prefix
// .cache/axe), relative to this package's folder.
const axeDefault = "../../.cache/axe/node_modules/axe-core/axe.min.js"

var axeOnce struct {
	sync.Once
	src  string
	path string
	err  error
}

// axeSource returns the axe-core script from NETRA_AXE (the path of
// axe.min.js) or the folder test.sh installs it in. Without it the
// accessibility checks are skipped, or the test fails under CI=true.
func axeSource(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		axeOnce.path = os.Getenv("NETRA_AXE")
		if axeOnce.path == "" {
			axeOnce.path = axeDefault
		}
		b, err := os.ReadFile(axeOnce.path)
		axeOnce.src, axeOnce.err = string(b), err
	})
	if axeOnce.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but no axe-core at %s (NETRA_AXE): %v", axeOnce.path, axeOnce.err)
		}
		t.Logf("no axe-core at %s (run ./test.sh, or set NETRA_AXE): accessibility checks skipped", axeOnce.path)
	}
	return axeOnce.src
}

// axeViolation is one failed axe-core rule on a page.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// axeCheck runs axe-core on the current page and reports every violation
// in the log; a serious or critical one fails the test. Without axe-core
// (outside CI) it does nothing.
func axeCheck(t *testing.T, name string) chromedp.Action {
	src := axeSource(t)
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if src == "" {
			return nil
		}
		var loaded bool
		if err := chromedp.Evaluate(`typeof axe === "object"`, &loaded).Do(ctx); err != nil {
			return err
		}
		if !loaded {
			if err := chromedp.Evaluate(src+"\n;true", &loaded).Do(ctx); err != nil {
				return err
			}
		}
		var out string
		err := chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
			return JSON.stringify(r.violations.map(function (v) {
				return {ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); })};
			}));
		})`, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }).Do(ctx)
		if err != nil {
			return err
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			return err
		}
		serious := 0
		for _, v := range vs {
			t.Logf("axe %s: %s (%s) %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
			if v.Impact == "serious" || v.Impact == "critical" {
				serious++
			}
		}
		t.Logf("axe %s: %d violations, %d serious or critical", name, len(vs), serious)
		if serious > 0 {
			t.Errorf("axe: %d serious or critical violations on %s", serious, name)
		}
		return nil
	})
}

// signInBrowser gives the browser a full session of a fixture user for
// the test server at baseURL, made directly in the store.
func signInBrowser(t *testing.T, ctx context.Context, e *env, baseURL, username string) {
	t.Helper()
	tok := auth.RandomToken()
	now := time.Now().UTC().Truncate(time.Millisecond)
	must(t, e.st.CreateSession(context.Background(), &store.Session{TokenHash: auth.HashToken(tok), UserID: e.users[username].ID,
		Stage: store.StageFull, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	must(t, chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		return network.SetCookie(sessionCookie, tok).WithURL(baseURL).WithHTTPOnly(true).
			WithSameSite(network.CookieSameSiteLax).Do(ctx)
	})))
}

// postCounter counts the POST requests a handler receives.
type postCounter struct {
	h  http.Handler
	mu sync.Mutex
	n  map[string]int
}

func (c *postCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		c.mu.Lock()
		if c.n == nil {
			c.n = map[string]int{}
		}
		c.n[r.URL.Path]++
		c.mu.Unlock()
	}
	c.h.ServeHTTP(w, r)
}

func (c *postCounter) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}
