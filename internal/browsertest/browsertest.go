// Package browsertest starts one headless Chromium per test binary for tests
// that check pages in a real browser (chromedp). Where Chromium is missing
// the tests skip loudly, unless CI=true: then they fail, because CI installs
// it (.ci/run and scripts/chromium.sh).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

var (
	once    sync.Once
	browser context.Context
	cancel  context.CancelFunc
	err     error
)

// Path finds Chromium: $CHROMIUM, then Debian's and the usual names.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Context returns a new tab in the shared browser; it closes with the test.
func Context(t testing.TB) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed; CI must install it (scripts/chromium.sh)")
		}
		t.Skip("LOUD SKIP: no Chromium (apt-get install -y chromium, or scripts/chromium.sh): browser tests did not run")
	}
	once.Do(func() {
		dir, _ := os.MkdirTemp("", "debrief-chromium-*")
		actx, _ := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(dir),
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 800))
		browser, cancel = chromedp.NewContext(actx)
		err = chromedp.Do(browser) // start it before any timeout applies
	})
	if err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	tab, closeTab := chromedp.NewContext(browser)
	t.Cleanup(closeTab)
	return tab
}
