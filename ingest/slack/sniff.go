package slack

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
)

// Sniff scores a single file: a day file (a JSON array of message objects
// with a string "ts") or a conversations.history response ({"ok": true,
// "messages": [...]}). The file name only nudges the score.
func Sniff(head []byte, name string) int {
	b := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(b) < 2 {
		return 0
	}
	score := 0
	switch b[0] {
	case '[':
		if rest := bytes.TrimLeft(b[1:], " \t\r\n"); len(rest) == 0 || rest[0] != '{' {
			return 0
		}
		switch {
		case hasTS(b) && hasKeyValue(b, "type", "message"):
			score = 90
		case hasTS(b):
			score = 70
		case hasKeyValue(b, "type", "message"):
			score = 40
		}
	case '{':
		if !hasKey(b, "messages") || !hasTS(b) {
			return 0
		}
		score = 80
		if hasKey(b, "ok") {
			score = 95
		}
	}
	if score > 0 && isDayFile(path.Base(name)) {
		score += 5
	}
	return min(score, 100)
}

// Tree reports whether dir is a Slack export: users.json or channels.json
// beside at least one channel folder of day files. An export zipped inside
// one top-level folder is recognised from the archive's root too.
func Tree(fsys fs.FS, dir string) bool {
	_, ok := exportRoot(fsys, dir)
	return ok
}

// exportRoot returns the folder of the export at dir: dir itself, or its only
// subfolder when dir holds nothing else, as when an export was zipped
// together with its folder. A folder that holds other files beside an export
// is not the export: those files are inputs of their own.
func exportRoot(fsys fs.FS, dir string) (string, bool) {
	if isExport(fsys, dir) {
		return dir, true
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return "", false
	}
	var only string
	for _, e := range entries {
		if skipFolder(e.Name()) {
			continue
		}
		if !e.IsDir() || only != "" {
			return "", false
		}
		only = path.Join(dir, e.Name())
	}
	if only != "" && isExport(fsys, only) {
		return only, true
	}
	return "", false
}

// isExport reports whether dir itself holds an export.
func isExport(fsys fs.FS, dir string) bool {
	if !isFile(fsys, path.Join(dir, "users.json")) && !isFile(fsys, path.Join(dir, "channels.json")) {
		return false
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.IsDir() && !skipFolder(e.Name()) && hasDayFiles(fsys, path.Join(dir, e.Name())) {
			return true
		}
	}
	return false
}

func isFile(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && !info.IsDir()
}

func hasDayFiles(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && isDayFile(e.Name()) {
			return true
		}
	}
	return false
}

// skipFolder reports what archivers and file managers add beside an export.
func skipFolder(name string) bool {
	return strings.HasPrefix(name, ".") || name == "__MACOSX"
}

// isDayFile reports whether name looks like "2024-02-14.json".
func isDayFile(name string) bool {
	if len(name) != len("2006-01-02.json") || !strings.HasSuffix(name, ".json") {
		return false
	}
	for i := range 10 {
		c := name[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hasTS reports whether b holds a "ts" key with a string of digits as value,
// the mark of a Slack message.
func hasTS(b []byte) bool {
	for {
		v, rest, ok := valueAfterKey(b, "ts")
		if !ok {
			return false
		}
		if len(v) > 1 && v[0] == '"' && v[1] >= '0' && v[1] <= '9' {
			return true
		}
		b = rest
	}
}

func hasKey(b []byte, key string) bool {
	_, _, ok := valueAfterKey(b, key)
	return ok
}

func hasKeyValue(b []byte, key, value string) bool {
	for {
		v, rest, ok := valueAfterKey(b, key)
		if !ok {
			return false
		}
		if bytes.HasPrefix(v, []byte(`"`+value+`"`)) {
			return true
		}
		b = rest
	}
}

// valueAfterKey finds the next "key": in b and returns what follows the
// colon, and the rest of b to search on from.
func valueAfterKey(b []byte, key string) (value, rest []byte, ok bool) {
	quoted := `"` + key + `"`
	for {
		i := bytes.Index(b, []byte(quoted))
		if i < 0 {
			return nil, nil, false
		}
		b = b[i+len(quoted):]
		v := bytes.TrimLeft(b, " \t\r\n")
		if len(v) > 0 && v[0] == ':' {
			return bytes.TrimLeft(v[1:], " \t\r\n"), b, true
		}
	}
}
