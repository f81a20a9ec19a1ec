// Package mattermost reads Mattermost bulk exports (the JSON-lines file written
// by `mmctl export` and read by `mattermost import bulk`), and pages of posts
// from its REST API (see api.go), into timeline events.
//
// A bulk export has no post ids, so each post's Ref is a hash of what makes it
// unique in Mattermost's own importer: team, channel, author and create_at.
// Replies are nested in their root post and carry its Ref as Thread.
//
// User lines may come after the posts they wrote (hand-assembled exports do
// this). Events of a user not yet described are held back until the user's line
// arrives, so that every event is complete when emitted and is never changed
// afterwards; what is still held at the end of the file is emitted with the
// username alone.
package mattermost

import (
	"bytes"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
	"github.com/valyala/fastjson"
)

// Format describes Mattermost bulk exports for the format registry.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourceMattermost),
		Sniff:  Sniff,
		Parser: ingest.ParserFunc(Parse),
	}
}

// isRecordType reports whether t is a line type of a bulk export other than
// "version"; a file that starts with one is most likely an export cut at its head.
func isRecordType(t string) bool {
	switch t {
	case "team", "channel", "user", "bot", "post", "direct_channel", "direct_post", "emoji", "scheme", "role":
		return true
	}
	return false
}

// Sniff recognises a bulk export by its first line, {"type":"version",...},
// which Mattermost always writes first; a file starting with another record
// type of the export is claimed less surely. The name is only a weak hint.
func Sniff(head []byte, name string) int {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	line := firstLine(head)
	if len(line) > 0 && line[0] == '[' {
		return sniffAPI(head) // jq -s: an array of API pages
	}
	if len(line) == 0 || line[0] != '{' {
		return 0
	}
	score := sniffLine(line)
	if score == 0 {
		score = sniffAPI(head)
	}
	if score > 0 && (strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".json")) {
		score += 3
	}
	return score
}

// firstLine returns the first non-blank line of head, trimmed.
func firstLine(head []byte) []byte {
	for len(head) > 0 {
		line := head
		rest := []byte(nil)
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, rest = head[:i], head[i+1:]
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			return line
		}
		head = rest
	}
	return nil
}

// sniffLine scores one line of a candidate export.
func sniffLine(line []byte) int {
	v, err := fastjson.ParseBytes(line)
	if err != nil {
		// A version line is short; a first line too long for the head is
		// judged by its start alone.
		if bytes.HasPrefix(line, []byte(`{"type":"version"`)) {
			return 85
		}
		return 0
	}
	typ := string(v.GetStringBytes("type"))
	switch {
	case typ == "version" && v.Get("version") != nil:
		return 92
	case typ == "version":
		return 80
	case isRecordType(typ) && v.Get(typ) != nil && v.Get(typ).Type() == fastjson.TypeObject:
		return 60
	}
	return 0
}
