package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// The people-facing renderings of the sample incident are pinned: a change
// to them shows up as a diff in review. Run `go test ./cmd/debrief -update`
// after an intended change.
func TestGoldenSample(t *testing.T) {
	for format, file := range map[string]string{"text": "sample.txt", "markdown": "sample.md", "svg": "sample.svg"} {
		code, out, errOut := run(t, "timeline", "--color", "never", "--quiet", "--title", "Search latency", "--format", format, sample)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		path := filepath.Join("testdata", "golden", file)
		if *update {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), out); diff != "" {
			t.Errorf("%s output changed (-want +got):\n%s", format, diff)
		}
	}
}
