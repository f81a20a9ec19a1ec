package detect

import (
	"bytes"
	"io"
	"io/fs"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Files saved by Windows tools start with a byte order mark: Notepad and
// Excel put a UTF-8 BOM before a CSV or a history, and Windows PowerShell
// 5.1 writes `kubectl get events -o json > events.json` as UTF-16. textFS
// serves every file of an input without its UTF-8 BOM and UTF-16 decoded to
// UTF-8, so detection and every parser see the text itself. Files without a
// BOM are served as they are (their bytes untouched: a zsh history holds
// bytes that are not UTF-8 on purpose).
type textFS struct{ base fs.FS }

func plainText(fsys fs.FS) fs.FS {
	if _, ok := fsys.(textFS); ok {
		return fsys
	}
	return textFS{fsys}
}

func (t textFS) Open(name string) (fs.File, error) {
	f, err := t.base.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return f, nil
	}
	var head [3]byte
	if ra, ok := f.(io.ReaderAt); ok {
		// Peek without reading: a file with no BOM (a zip archive among
		// them, which needs ReadAt) is served as it is.
		n, _ := ra.ReadAt(head[:], 0)
		if bomLen(head[:n]) == 0 {
			return f, nil
		}
	}
	n, err := io.ReadFull(f, head[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, err
	}
	peeked := head[:n]
	var r io.Reader
	switch bomLen(peeked) {
	case 0:
		r = io.MultiReader(bytes.NewReader(peeked), f)
	case 3:
		r = f
	default: // UTF-16: the third byte belongs to the text
		order := unicode.LittleEndian
		if peeked[0] == 0xFE {
			order = unicode.BigEndian
		}
		r = transform.NewReader(io.MultiReader(bytes.NewReader(peeked[2:]), f), unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder())
	}
	return &textFile{File: f, r: r}, nil
}

// bomLen is the length of the byte order mark b starts with: 3 for UTF-8, 2
// for UTF-16, else 0.
func bomLen(b []byte) int {
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return 3
	case len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF):
		return 2
	}
	return 0
}

type textFile struct {
	fs.File
	r io.Reader
}

func (f *textFile) Read(p []byte) (int, error) { return f.r.Read(p) }
