package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestFillsHeap(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		return p
	}
	small := write("small/alice.zsh_history", 10<<10)
	write("small/alerts.jsonl", 1<<20)
	big := write("big/alerts.jsonl", 80<<20)
	write("export/general/2024-01-01.json", 40<<20)
	write("export/oncall/2024-01-01.json", 40<<20)
	for i := range maxLook + 1 {
		write(fmt.Sprintf("many/c/2024-01-%03d.json", i), 100)
	}
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"timeline", small}, false},
		{[]string{"timeline", filepath.Join(dir, "small")}, false},
		{[]string{"timeline", "--format", "jsonl", big}, true},
		{[]string{"draft", small, big}, true},
		{[]string{"ingest", "--incident", "INC-1", filepath.Join(dir, "big")}, true},
		{[]string{"timeline", filepath.Join(dir, "export")}, true},             // the sizes of a folder's files add up
		{[]string{"timeline", "alertmanager:" + big}, true},                    // FORMAT:path
		{[]string{"timeline", filepath.Join(dir, "many")}, true},               // more files than are looked at
		{[]string{"timeline", filepath.Join(dir, "missing"), "-o", big}, true}, // an existing file counts whatever its role
		{[]string{"lint", big}, false},                                         // reads no incident inputs
		{[]string{"serve"}, false},
		{nil, false},
	} {
		if got := fillsHeap(tc.args); got != tc.want {
			t.Errorf("fillsHeap(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
