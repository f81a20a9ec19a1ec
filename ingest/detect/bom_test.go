package detect

import (
	"archive/zip"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"github.com/debriefhq/debrief"
)

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16be(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// Files written by Windows tools (Notepad, Excel, PowerShell's redirection)
// start with a byte order mark: they are detected and read like any other,
// their first record kept. Files without one keep their bytes, even the
// ones that are not UTF-8.
func TestByteOrderMarks(t *testing.T) {
	samples := map[string]struct {
		text, format, first string
	}{
		"ops.zsh_history":  {": 1710065000:0;kubectl rollout undo deploy/api\n: 1710065060:0;kubectl get pods\n", "zsh", "kubectl rollout undo deploy/api"},
		"ops.bash_history": {"#1710065000\nkubectl rollout undo deploy/api\n#1710065060\nkubectl get pods\n", "bash", "kubectl rollout undo deploy/api"},
		"events.json":      {`{"apiVersion":"v1","kind":"List","items":[{"kind":"Event","metadata":{"name":"a","namespace":"prod"},"involvedObject":{"kind":"Pod","name":"api-1"},"reason":"BackOff","message":"Back-off restarting","type":"Warning","lastTimestamp":"2024-03-10T10:00:00Z","source":{"component":"kubelet"}}]}`, "k8s", "Warning BackOff pod/api-1: Back-off restarting"},
		"timeline.csv":     {"time,actor,text\n2024-03-10T10:00:00Z,sam,rolled back the deploy\n", "csv", "rolled back the deploy"},
	}
	for name, s := range samples {
		for enc, body := range map[string][]byte{
			"utf-8 bom": append([]byte{0xEF, 0xBB, 0xBF}, s.text...),
			"utf-16le":  utf16le(s.text),
			"utf-16be":  utf16be(s.text),
		} {
			t.Run(name+"/"+enc, func(t *testing.T) {
				dir := t.TempDir()
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, body, 0o644); err != nil {
					t.Fatal(err)
				}
				evs := runAll(t, p)
				if len(evs) == 0 || evs[0].Text != s.first {
					t.Fatalf("events %+v, first want %q", evs, s.first)
				}
			})
		}
	}
	// Inside a zip archive too (a Slack export zipped on Windows).
	dir := t.TempDir()
	zp := filepath.Join(dir, "histories.zip")
	zf, _ := os.Create(zp)
	zw := zip.NewWriter(zf)
	w, _ := zw.Create("ops.zsh_history")
	w.Write(append([]byte{0xEF, 0xBB, 0xBF}, samples["ops.zsh_history"].text...))
	zw.Close()
	zf.Close()
	if evs := runAll(t, zp); len(evs) != 2 || evs[0].Text != "kubectl rollout undo deploy/api" {
		t.Errorf("zipped history with a BOM: %+v", evs)
	}
	// No BOM: bytes as they are (zsh's metafied bytes are not UTF-8), and
	// one that is too short to hold one.
	for _, body := range []string{"echo caf\x83\xa9\n", "\xff", "", "\xef\xbb"} {
		fsys := plainText(fstest.MapFS{"h": {Data: []byte(body)}})
		got, err := fs.ReadFile(fsys, "h")
		if err != nil || string(got) != body {
			t.Errorf("%q served as %q (%v)", body, got, err)
		}
	}
}

func runAll(t *testing.T, p string) []debrief.Event {
	t.Helper()
	found, err := New(All()).Resolve([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	defer found.Close()
	var mu sync.Mutex
	var evs []debrief.Event
	if _, err := Run(context.Background(), found.Jobs, RunOptions{}, func(ev *debrief.Event) error {
		mu.Lock()
		evs = append(evs, *ev)
		mu.Unlock()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Parsers run files in parallel; one file's events come in order.
	return evs
}
