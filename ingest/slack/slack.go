// Package slack reads Slack workspace exports (a directory or a zip archive
// with users.json, channels.json and one folder of day files per channel),
// single day files, and conversations.history API responses.
//
// Day files of an export are parsed in parallel with fastjson, since a large
// workspace export runs to gigabytes and incident channels are only a small
// part of it; every event keeps the full microsecond precision of Slack's ts.
package slack

import (
	"context"
	"io/fs"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// Format returns the Slack format for the registry: exports are trees, single
// day files and API responses are sniffed by content.
func Format() ingest.Format {
	return ingest.Format{
		Name:   string(debrief.SourceSlack),
		Sniff:  Sniff,
		Tree:   Tree,
		Parser: ingest.ParserFunc(Parse),
	}
}

// Parse reads in, which is either the directory of an export (or the root of
// a zip archive holding one) or a single JSON file, and emits its events.
func Parse(ctx context.Context, in *ingest.Input, emit ingest.Emit) error {
	info, err := fs.Stat(in.FS, in.Path)
	if err != nil {
		return &debrief.InputError{File: in.Name, Msg: "cannot open the Slack input", Err: err}
	}
	if info.IsDir() {
		root, ok := exportRoot(in.FS, in.Path)
		if !ok {
			return in.Errorf(0, "expected a Slack export: a folder with users.json or channels.json and one folder of YYYY-MM-DD.json day files per channel")
		}
		return parseExport(ctx, in, root, emit)
	}
	return parseFile(ctx, in, emit)
}
