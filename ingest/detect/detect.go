// Package detect finds out what each input is. An argument may be a file, a
// directory (an incident folder, or an export) or a zip archive; each file
// inside is detected from its content, never from its name alone, and a
// "FORMAT:" prefix forces a format.
package detect

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// SniffSize is how much of a file the formats see when sniffing.
const SniffSize = 64 << 10

// Job is one input with its format, ready to parse.
type Job struct {
	Input  ingest.Input
	Format ingest.Format
	// Arg is the command-line argument the job came from.
	Arg string
}

// Found is what Resolve found for the arguments.
type Found struct {
	Jobs []Job
	// People are people files found inside incident folders (people.yaml).
	People []File
	// Skipped lists files inside folders that no format claimed.
	Skipped []string
	closers []io.Closer
}

// Close releases opened archives.
func (f *Found) Close() error {
	var errs []error
	for _, c := range f.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// File is a file inside an input, which may be a zip archive.
type File struct {
	FS   fs.FS
	Path string
	Name string // for messages
}

// Open opens the file.
func (f File) Open() (fs.File, error) { return f.FS.Open(f.Path) }

// Registry detects inputs among a list of formats.
type Registry struct {
	formats []ingest.Format
}

// New returns a registry over formats; the first format wins a tie.
func New(formats []ingest.Format) *Registry { return &Registry{formats: formats} }

// Formats lists the registered formats.
func (r *Registry) Formats() []ingest.Format { return r.formats }

// Lookup returns the format called name.
func (r *Registry) Lookup(name string) (ingest.Format, bool) {
	for _, f := range r.formats {
		if f.Name == name {
			return f, true
		}
	}
	return ingest.Format{}, false
}

// Resolve turns command-line arguments into jobs. An argument that cannot be
// read or detected is an input error; a file inside a folder that no format
// claims is listed in Skipped.
func (r *Registry) Resolve(args []string) (*Found, error) {
	found := &Found{}
	for _, arg := range args {
		if err := r.resolveArg(found, arg); err != nil {
			found.Close()
			return nil, err
		}
	}
	return found, nil
}

func (r *Registry) resolveArg(found *Found, arg string) error {
	forced, p := r.splitForced(arg)
	info, err := os.Stat(p)
	if err != nil {
		return &debrief.InputError{File: p, Msg: "cannot read input", Err: errors.Unwrap(err)}
	}
	dir, base := filepath.Split(p)
	if dir == "" {
		dir = "."
	}
	if info.IsDir() {
		fsys := plainText(os.DirFS(p))
		if forced != nil {
			if forced.Tree == nil {
				return &debrief.InputError{File: p, Msg: fmt.Sprintf("%s reads files, not directories", forced.Name)}
			}
			found.Jobs = append(found.Jobs, job(fsys, ".", p, *forced, arg))
			return nil
		}
		return r.walk(found, fsys, ".", p, arg, true)
	}
	in, err := look(plainText(os.DirFS(dir)), base)
	if err != nil {
		return &debrief.InputError{File: p, Msg: "cannot read input", Err: err}
	}
	switch {
	case forced != nil:
		found.Jobs = append(found.Jobs, job(in.fsys, in.path, p, *forced, arg))
		return nil
	case in.zip:
		return r.openZip(found, in.fsys, in.path, p, arg)
	}
	f, score, _ := r.Sniff(in.head, path.Base(in.path))
	if score == 0 {
		return &debrief.InputError{File: p, Msg: "cannot tell what this file is; expected one of " +
			r.names() + " (force one with FORMAT:" + p + ")"}
	}
	found.Jobs = append(found.Jobs, job(in.fsys, in.path, p, f, arg))
	return nil
}

// splitForced splits "zsh:path" when the prefix names a format and the
// whole argument is not itself an existing file.
func (r *Registry) splitForced(arg string) (*ingest.Format, string) {
	name, rest, ok := strings.Cut(arg, ":")
	if !ok {
		return nil, arg
	}
	f, known := r.Lookup(name)
	if !known {
		return nil, arg
	}
	if _, err := os.Stat(arg); err == nil {
		return nil, arg
	}
	return &f, rest
}

func job(fsys fs.FS, p, name string, f ingest.Format, arg string) Job {
	return Job{Input: ingest.Input{FS: fsys, Path: p, Name: name}, Format: f, Arg: arg}
}

// walk detects a directory: a tree format claims it whole, else every entry
// is detected on its own. top says the directory is a command-line argument.
func (r *Registry) walk(found *Found, fsys fs.FS, dir, name, arg string, top bool) error {
	for _, f := range r.formats {
		if f.Tree != nil && f.Tree(fsys, dir) {
			found.Jobs = append(found.Jobs, job(fsys, dir, name, f, arg))
			return nil
		}
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return &debrief.InputError{File: name, Msg: "cannot read directory", Err: err}
	}
	before := len(found.Jobs)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && !isHistoryName(e.Name()) {
			continue
		}
		p := path.Join(dir, e.Name())
		display := joinName(name, e.Name())
		if e.IsDir() {
			if err := r.walk(found, fsys, p, display, arg, false); err != nil {
				return err
			}
			continue
		}
		if isPeopleFile(e.Name()) {
			found.People = append(found.People, File{FS: fsys, Path: p, Name: display})
			continue
		}
		in, err := look(fsys, p)
		if err != nil {
			return &debrief.InputError{File: display, Msg: "cannot read input", Err: err}
		}
		if in.zip {
			if err := r.openZip(found, in.fsys, in.path, display, arg); err != nil {
				return err
			}
			continue
		}
		f, score, _ := r.Sniff(in.head, path.Base(in.path))
		if score == 0 {
			found.Skipped = append(found.Skipped, display)
			continue
		}
		found.Jobs = append(found.Jobs, job(in.fsys, in.path, display, f, arg))
	}
	if top && len(found.Jobs) == before {
		return &debrief.InputError{File: name, Msg: "no input of a known format in this directory; expected files of " + r.names()}
	}
	return nil
}

func joinName(dir, base string) string {
	if strings.HasSuffix(dir, ".zip") {
		return dir + ":" + base
	}
	if strings.Contains(dir, ".zip:") {
		return dir + "/" + base
	}
	return filepath.Join(dir, base)
}

func isHistoryName(n string) bool {
	return strings.Contains(n, "history")
}

func isPeopleFile(n string) bool {
	return n == "people.yaml" || n == "people.yml"
}

func (r *Registry) openZip(found *Found, fsys fs.FS, p, name, arg string) error {
	f, err := fsys.Open(p)
	if err != nil {
		return &debrief.InputError{File: name, Msg: "cannot open zip archive", Err: err}
	}
	ra, ok := f.(io.ReaderAt)
	st, serr := f.Stat()
	if !ok || serr != nil {
		f.Close()
		return &debrief.InputError{File: name, Msg: "cannot read zip archive"}
	}
	zr, err := zip.NewReader(ra, st.Size())
	if err != nil {
		f.Close()
		return &debrief.InputError{File: name, Msg: "expected a zip archive", Err: err}
	}
	found.closers = append(found.closers, f)
	root := zipRoot(zr)
	return r.walk(found, plainText(zr), root, name, arg, true)
}

// zipRoot is the single top-level folder of an archive, if everything sits
// in one (exports are often zipped that way), else ".".
func zipRoot(zr *zip.Reader) string {
	entries, err := fs.ReadDir(zr, ".")
	if err != nil || len(entries) != 1 || !entries[0].IsDir() {
		return "."
	}
	return entries[0].Name()
}

// looked is what the first bytes of a file say about it.
type looked struct {
	fsys fs.FS
	path string
	head []byte // up to SniffSize bytes, decompressed for a gzipped file
	zip  bool
}

// look reads a file's beginning once: a zip archive is walked, a gzipped
// file is served decompressed (see gzipFS), anything else is sniffed.
func look(fsys fs.FS, p string) (looked, error) {
	head, err := readHead(fsys, p)
	if err != nil {
		return looked{}, err
	}
	in := looked{fsys: fsys, path: p, head: head}
	switch {
	case len(head) >= 4 && string(head[:4]) == "PK\x03\x04":
		in.zip = true
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		in.fsys, in.path = newGzipFS(fsys, p)
		in.fsys = plainText(in.fsys)
		if in.head, err = readHead(in.fsys, in.path); err != nil {
			return looked{}, err
		}
	}
	return in, nil
}

func readHead(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, SniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	// A JSON lines file whose first record is longer than the head (an
	// alert with a long description, a log line with a stack trace) would
	// show the formats no whole record: read on to the first line's end.
	for err == nil && len(head) < maxFirstLine && bytes.IndexByte(head, '\n') < 0 {
		more := make([]byte, min(len(head), maxFirstLine-len(head)))
		n, err = io.ReadFull(f, more)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return nil, err
		}
		head = append(head, more[:n]...)
	}
	return head, nil
}

// maxFirstLine is how far readHead reads to give the formats a whole first
// line.
const maxFirstLine = 8 << 20

// Sniff returns the format most sure of a file with this beginning and name.
func (r *Registry) Sniff(head []byte, name string) (ingest.Format, int, error) {
	best, bestScore := ingest.Format{}, 0
	for _, f := range r.formats {
		if f.Sniff == nil {
			continue
		}
		if s := f.Sniff(head, name); s > bestScore {
			best, bestScore = f, s
		}
	}
	return best, bestScore, nil
}

func (r *Registry) names() string {
	var names []string
	for _, f := range r.formats {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
