package alertmanager

import (
	"testing"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/ingesttest"
)

func FuzzParse(f *testing.F) {
	ingesttest.AddSeeds(f, "alertmanager", "testdata/*")
	f.Add([]byte(good1 + "\n" + good2))
	f.Add([]byte(`[{"alerts":[{"labels":{"alertname":"x"},"startsAt":"2025-03-14T09:41:30+14:00","status":"resolved","endsAt":"2025-03-14T09:41:31Z"}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ev := range ingesttest.ParseData(t, Parse, "f", data, ingesttest.Skip).Events {
			ingesttest.CheckEvent(t, ev)
			if ev.Source != debrief.SourceAlertmanager {
				t.Errorf("event %+v has the wrong source", ev)
			}
		}
	})
}
