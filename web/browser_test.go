package web

import (
	"archive/zip"
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/internal/browsertest"
)

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitLive waits until the page's event stream is connected, so a change
// made next reaches it.
func waitLive(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.live === 'open'`, chromedp.WithPollingTimeout(10*time.Second)))
}

func signIn(t *testing.T, ctx context.Context, base, who string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), who),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), "password-"+who),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.list`)),
	)
}

// TestBrowserFlow: sign in, create an incident, open one, hide and
// annotate events in place (htmx), search; markup from the inputs is
// inert; a viewer sees no editing controls; a private incident stays
// hidden from a non-member.
func TestBrowserFlow(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(browsertest.Context(t), 60*time.Second)
	defer cancel()
	signIn(t, ctx, f.srv.URL, "kim")

	// Create an incident with the form.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`details.new summary`)),
		chromedp.SendKeys(chromedp.CSS(`details.new input[name=title]`), "Checkout errors"),
		chromedp.Submit(chromedp.CSS(`details.new input[name=title]`)),
		// The list's own h1 is visible until the new page arrives: wait
		// for the incident page itself.
		chromedp.WaitVisible(chromedp.ID(`timeline`)),
	)
	if h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`); h1 != "Checkout errors" {
		t.Fatalf("after create: %q", h1)
	}

	// The timeline, with the injected markup shown as text.
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/search-latency"), chromedp.WaitVisible(chromedp.ID("timeline")),
		chromedp.Sleep(300*time.Millisecond))
	if n := eval[int](t, ctx, `document.querySelectorAll('#timeline li.event').length`); n != 3 {
		t.Fatalf("%d events shown", n)
	}
	if eval[bool](t, ctx, `window.__pwned !== undefined`) || !strings.Contains(eval[string](t, ctx, `document.querySelector('#e3 .text').textContent`), "<script>") {
		t.Error("markup from an input ran or vanished")
	}

	// Hide e1 and annotate e2, in place (showing hidden events, so that
	// the live refresh after the change keeps e1 on the page).
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/search-latency?hidden=1"), chromedp.WaitVisible(chromedp.ID("timeline")))
	do(t, ctx, chromedp.Click(chromedp.CSS(`#e1 button[value=hide]`)), chromedp.WaitVisible(chromedp.CSS(`#e1.hidden`)))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#e2 input[name=annotation]`), "the pool was exhausted here"),
		chromedp.Click(chromedp.CSS(`#e2 form:nth-of-type(2) button`)),
		chromedp.WaitVisible(chromedp.CSS(`#e2 .annotation`)),
	)
	evs, _ := f.store.Events(ctx, "search-latency", debrief.EventFilter{Hidden: true})
	if !evs[0].Hidden || evs[1].Annotation != "the pool was exhausted here" {
		t.Errorf("stored after curation: %+v / %+v", evs[0].Hidden, evs[1].Annotation)
	}

	// Search.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`form.search input`), "opensearch"), chromedp.Submit(chromedp.CSS(`form.search input`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.hits`)))
	if hits := eval[string](t, ctx, `document.querySelector('ul.hits').textContent`); !strings.Contains(hits, "Search latency") {
		t.Errorf("search results: %q", hits)
	}

	// A viewer: no editing controls; the private incident is not there.
	do(t, ctx, chromedp.Click(chromedp.CSS(`header form button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
	signIn(t, ctx, f.srv.URL, "vic")
	if eval[bool](t, ctx, `document.body.textContent.includes('Private matter')`) {
		t.Error("a viewer who is not a member sees the private incident in the list")
	}
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/search-latency"), chromedp.WaitVisible(chromedp.ID("timeline")))
	if n := eval[int](t, ctx, `document.querySelectorAll('form.curate').length`); n != 0 {
		t.Errorf("a viewer sees %d editing forms", n)
	}
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/secret-one"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`); h1 != "404" {
		t.Errorf("a non-member opened the private incident: %q", h1)
	}
}

// zipDir zips dir (a Slack export folder) into a file.
func zipDir(t *testing.T, dir, out string) {
	t.Helper()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, _ := zw.Create("slack/" + filepath.ToSlash(rel))
		b, _ := os.ReadFile(p)
		w.Write(b)
		return nil
	})
	zw.Close()
	f.Close()
}

// TestBrowserUpload: a member uploads a Slack export and a shell history
// to a new incident and sees their events in the timeline.
func TestBrowserUpload(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	export := filepath.Join(dir, "slack-export.zip")
	zipDir(t, "../examples/search-latency/slack", export)
	hist := filepath.Join(dir, "sam.zsh_history")
	b, _ := os.ReadFile("../examples/search-latency/sam.zsh_history")
	os.WriteFile(hist, b, 0o644)
	f.store.CreateIncident(context.Background(), &debrief.Incident{ID: "upload-test", Title: "Upload test"})

	ctx, cancel := context.WithTimeout(browsertest.Context(t), 60*time.Second)
	defer cancel()
	signIn(t, ctx, f.srv.URL, "kim")
	do(t, ctx,
		chromedp.Navigate(f.srv.URL+"/incidents/upload-test"),
		chromedp.WaitVisible(chromedp.CSS(`form.upload`)),
		chromedp.SetUploadFiles(chromedp.CSS(`form.upload input[type=file]`), []string{export, hist}),
		chromedp.Click(chromedp.CSS(`form.upload button`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.upload-result`)),
	)
	result := eval[string](t, ctx, `document.querySelector('ul.upload-result').textContent`)
	if !strings.Contains(result, "slack-export.zip") || !strings.Contains(result, "sam.zsh_history") {
		t.Fatalf("upload result: %q", result)
	}
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/upload-test"), chromedp.WaitVisible(chromedp.ID("timeline")))
	n := eval[int](t, ctx, `document.querySelectorAll('#timeline li.event').length`)
	zsh := eval[int](t, ctx, `Array.from(document.querySelectorAll('#timeline .src')).filter(e => e.textContent.startsWith('zsh')).length`)
	if n < 50 || zsh == 0 {
		t.Errorf("after upload: %d events, %d from the shell history", n, zsh)
	}
	// The planted secrets were redacted before storage.
	if eval[bool](t, ctx, `document.body.textContent.includes('AKIA2BDZ6FN55TEQPOOC')`) {
		t.Error("a secret from the upload reached the page")
	}
}

// TestBrowserRetroLive: a factor and an action item added elsewhere (the
// API, as another person would) appear on an open retro page without a
// reload; a factor added with the page's form does too.
func TestBrowserRetroLive(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(browsertest.Context(t), 60*time.Second)
	defer cancel()
	signIn(t, ctx, f.srv.URL, "kim")
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/search-latency/retro"), chromedp.WaitVisible(chromedp.ID("retro-live")))
	waitLive(t, ctx)
	if code, _ := f.api(t, "ada", "POST", "/api/v1/incidents/search-latency/factors", `{"text": "No alert on <i>pool</i> saturation"}`); code != 201 {
		t.Fatalf("add factor: %d", code)
	}
	f.api(t, "ada", "POST", "/api/v1/incidents/search-latency/actions", `{"text": "Alert at 80% pool use", "owner": "ada"}`)
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#retro-live').textContent.includes('Alert at 80% pool use')`, chromedp.WithPollingTimeout(10*time.Second)))
	if !eval[bool](t, ctx, `document.querySelector('#retro-live').textContent.includes('No alert on <i>pool</i> saturation')`) ||
		eval[int](t, ctx, `document.querySelectorAll('#retro-live i').length`) != 0 {
		t.Error("the factor is missing or its markup was rendered")
	}
	// The form posts and the page comes back with the factor.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`form[action$="/retro/factors"] input[name=text]`), "The pool size change needed no review"),
		chromedp.Submit(chromedp.CSS(`form[action$="/retro/factors"] input[name=text]`)),
	)
	do(t, ctx, chromedp.WaitVisible(chromedp.Search(`//ol[@class="factors"]/li[contains(., "The pool size change needed no review")]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('#retro-live ol.factors li').length`); n != 2 {
		t.Errorf("%d factors after the form, want 2", n)
	}
	do(t, ctx, chromedp.Navigate("about:blank")) // close the event stream
}

// TestBrowserRoom: the live retro room as a participant sees it. The
// phase clock runs; the facilitator moving the agenda (elsewhere) brings
// the participant's page to the new phase; blaming words are nudged as
// they are typed; a factor added by someone else appears without a reload.
func TestBrowserRoom(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(browsertest.Context(t), 60*time.Second)
	defer cancel()
	m := &debrief.Meeting{IncidentID: "search-latency", Facilitator: "ada", Phase: debrief.PhaseFrame}
	if err := f.store.CreateMeeting(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	room := f.srv.URL + "/incidents/search-latency/meetings/" + m.ID
	signIn(t, ctx, f.srv.URL, "kim")
	do(t, ctx, chromedp.Navigate(f.srv.URL+"/incidents/search-latency/room"), chromedp.WaitVisible(chromedp.CSS(`blockquote.statement`)))
	// The clock runs in the page (the server drew 0:00).
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('.timer .elapsed').textContent !== '0:00'`, chromedp.WithPollingTimeout(10*time.Second)))
	if eval[bool](t, ctx, `!!document.querySelector('.drive')`) {
		t.Error("a participant who does not facilitate sees the agenda controls")
	}
	waitLive(t, ctx)

	ada := f.browser(t, "ada")
	tok, _ := csrfOf(t, ada, room)
	if code, _, _ := post(t, ada, room+"/phase", url.Values{"csrf": {tok}, "phase": {"factors"}}); code != 200 {
		t.Fatalf("move to factors: %d", code)
	}
	// The page reloads itself: evaluations during the reload fail, so ask
	// again until the new page answers.
	for deadline := time.Now().Add(10 * time.Second); ; {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#phase-title') || {}).textContent || ''`))
		if err == nil && v == "Contributing factors" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the participant's page did not follow to the factors phase: %q %v", v, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Typing a blaming factor: the nudge shows before it is added.
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/retro/factors"] textarea`)),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/retro/factors"] textarea`), "Sam forgot to check the pool size"),
		chromedp.Poll[chromedp.Void](`!!document.querySelector('form[action$="/retro/factors"] .nudges .nudge')`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	do(t, ctx,
		chromedp.Submit(chromedp.CSS(`form[action$="/retro/factors"] textarea`)),
		chromedp.WaitVisible(chromedp.Search(`//ol[@class="factors"]/li[contains(., "Sam forgot")]/p[@class="nudge"]`)),
	)
	// Someone else's factor appears live (once the reloaded page listens).
	waitLive(t, ctx)
	if code, _ := f.api(t, "ada", "POST", "/api/v1/incidents/search-latency/factors", `{"text": "The pool size change needed no review"}`); code != 201 {
		t.Fatal("add factor through the API")
	}
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#room-live').textContent.includes('needed no review')`, chromedp.WithPollingTimeout(10*time.Second)))
	if out := os.Getenv("ROOM_SCREENSHOT"); out != "" {
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(out, shot, 0o644)
	}
	do(t, ctx, chromedp.Navigate("about:blank")) // close the event stream
}
