package detect

import (
	"compress/gzip"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// Logs and webhook captures are often kept gzipped (alerts.jsonl.gz,
// journal.json.gz). A gzipped file is detected and parsed as what it holds:
// gzipFS serves it decompressed, under its name without ".gz".

// gzipFS serves it decompressed, under its name without ".gz".

func isGzip(fsys fs.FS, p string) bool {
	f, err := fsys.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
}

// gzipFS serves the one gzipped file gz of base as the plain file plain.
type gzipFS struct {
	base      fs.FS
	gz, plain string
}

func newGzipFS(base fs.FS, gz string) (gzipFS, string) {
	plain := strings.TrimSuffix(gz, ".gz")
	if plain == gz {
		plain = gz + ".plain"
	}
	return gzipFS{base: base, gz: gz, plain: plain}, plain
}

func (g gzipFS) Open(name string) (fs.File, error) {
	if name != g.plain {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := g.base.Open(g.gz)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: g.gz, Err: err}
	}
	return &gzipFile{f: f, zr: zr, name: path.Base(g.plain)}, nil
}

type gzipFile struct {
	f    fs.File
	zr   *gzip.Reader
	name string
}

func (g *gzipFile) Read(p []byte) (int, error) { return g.zr.Read(p) }
func (g *gzipFile) Close() error               { g.zr.Close(); return g.f.Close() }
func (g *gzipFile) Stat() (fs.FileInfo, error) { return gzipInfo{g.name}, nil }

// gzipInfo describes the decompressed file: its size is unknown (-1 tells
// readers not to preallocate).
type gzipInfo struct{ name string }

func (i gzipInfo) Name() string       { return i.name }
func (i gzipInfo) Size() int64        { return -1 }
func (i gzipInfo) Mode() fs.FileMode  { return 0o444 }
func (i gzipInfo) ModTime() time.Time { return time.Time{} }
func (i gzipInfo) IsDir() bool        { return false }
func (i gzipInfo) Sys() any           { return nil }
