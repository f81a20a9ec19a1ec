package draft

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/debriefhq/debrief/internal/browsertest"
)

func openPage(t *testing.T, d *Doc) context.Context {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, d); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "retro.html")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(browsertest.Context(t), 30*time.Second)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+p), chromedp.WaitVisible(chromedp.ID("timeline"))); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// TestHTMLInChromium: the page renders, every citation and key-timeline
// link lands on its entry in the appendix, and following one scrolls the
// entry into view and marks it.
func TestHTMLInChromium(t *testing.T) {
	d := sampleDoc(t)
	ctx := openPage(t, d)
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href^="#e-"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	broken, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll('a[href^="#e-"]')).filter(a => {
		const el = document.getElementById(a.getAttribute('href').slice(1));
		return !el || !el.closest('ol.tl');
	}).length`))
	if err != nil {
		t.Fatal(err)
	}
	if title != "Search latency" || links < 20 || broken != 0 {
		t.Fatalf("title %q, %d links, %d that land nowhere", title, links, broken)
	}
	// Follow the first citation of the summary.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#summary ~ p a.cite`)), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	target, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(':target')||{}).id || ''`))
	if err != nil {
		t.Fatal(err)
	}
	inView, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.querySelector(':target').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if target != d.Summary[0].Cites()[0].Anchor || !inView {
		t.Errorf("after the click the target is %q (in view %v), want %q", target, inView, d.Summary[0].Cites()[0].Anchor)
	}
}

// TestHTMLEscapesInputs: markup in the inputs shows as text and never runs.
func TestHTMLEscapesInputs(t *testing.T) {
	d := sampleDoc(t)
	evil := `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b id=bold>x</b>`
	d.Title = evil
	d.Timeline[0].Text = evil
	d.Timeline[0].Actor = `"><svg onload=window.__pwned=3>`
	d.KeyTimeline[0].Short = evil
	d.Invitees = append(d.Invitees, Invitee{Name: evil, Reason: evil})
	ctx := openPage(t, d)
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__pwned !== undefined`))
	if err != nil {
		t.Fatal(err)
	}
	bolds, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#bold, svg').length`))
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#`+d.Timeline[0].Anchor+` .text`)))
	if err != nil {
		t.Fatal(err)
	}
	if pwned || bolds != 0 || !strings.Contains(shown, "<script>window.__pwned=1</script>") {
		t.Errorf("pwned %v, %d injected elements, entry shows %q", pwned, bolds, shown)
	}
}
