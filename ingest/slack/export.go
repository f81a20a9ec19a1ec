package slack

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"golang.org/x/sync/errgroup"
)

// parseExport parses the export in folder root of in: the directory files
// first, then the day files of every channel kept, on one worker per CPU.
func parseExport(ctx context.Context, in *ingest.Input, root string, emit ingest.Emit) error {
	in = serialised(in)
	dir, err := loadDirectory(in, root)
	if err != nil {
		return err
	}
	convs, err := conversations(in, root, dir)
	if err != nil {
		return err
	}
	convs = keep(in, convs)
	if err := parseIntegrations(in, root, dir, convs, emit); err != nil {
		return err
	}
	return parseDays(ctx, in, convs, dir, emit)
}

// serialised returns a copy of in whose Bad and Note hooks are called by one
// goroutine at a time, since the hooks need not be safe for concurrent use.
func serialised(in *ingest.Input) *ingest.Input {
	cp := *in
	var mu sync.Mutex
	if bad := in.Bad; bad != nil {
		cp.Bad = func(err error) error {
			mu.Lock()
			defer mu.Unlock()
			return bad(err)
		}
	}
	if note := in.Note; note != nil {
		cp.Note = func(msg string) {
			mu.Lock()
			defer mu.Unlock()
			note(msg)
		}
	}
	return &cp
}

// member is how errors and events name a file of the input: "export.zip:general/2024-02-14.json".
func member(in *ingest.Input, name string) string {
	rel := name
	if in.Path != "." && in.Path != "" {
		rel = strings.TrimPrefix(name, in.Path+"/")
	}
	return in.Name + ":" + rel
}

// folder is one channel folder of an export.
type folder struct {
	path string
	conv *conversation
}

// conversations lists the channel folders of the export, named through
// channels.json and its kin; a folder none of them lists is named after itself.
func conversations(in *ingest.Input, root string, dir *directory) ([]folder, error) {
	entries, err := fs.ReadDir(in.FS, root)
	if err != nil {
		return nil, &debrief.InputError{File: in.Name, Msg: "cannot list the export", Err: err}
	}
	var out []folder
	for _, e := range entries {
		if !e.IsDir() || skipFolder(e.Name()) {
			continue
		}
		conv, ok := dir.folders[e.Name()]
		if !ok {
			conv = newConversation(e.Name(), e.Name())
		}
		out = append(out, folder{path: path.Join(root, e.Name()), conv: conv})
	}
	return out, nil
}

// keep narrows folders to the channels in.Channels asks for, by name or id,
// with or without '#', and notes the ones the export does not have.
func keep(in *ingest.Input, folders []folder) []folder {
	if len(in.Channels) == 0 {
		return folders
	}
	var out []folder
	found := make([]bool, len(in.Channels))
	for _, f := range folders {
		for i, want := range in.Channels {
			want = strings.TrimPrefix(strings.TrimSpace(want), "#")
			if strings.EqualFold(want, f.conv.name) || strings.EqualFold(want, f.conv.id) {
				found[i] = true
				out = append(out, f)
				break
			}
		}
	}
	for i, ok := range found {
		if !ok {
			in.Notef("slack export %s: channel %q is not in the export", in.Name, in.Channels[i])
		}
	}
	return out
}

// parseDays parses the day files of folders in parallel. One goroutine lists
// the files and hands them to the workers one at a time, so only as many
// files are in memory as there are workers.
func parseDays(ctx context.Context, in *ingest.Input, folders []folder, dir *directory, emit ingest.Emit) error {
	workers := runtime.GOMAXPROCS(0)
	g, ctx := errgroup.WithContext(ctx)
	files := make(chan dayFile, workers)
	g.Go(func() error {
		defer close(files)
		return listDays(ctx, in, folders, files)
	})
	for range workers {
		g.Go(func() (err error) {
			// The goroutines of a parser are its own: detect.Run recovers
			// only the one it starts. A bug must not take the process down
			// with it; the input fails with the day file named instead.
			var at string
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%s: internal error while parsing (please report it): %v", at, r)
				}
			}()
			w := newWorker(dir, in.Actor)
			for f := range files {
				at = f.input
				if err := w.parseDay(ctx, in, f, emit); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// listDays sends the day files of each folder to files.
func listDays(ctx context.Context, in *ingest.Input, folders []folder, files chan<- dayFile) error {
	for _, f := range folders {
		entries, err := fs.ReadDir(in.FS, f.path)
		if err != nil {
			if err := in.BadRecord(&debrief.InputError{File: member(in, f.path), Msg: "cannot list the channel folder", Err: err}); err != nil {
				return err
			}
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !isDayFile(e.Name()) {
				continue
			}
			name := path.Join(f.path, e.Name())
			select {
			case files <- dayFile{path: name, input: member(in, name), conv: f.conv}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return nil
}
