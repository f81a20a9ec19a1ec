package slack

import (
	"archive/zip"
	"cmp"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// corpusExports lists the zip archives of the corpus's real Slack exports,
// each unpacked beside it ("<name>.zip.unpacked"), skipping loudly when there
// are none.
func corpusExports(t *testing.T) []string {
	t.Helper()
	dir := ingesttest.CorpusDir(t, "slack")
	zips, _ := filepath.Glob(filepath.Join(dir, "*", "*.zip"))
	if len(zips) == 0 {
		ingesttest.Absent(t, "no Slack export zip under %s", dir)
	}
	return zips
}

// strict fails the test on any bad record.
func strict(t *testing.T, in *ingest.Input) *ingest.Input {
	in.Bad = func(err error) error {
		t.Errorf("bad record: %v", err)
		return nil
	}
	return in
}

func TestCorpus(t *testing.T) {
	for _, zipPath := range corpusExports(t) {
		t.Run(filepath.Base(filepath.Dir(zipPath)), func(t *testing.T) {
			unpacked := os.DirFS(zipPath + ".unpacked")
			if !Tree(unpacked, ".") {
				t.Fatal("Tree does not recognise the unpacked export")
			}
			fromDir, err := parseAll(t, strict(t, input(unpacked, ".", "export")))
			if err != nil {
				t.Fatal(err)
			}
			assertEveryDayFile(t, unpacked, fromDir)
			assertSane(t, fromDir)

			zr, err := zip.OpenReader(zipPath)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			if !Tree(zr, ".") {
				t.Fatal("Tree does not recognise the zip")
			}
			fromZip, err := parseAll(t, strict(t, input(zr, ".", "export.zip")))
			if err != nil {
				t.Fatal(err)
			}
			ignoreInput := cmpopts.IgnoreFields(debrief.Event{}, "Input")
			if diff := gocmp.Diff(byRefText(fromDir), byRefText(fromZip), ignoreInput); diff != "" {
				t.Errorf("zip and directory differ (-dir +zip):\n%s", diff)
			}
		})
	}
}

// assertEveryDayFile checks that each day file yields events, on its own as
// well as in the export, and the same ones.
func assertEveryDayFile(t *testing.T, fsys fs.FS, export []*debrief.Event) {
	t.Helper()
	days, _ := fs.Glob(fsys, "*/*.json")
	if len(days) == 0 {
		t.Fatal("no day files in the corpus export")
	}
	for _, day := range days {
		var want []*debrief.Event
		for _, ev := range export {
			if ev.Input == "export:"+day {
				cp := *ev
				cp.Input = day
				want = append(want, &cp)
			}
		}
		if len(want) == 0 {
			t.Errorf("%s: no events", day)
		}
		got, err := parseAll(t, strict(t, input(fsys, day, day)))
		if err != nil {
			t.Fatalf("%s: %v", day, err)
		}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s alone differs from the export (-export +alone):\n%s", day, diff)
		}
	}
}

// assertSane checks what every event must have. Only workspace-wide entries
// of integration_logs.json have no channel.
func assertSane(t *testing.T, events []*debrief.Event) {
	t.Helper()
	for _, ev := range events {
		workspace := strings.HasPrefix(ev.Ref, "integrations/") && ev.Channel == ""
		if ev.Time.IsZero() || ev.Time.Location().String() != "UTC" || ev.Ref == "" || ev.Actor == "" || ev.Channel == "" && !workspace || ev.Identity == nil {
			t.Errorf("incomplete event %+v", ev)
		}
		if strings.ContainsAny(ev.Text, "\ufffd") {
			t.Errorf("%s: replacement character in %q", ev.Ref, ev.Text)
		}
	}
}

func byRefText(events []*debrief.Event) []*debrief.Event {
	slices.SortFunc(events, func(a, b *debrief.Event) int {
		return cmp.Or(cmp.Compare(a.Ref, b.Ref), cmp.Compare(a.Text, b.Text))
	})
	return events
}
