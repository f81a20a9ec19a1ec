package k8sevents

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func TestCorpus(t *testing.T) {
	ingesttest.ParseCorpus(t, Parse, "k8s_events", func(t *testing.T, path string, got ingesttest.Result) {
		ingesttest.WantEvents(t, path, got)
		for _, ev := range got.Events {
			if ev.Time.IsZero() || ev.Ref == "" || ev.Text == "" || !utf8.ValidString(ev.Text) {
				t.Errorf("incomplete event %+v", ev)
			}
		}
		t.Logf("first: %s %s", got.Events[0].Time.Format("2006-01-02T15:04:05.999999Z"), got.Events[0].Text)
	})
}

func TestCorpusSupportBundleEventTime(t *testing.T) {
	var path string
	for _, p := range ingesttest.CorpusFiles(t, "k8s_events") {
		if strings.Contains(p, "support-bundle") {
			path = p
		}
	}
	if path == "" {
		ingesttest.Absent(t, "the support bundle sample in the k8s_events corpus")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseBytes(t, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The first event has null firstTimestamp and lastTimestamp and only an eventTime.
	if want := ingesttest.Time(t, "2022-12-21T16:43:07.860897Z"); !got[0].Time.Equal(want) || got[0].Actor != "default-scheduler" {
		t.Errorf("first event at %s by %q; want %s by default-scheduler", got[0].Time, got[0].Actor, want)
	}
}

func TestSniff(t *testing.T) {
	mine := ingesttest.CorpusFiles(t, "k8s_events")
	testdata, _ := filepath.Glob("testdata/*.json")
	var good []string
	for _, path := range append(mine, testdata...) {
		if !strings.Contains(path, "bad-") {
			good = append(good, path)
		}
	}
	ingesttest.SniffAtLeast(t, Sniff, good, 75)
	ingesttest.SniffBelow(t, Sniff, ingesttest.CorpusFilesExcept(t, "k8s_events"), 1)
}
