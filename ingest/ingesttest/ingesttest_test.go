package ingesttest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/google/go-cmp/cmp"
)

// fanOut emits one event from each of four goroutines, remarks once and
// reports one bad record, as a parallel parser may.
func fanOut(_ context.Context, in *ingest.Input, emit ingest.Emit) error {
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			emit(&debrief.Event{Time: time.Unix(int64(4-i), 0).UTC(), Ref: fmt.Sprint(i)})
		})
	}
	wg.Wait()
	in.Notef("read %s", in.Name)
	return in.BadRecord(in.Errorf(7, "bad"))
}

func TestParse(t *testing.T) {
	in := DataInput("f.json", nil)
	in.Bad = Skip
	got := Parse(t, fanOut, in).ByTime()
	var refs []string
	for _, ev := range got.Events {
		refs = append(refs, ev.Ref)
	}
	if diff := cmp.Diff([]string{"3", "2", "1", "0"}, refs); diff != "" {
		t.Errorf("refs by time (-want +got):\n%s", diff)
	}
	if got.Err != nil || !slices.Equal(got.Notes, []string{"read f.json"}) || !slices.Equal(BadLines(t, got.Bad), []int{7}) {
		t.Errorf("err %v, notes %q, bad %v; want nil, one note, one bad record", got.Err, got.Notes, got.Bad)
	}
	if in.Note != nil {
		t.Error("Parse set a hook on the caller's input")
	}

	stopped := ParseData(t, fanOut, "f.json", nil, nil)
	WantInputErrorAt(t, stopped.Err, "f.json", 7, "bad")
	if len(stopped.Bad) != 0 {
		t.Errorf("%d bad records without a Bad hook, want none", len(stopped.Bad))
	}
}

func TestCorpusPath(t *testing.T) {
	dir := CorpusDir(t, "slack") // skips when there is no corpus
	if got := CorpusPath("slack"); got != dir || filepath.Base(got) != "slack" {
		t.Errorf("CorpusPath(slack) = %s, CorpusDir = %s", got, dir)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("corpus folder %s: %v", dir, err)
	}
	t.Setenv("DEBRIEF_CORPUS", "/elsewhere/corpus")
	if got := CorpusPath("slack"); got != "/elsewhere/corpus/slack" {
		t.Errorf("with DEBRIEF_CORPUS, CorpusPath(slack) = %s", got)
	}
}

func TestWalkFiles(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"README.md", "a/x/1.json", "a/x/2.json", "b/y/3.json"} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(paths []string) []string {
		for i, p := range paths {
			paths[i], _ = filepath.Rel(root, p)
		}
		return paths
	}
	if got, want := rel(walkFiles(t, root, filepath.Join(root, "a"))), []string{"README.md", "b/y/3.json"}; !slices.Equal(got, want) {
		t.Errorf("all but a: %q, want %q", got, want)
	}
	if got, want := rel(walkFiles(t, root, root)), []string{"README.md", "a/x/1.json", "a/x/2.json", "b/y/3.json"}; !slices.Equal(got, want) {
		t.Errorf("all: %q, want %q", got, want)
	}
}
