package timeline

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debriefhq/debrief"
)

var t0 = time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC)

func at(min, sec int) time.Time {
	return t0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
}

func msg(m int, actor, text string) *debrief.Event {
	return &debrief.Event{Time: at(m, 0), Source: debrief.SourceSlack, Kind: debrief.KindMessage,
		Actor: actor, Channel: "inc", Text: text, Ref: fmt.Sprintf("inc/%d-%s", m, actor)}
}

func alert(m int, kind debrief.Kind, ref string) *debrief.Event {
	return &debrief.Event{Time: at(m, 0), Source: debrief.SourceAlertmanager, Kind: kind, Actor: "alertmanager",
		Text: "SearchLatencyHigh " + string(kind), Ref: ref, Bot: true}
}

// incident is a small incident: a user report before any alert, an alert,
// an ack, talk, a quiet stretch with only bot posts, mitigation, resolution.
func incident() []*debrief.Event {
	bot := msg(30, "alertbot", "[FIRING] SearchLatencyHigh still firing")
	bot.Bot = true
	bot2 := msg(38, "alertbot", "[FIRING] SearchLatencyHigh still firing")
	bot2.Bot = true
	return []*debrief.Event{
		msg(0, "zoe", "users are seeing errors on search"),
		alert(9, debrief.KindAlertFiring, "fp1@firing"),
		{Time: at(12, 0), Source: debrief.SourcePagerDuty, Kind: debrief.KindPageTriggered, Actor: "PagerDuty", Bot: true, Ref: "pd1", Text: "Triggered"},
		{Time: at(14, 0), Source: debrief.SourcePagerDuty, Kind: debrief.KindPageAcknowledged, Actor: "Sam Rivera", Ref: "pd2", Text: "Acknowledged by Sam Rivera",
			Identity: &debrief.Identity{Handle: "Sam Rivera", DisplayName: "Sam Rivera"}},
		msg(15, "sam", "I think it's the cache"),
		msg(16, "alice", "not sure which dashboard is right ???"),
		msg(20, "sam", "let's roll back the config"),
		bot, bot2,
		{Time: at(45, 0), Source: debrief.SourceZsh, Kind: debrief.KindCommand, Actor: "sam", Ref: "sam.zsh:3", Text: "kubectl rollout undo deployment/search-api -n search"},
		msg(50, "sam", "latency back to normal"),
		alert(55, debrief.KindAlertResolved, "fp1@resolved"),
		{Time: at(60*24*30, 0), Source: debrief.SourceZsh, Kind: debrief.KindCommand, Actor: "sam", Ref: "sam.zsh:99", Text: "ls"},
	}
}

func build(t *testing.T, opt Options, evs []*debrief.Event) (*Timeline, []debrief.Event) {
	t.Helper()
	b := NewBuilder(opt)
	var wg sync.WaitGroup
	for i, ev := range evs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ev.Identity == nil && ev.Source == debrief.SourceSlack {
				ev.Identity = &debrief.Identity{Handle: ev.Actor, DisplayName: map[string]string{"sam": "Sam Rivera"}[ev.Actor]}
			}
			if err := b.Emit(ev); err != nil {
				t.Errorf("emit %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	tl, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tl.Close() })
	var got []debrief.Event
	if err := tl.Each(func(ev *debrief.Event) error {
		c := *ev
		c.Moments = append([]debrief.Moment(nil), ev.Moments...)
		c.Why = append(debrief.Reasons(nil), ev.Why...)
		c.Text, c.Actor, c.Ref = strings.Clone(c.Text), strings.Clone(c.Actor), strings.Clone(c.Ref)
		c.Channel, c.Thread, c.Input = strings.Clone(c.Channel), strings.Clone(c.Thread), strings.Clone(c.Input)
		c.ID = strings.Clone(c.ID)
		got = append(got, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return tl, got
}

func TestMetricsStallsAndMoments(t *testing.T) {
	tl, evs := build(t, Options{}, incident())
	want := Metrics{
		FirstSignalAt: at(0, 0), DetectedAt: at(9, 0), AcknowledgedAt: at(14, 0),
		MitigatedAt: at(45, 0), ResolvedAt: at(55, 0),
		TimeToDetect: 540, TimeToAcknowlege: 300, TimeToMitigate: 2700, TimeToResolve: 3300, DetectionGap: 540,
	}
	if diff := cmp.Diff(want, tl.Metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	// Bot posts at 30 and 38 do not break the quiet stretch from 20 to 45;
	// the gap before anyone spoke (0 to 15) counts too.
	wantStalls := []Stall{
		{From: at(0, 0), To: at(15, 0), Seconds: 900},
		{From: at(20, 0), To: at(45, 0), Seconds: 1500},
	}
	if diff := cmp.Diff(wantStalls, tl.Stalls, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".After" }, cmp.Ignore())); diff != "" {
		t.Errorf("stalls (-want +got):\n%s", diff)
	}
	moments := map[string][]debrief.Moment{}
	for _, ev := range evs {
		moments[ev.Text] = ev.Moments
	}
	for text, want := range map[string][]debrief.Moment{
		"users are seeing errors on search":                    {debrief.MomentMissingSignal},
		"SearchLatencyHigh alert_firing":                       {debrief.MomentDetection},
		"I think it's the cache":                               {debrief.MomentHypothesis},
		"not sure which dashboard is right ???":                {debrief.MomentConfusion},
		"let's roll back the config":                           {debrief.MomentDecision},
		"kubectl rollout undo deployment/search-api -n search": {debrief.MomentMitigation},
		"latency back to normal":                               {debrief.MomentResolution},
		"Triggered":                                            {debrief.MomentEscalation},
	} {
		if diff := cmp.Diff(want, moments[text]); diff != "" {
			t.Errorf("moments of %q (-want +got):\n%s", text, diff)
		}
	}
}

func TestAutomaticWindowLeavesOutOldCommands(t *testing.T) {
	tl, evs := build(t, Options{}, incident())
	if tl.Omitted != 1 {
		t.Errorf("omitted = %d, want 1 (the command a month later)", tl.Omitted)
	}
	for _, ev := range evs {
		if ev.Text == "ls" {
			t.Errorf("command outside the window was kept")
		}
	}
	if got, want := tl.Window.From, at(-30, 0); !got.Equal(want) {
		t.Errorf("window from = %v, want %v", got, want)
	}
	tl, _ = build(t, Options{From: at(-60, 0), To: at(60*24*31, 0)}, incident())
	if tl.Omitted != 0 || tl.Events != len(incident()) {
		t.Errorf("explicit window: events %d omitted %d, want %d and 0", tl.Events, tl.Omitted, len(incident()))
	}
}

func TestPeopleJoinedAcrossSources(t *testing.T) {
	tl, evs := build(t, Options{}, incident())
	var sam *debrief.Person
	for i, p := range tl.Participants {
		if p.Name == "sam" {
			sam = &tl.Participants[i]
		}
	}
	if sam == nil {
		t.Fatalf("no participant sam in %+v", tl.Participants)
	}
	if diff := cmp.Diff([]debrief.Source{"pagerduty", "slack", "zsh"}, sortedSources(sam.Sources)); diff != "" {
		t.Errorf("sam's sources (-want +got):\n%s", diff)
	}
	for _, ev := range evs {
		if ev.Kind == debrief.KindPageAcknowledged && ev.Actor != "sam" {
			t.Errorf("PagerDuty actor = %q, want joined to sam", ev.Actor)
		}
	}
	for _, p := range tl.Participants {
		if p.Bot || p.Name == "alertbot" {
			t.Errorf("bot %q listed as participant", p.Name)
		}
	}
}

func sortedSources(s []debrief.Source) []debrief.Source {
	out := append([]debrief.Source(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestDuplicatesDropped(t *testing.T) {
	evs := incident()
	evs = append(evs, alert(9, debrief.KindAlertFiring, "fp1@firing"), msg(15, "sam", "I think it's the cache"))
	tl, _ := build(t, Options{}, evs)
	if tl.Duplicates != 2 {
		t.Errorf("duplicates = %d, want 2", tl.Duplicates)
	}
}

// Copies of one record in three runs are one event, however the merge's
// batches are recycled around them: each is compared with the copy just
// before, which must still be valid.
func TestDuplicatesAcrossRuns(t *testing.T) {
	const n = 3000
	var evs []*debrief.Event
	for range 3 { // the same records read three times
		for i := range n {
			evs = append(evs, &debrief.Event{Time: t0.Add(time.Duration(i) * time.Second), Source: debrief.SourceSlack,
				Kind: debrief.KindMessage, Actor: "u", Channel: "inc", Text: fmt.Sprintf("message %d", i),
				Ref: fmt.Sprintf("inc/%d", i)})
		}
	}
	b := NewBuilder(Options{From: t0.Add(-time.Hour), To: t0.Add(2 * time.Hour), MemoryBudget: 64 << 10, TempDir: t.TempDir()})
	b.runs.poison = true
	for _, ev := range evs { // in order: each copy lands in other runs
		if err := b.Emit(ev); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	defer tl.Close()
	if len(tl.store.files) < 6 {
		t.Fatalf("%d runs on disk, want the copies spread over many", len(tl.store.files))
	}
	var got []string
	if err := tl.Each(func(ev *debrief.Event) error { got = append(got, ev.Ref); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != n || tl.Duplicates != 2*n {
		t.Errorf("kept %d events and dropped %d duplicates, want %d and %d", len(got), tl.Duplicates, n, 2*n)
	}
}

// A tiny memory budget forces every event through disk runs; the result must
// be identical to the in-memory build. The events come from several inputs
// at once, so every shard holds some when the build finishes, some of them
// handed on and some not.
func TestSpilledRunsMatchMemory(t *testing.T) {
	var many []*debrief.Event
	for i := range 3000 {
		many = append(many, msg(i%90, fmt.Sprintf("u%d", i%7), fmt.Sprintf("message %d with <html> & \"quotes\"\nand lines", i)))
		many[len(many)-1].Ref = fmt.Sprintf("r%d", i)
		many[len(many)-1].Input = fmt.Sprintf("in%d.json", i%5)
	}
	clone := func() []*debrief.Event {
		out := make([]*debrief.Event, len(many))
		for i, ev := range many {
			c := *ev
			out[i] = &c
		}
		return out
	}
	memTL, mem := build(t, Options{}, append(clone(), incident()...))
	diskTL, disk := build(t, Options{MemoryBudget: 4096, TempDir: t.TempDir()}, append(clone(), incident()...))
	if len(diskTL.store.files) < 2 {
		t.Fatalf("expected several runs on disk, got %d", len(diskTL.store.files))
	}
	if diff := cmp.Diff(mem, disk); diff != "" {
		t.Errorf("disk != memory (-mem +disk):\n%s", diff)
	}
	if diff := cmp.Diff(memTL.Metrics, diskTL.Metrics); diff != "" {
		t.Errorf("metrics differ:\n%s", diff)
	}
}

type upperRedactor struct{}

func (upperRedactor) Redact(s string) (string, int) {
	if i := strings.Index(s, "PGPASSWORD="); i >= 0 {
		return s[:i] + "PGPASSWORD=[REDACTED:password]", 1
	}
	return s, 0
}

func TestRedactionBeforeStorage(t *testing.T) {
	evs := []*debrief.Event{{Time: at(1, 0), Source: debrief.SourceBash, Kind: debrief.KindCommand, Actor: "alice",
		Text: "PGPASSWORD=hunter2 psql -h db", Ref: "a:1"}}
	tl, got := build(t, Options{Redactor: upperRedactor{}, MemoryBudget: 1, TempDir: t.TempDir()}, evs)
	if tl.Redactions != 1 || strings.Contains(got[0].Text, "hunter2") {
		t.Errorf("redactions %d, text %q", tl.Redactions, got[0].Text)
	}
}

func TestStableIDs(t *testing.T) {
	_, a := build(t, Options{}, incident())
	_, b := build(t, Options{}, incident())
	seen := map[string]bool{}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Errorf("id of %q changed between runs", a[i].Text)
		}
		if seen[a[i].ID] {
			t.Errorf("id %s used twice", a[i].ID)
		}
		seen[a[i].ID] = true
	}
}

// Two accounts that share a nickname are two people; a name only one
// account carries still joins across sources.
func TestSharedDisplayNameDoesNotJoin(t *testing.T) {
	evs := []*debrief.Event{
		{Time: at(1, 0), Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: "dara.obrien", Ref: "1", Text: "hi",
			Identity: &debrief.Identity{Handle: "dara.obrien", ID: "U1", DisplayName: "Dara", Aliases: []string{"Dara O'Brien"}}},
		{Time: at(2, 0), Source: debrief.SourceSlack, Kind: debrief.KindMessage, Actor: "dara.haddad", Ref: "2", Text: "hi",
			Identity: &debrief.Identity{Handle: "dara.haddad", ID: "U2", DisplayName: "Dara", Aliases: []string{"Dara Haddad"}}},
		{Time: at(3, 0), Source: debrief.SourcePagerDuty, Kind: debrief.KindPageAcknowledged, Actor: "Dara Haddad", Ref: "p", Text: "ack",
			Identity: &debrief.Identity{Handle: "Dara Haddad", DisplayName: "Dara Haddad"}},
	}
	tl, got := build(t, Options{}, evs)
	if len(tl.Participants) != 2 {
		t.Errorf("participants = %+v, want dara.obrien and dara.haddad apart", tl.Participants)
	}
	if got[2].Actor != "dara.haddad" {
		t.Errorf("PagerDuty's Dara Haddad joined to %q, want dara.haddad", got[2].Actor)
	}
}

// Spilled runs leave no file behind, even while the timeline is open (they
// are unlinked as soon as written), so a killed process leaves no litter.
func TestSpilledRunsLeaveNoFiles(t *testing.T) {
	dir := t.TempDir()
	tl, got := build(t, Options{MemoryBudget: 1, TempDir: dir}, incident())
	if len(tl.store.files) == 0 {
		t.Fatal("expected runs on disk")
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("%d files left in the temp dir", len(left))
	}
	n := 0
	tl.Each(func(*debrief.Event) error { n++; return nil })
	if n != len(got) {
		t.Errorf("second walk read %d events, want %d", n, len(got))
	}
}

// Spilled records of every size read back whole: records whose length
// takes one, two and three bytes, and texts longer than a write.
func TestSpillKeepsEveryRecordSize(t *testing.T) {
	var sizes []int
	for n := range 200 {
		sizes = append(sizes, n)
	}
	for n := 16200; n < 16450; n++ {
		sizes = append(sizes, n)
	}
	sizes = append(sizes, 70_000, 3<<20)
	texts := map[string]string{}
	var evs []*debrief.Event
	for i, n := range sizes {
		ev := msg(i%60, fmt.Sprintf("u%d", i), strings.Repeat(string(rune('a'+i%26)), n))
		ev.Ref = fmt.Sprintf("inc/%d", i)
		texts[ev.Ref] = ev.Text
		evs = append(evs, ev)
	}
	tl, got := build(t, Options{MemoryBudget: 1, TempDir: t.TempDir()}, evs)
	if len(tl.store.files) == 0 {
		t.Fatal("expected runs on disk")
	}
	if len(got) != len(evs) {
		t.Fatalf("read %d events, want %d", len(got), len(evs))
	}
	for _, ev := range got {
		if want := texts[ev.Ref]; ev.Text != want {
			t.Errorf("%s: text of %d bytes read back as %d bytes", ev.Ref, len(want), len(ev.Text))
		}
	}
}

// A run file damaged between writing and reading (a full disk, another
// process) fails the walk with an error, never a panic or a wrong timeline.
func TestCorruptRunIsAnError(t *testing.T) {
	for name, damage := range map[string]func(f *os.File, size int64){
		"garbage block": func(f *os.File, size int64) { f.WriteAt([]byte{0x05, 0x40, 1, 2, 3, 4, 5}, 0) },
		"huge length":   func(f *os.File, size int64) { f.WriteAt([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, 0) },
		// Cut inside the last record: a cut at half the size lands between
		// two records now and then (which events the first run holds
		// depends on the emitting goroutines), and a run cut there reads
		// as a shorter run.
		"truncated":     func(f *os.File, size int64) { f.Truncate(size - 1) },
		"flipped bytes": func(f *os.File, size int64) { f.WriteAt(bytes.Repeat([]byte{0xa5}, 8), size/2) },
	} {
		t.Run(name, func(t *testing.T) {
			var evs []*debrief.Event
			for i := range 300 {
				evs = append(evs, msg(i%90, fmt.Sprintf("u%d", i%7), fmt.Sprintf("message %d about the pool", i)))
			}
			tl, _ := build(t, Options{MemoryBudget: 1 << 16, TempDir: t.TempDir()}, append(evs, incident()...))
			rf := tl.store.files[0]
			damage(rf.f, rf.size)
			if name == "truncated" {
				rf.size--
			}
			err := tl.Each(func(*debrief.Event) error { return nil })
			if name == "flipped bytes" && err == nil {
				return // runs carry no checksum: a flip inside a text still decodes
			}
			if err == nil || !strings.Contains(err.Error(), "read spilled events") {
				t.Errorf("walk over a damaged run: %v", err)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                                         "plain",
		"line1\r\nline2\r\n":                            "line1\nline2\n",
		"old mac\rline":                                 "old mac\nline",
		"\x1b[31mERROR\x1b[0m: pool exhausted":          "ERROR: pool exhausted",
		"\x1b[1;38;5;196mbold red\x1b[m":                "bold red",
		"\x1b]8;;https://x.example\x07link\x1b]8;;\x07": "link",
		"\x1b]0;title\x1b\\after":                       "after",
		"trailing escape \x1b":                          "trailing escape ",
		"cut \x1b[31":                                   "cut ",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
