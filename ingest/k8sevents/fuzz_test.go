package k8sevents

import (
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "k8s_events", "testdata/*.json")
	f.Add([]byte(`{"items":[{"namespace":"ns","lastTimestamp":"2022-08-24T11:40:44+02:00","reason":"R","message":"\xff","type":"Warning"}]}`))
	f.Add([]byte("apiVersion: v1\nitems:\n- kind: Event\n  involvedObject: {kind: Pod, name: web-1}\n  reason: BackOff\n  lastTimestamp: \"2024-03-01T14:04:00Z\"\n  count: 5\nkind: List\n"))
	f.Add([]byte("a: &x [*x]\n---\nkind: Event\nreason: R\neventTime: 2024-03-01T14:04:00.5Z\n"))
	f.Add([]byte(`{"type":"MODIFIED","object":{"kind":"Event","eventTime":"2025-06-02T14:01:12.1Z","series":{"count":2,"lastObservedTime":"2025-06-02T14:09:12Z"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _ := parseBytes(t, data, ingesttest.Skip)
		for _, ev := range got {
			ingesttest.CheckEvent(t, ev)
		}
	})
}
