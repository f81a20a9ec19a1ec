package csvjsonl

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/debriefhq/debrief/ingest"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "", "testdata/*")
	f.Add([]byte("date\ttime\twho\tnote\n2025-06-02\t14:03\tsam\t\xff\xfe\n"))
	f.Add([]byte(`{"ts":1748872867.1204481234,"text":"x","user":{"login":"sam"}}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []ingest.ParserFunc{ParseCSV, ParseJSONL} {
			for _, ev := range run(t, parse, "f", data, ingesttest.Skip).Events {
				ingesttest.CheckEvent(t, ev)
			}
		}
		SniffCSV(data, "f.csv")
		SniffJSONL(data, "f.jsonl")
	})
}

// benchRows writes n notes as a tool would export them.
func benchRows(n int, jsonl bool) []byte {
	var b bytes.Buffer
	if !jsonl {
		b.WriteString("timestamp,user,message,channel\n")
	}
	for i := range n {
		ts := time.Date(2025, 6, 2, 14, 0, 0, 0, time.UTC).Add(time.Duration(i) * 713 * time.Millisecond)
		msg := fmt.Sprintf("order %d: POST /api/v2/orders upstream=10.8.3.%d:8080 status=503 latency_ms=%d", 100000+i, i%250, 20+i%900)
		if jsonl {
			fmt.Fprintf(&b, `{"@timestamp":%q,"user":"checkout-api","message":%q,"channel":"prod-eu-1","level":"error"}`+"\n", ts.Format(time.RFC3339Nano), msg)
		} else {
			fmt.Fprintf(&b, "%s,checkout-api,\"%s\",prod-eu-1\n", ts.Format(time.RFC3339Nano), msg)
		}
	}
	return b.Bytes()
}

func benchParse(b *testing.B, parse ingest.ParserFunc, data []byte, n int) {
	b.SetBytes(int64(len(data)))
	if got := ingesttest.Benchmark(b, parse, ingesttest.DataInput("f", data)); got != n {
		b.Fatalf("%d events, want %d", got, n)
	}
}

func BenchmarkParseCSV(b *testing.B)   { benchParse(b, ParseCSV, benchRows(20000, false), 20000) }
func BenchmarkParseJSONL(b *testing.B) { benchParse(b, ParseJSONL, benchRows(20000, true), 20000) }
