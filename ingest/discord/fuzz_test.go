package discord

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

// FuzzParse checks that no input makes the parser panic and that every event
// it emits has a time and readable text.
func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "discord", "testdata/*.json")
	f.Add([]byte(message(`{"id":"1","type":"Reply","timestamp":"2024-03-12T14:02:11Z","author":{"id":"7","name":"sam"},"content":"<@7> <t:1:R> <:a:1>","reference":{"messageId":"0"}}`)))
	f.Add([]byte(`{"messages":[{"id":"1","timestamp":"2024-03-12T14:02:11","author":{"name":"x"}}],"channel":{"type":"GuildPublicThread","id":"5"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ev := range ingesttest.ParseData(t, Parse, "x.json", data, ingesttest.Skip).Events {
			ingesttest.CheckEvent(t, ev)
			if ev.Identity == nil {
				t.Errorf("event without an identity: %+v", ev)
			}
		}
	})
}

// bigExport makes an export of about size bytes by repeating the fixture's
// messages with fresh ids.
func bigExport(tb testing.TB, size int) []byte {
	tb.Helper()
	doc, err := os.ReadFile("testdata/search-outage.json")
	if err != nil {
		tb.Fatal(err)
	}
	start := bytes.Index(doc, []byte(`"messages": [`)) + len(`"messages": [`)
	end := bytes.LastIndex(doc, []byte(`],`))
	body := doc[start:end]
	var out bytes.Buffer
	out.Write(doc[:start])
	for i := 0; out.Len() < size; i++ {
		if i > 0 {
			out.WriteByte(',')
		}
		out.Write(bytes.ReplaceAll(body, []byte(`"id": "12356`), []byte(`"id": "`+string(rune('a'+i%26))+`2356`)))
	}
	out.Write(doc[end:])
	return out.Bytes()
}

// BenchmarkParse measures throughput on a large export.
func BenchmarkParse(b *testing.B) {
	data := bigExport(b, 32<<20)
	b.SetBytes(int64(len(data)))
	ingesttest.Benchmark(b, Parse, ingesttest.DataInput("export.json", data))
}

// TestLargeExportStreams checks that a large export is read without holding
// it: memory in use stays far below the file's size.
func TestLargeExportStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("large export")
	}
	data := bigExport(t, 64<<20)
	in := ingesttest.DataInput("export.json", data)
	in.Note = func(string) {}
	var n int
	var before, peak runtimeStats
	before.read()
	err := Parse(context.Background(), in, func(*debrief.Event) error {
		n++
		if n%20000 == 0 {
			peak.max()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if grown := int64(peak.heap) - int64(before.heap); grown > 16<<20 {
		t.Errorf("heap grew by %d MiB reading a %d MiB export", grown>>20, len(data)>>20)
	}
	if n < 40000 {
		t.Errorf("%d events, want over 40000", n)
	}
}
