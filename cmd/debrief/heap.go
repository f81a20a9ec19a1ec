package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/debriefhq/debrief/internal/hugeheap"
)

// heapLimit is the heap's soft limit (GOMEMLIMIT overrides it).
const heapLimit = 224 << 20

// Inputs of bigInput bytes or more fill the heap to its limit, so it is
// worth making it of huge pages (internal/hugeheap), which costs about 10
// ms at start: a tenth of a run over the sample incident, nothing beside
// the seconds a large export takes.
const (
	bigInput = 64 << 20
	// maxLook bounds the files looked at to decide: a folder holding
	// more is a large input whatever their sizes.
	maxLook = 256
)

// prepareHeap makes the heap of huge pages for a command that will fill
// it (7 to 14% less CPU on a large export). It must run before the
// program allocates much.
func prepareHeap(args []string) {
	if fillsHeap(args) {
		hugeheap.Advise(heapLimit)
	}
}

// fillsHeap reports whether args, the command line after the program's
// name, run a command that reads an incident's inputs and name inputs of
// bigInput bytes or more. Arguments that are not files (flags, their
// values) count for nothing; FORMAT:path counts as path.
func fillsHeap(args []string) bool {
	if len(args) == 0 || !readsInputs(args[0]) {
		return false
	}
	var size int64
	looked := 0
	for _, arg := range args[1:] {
		if strings.HasPrefix(arg, "-") {
			continue
		}
		if _, err := os.Stat(arg); err != nil {
			if _, path, ok := strings.Cut(arg, ":"); ok {
				arg = path
			}
		}
		filepath.WalkDir(arg, func(_ string, d fs.DirEntry, err error) error {
			if err != nil || looked >= maxLook || size >= bigInput {
				return filepath.SkipAll
			}
			if d.Type().IsRegular() {
				looked++
				if info, err := d.Info(); err == nil {
					size += info.Size()
				}
			}
			return nil
		})
		if looked >= maxLook || size >= bigInput {
			return true
		}
	}
	return false
}

// readsInputs reports whether the command reads an incident's inputs.
func readsInputs(command string) bool {
	switch command {
	case "timeline", "draft", "ingest":
		return true
	}
	return false
}
