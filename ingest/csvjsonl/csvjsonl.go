// Package csvjsonl reads the generic formats a team falls back on: a CSV file
// of notes kept by hand during an incident, or any tool's export as CSV or
// JSON lines. Columns (CSV header names, JSON keys) are matched by common
// synonyms: a time and a text are required, an actor, source, kind and
// channel are optional.
//
// Both sniffers score low on purpose: a file that a specific format also
// claims (a journald or Mattermost JSON-lines export) belongs to that format.
package csvjsonl

import (
	"github.com/debriefhq/debrief/ingest"
)

// Formats describes CSV and JSON lines for the format registry.
func Formats() []ingest.Format {
	return []ingest.Format{
		{Name: "csv", Sniff: SniffCSV, Parser: ingest.ParserFunc(ParseCSV)},
		{Name: "jsonl", Sniff: SniffJSONL, Parser: ingest.ParserFunc(ParseJSONL)},
	}
}
