package slack

import (
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// FuzzParse feeds arbitrary bytes to the parser as a lone file, as a day file
// of an export and as the export's users.json. It must never panic, and every
// event it emits must have a time and valid UTF-8 text.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/export/*/*.json")
	corpus, _ := filepath.Glob(ingesttest.CorpusPath("slack", "*", "*.unpacked", "*", "*.json"))
	lists, _ := filepath.Glob(ingesttest.CorpusPath("slack", "*", "*.unpacked", "*.json"))
	ingesttest.AddSeeds(f, "", append(append(append(seeds, more...), corpus...), lists...)...)
	f.Add([]byte(dayWithBadRecords))
	f.Add([]byte(`{"ok": true, "messages": [{"ts": "1.5", "text": "<@U1|x> <#C1> <!subteam^S|@t> &amp;"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		users := []byte(`[{"id": "U07SAM", "name": "sam.rivera"}]`)
		inputs := []*ingest.Input{
			input(fstest.MapFS{"checkout/2024-03-12.json": {Data: data}}, "checkout/2024-03-12.json", "day"),
			input(fstest.MapFS{"history.json": {Data: data}}, "history.json", "history"),
			input(fstest.MapFS{"users.json": {Data: users}, "general/2024-03-12.json": {Data: data}}, ".", "export"),
			input(fstest.MapFS{"users.json": {Data: data}, "channels.json": {Data: data},
				"integration_logs.json": {Data: data}, "general/2024-03-12.json": {Data: data}}, ".", "export"),
		}
		for _, in := range inputs {
			in.Bad = ingesttest.Skip
			for _, ev := range ingesttest.Parse(t, Parse, in).Events {
				ingesttest.CheckEvent(t, ev)
			}
		}
	})
}
