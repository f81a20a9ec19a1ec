package grafana

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest/alertmanager/webhook"
	"github.com/valyala/fastjson"
)

// Grafana keeps each change of an alert rule's state as an annotation, which
// GET /api/annotations?type=alert lists after the fact, webhook or not:
// [{"id", "alertName", "newState": "Alerting", "prevState": "Normal",
// "time": <ms>, "text", ...}]. A change to alerting is a firing, one back to
// normal a resolution, and the others (pending, no data, error) notes.

// isAnnotation reports whether v is such an annotation.
func isAnnotation(v *fastjson.Value) bool {
	return v.Exists("newState") && v.Exists("prevState") && v.Exists("time")
}

// sniffAnnotations scores a head as a list of alert state annotations.
func sniffAnnotations(head []byte) int {
	has := func(k string) bool { return bytes.Contains(head, []byte(`"`+k+`"`)) }
	if has("newState") && has("prevState") && (has("alertName") || has("alertId")) && has("time") {
		return 90
	}
	return 0
}

// annotationState is the kind of event a state and the word for it.
func annotationState(state string) (debrief.Kind, string) {
	s := strings.ToLower(state)
	switch {
	case strings.HasPrefix(s, "alerting"):
		return debrief.KindAlertFiring, "firing" + strings.TrimPrefix(s, "alerting")
	case strings.HasPrefix(s, "normal"), s == "ok":
		return debrief.KindAlertResolved, "resolved" + strings.TrimPrefix(s, "normal")
	}
	return debrief.KindNote, s
}

// annotation emits the event of one state annotation.
func annotation(s *webhook.Stream, v *fastjson.Value, raw []byte, n int) error {
	ms, err := v.Get("time").Int64()
	t := time.UnixMilli(ms).UTC()
	if err != nil || !webhook.InRange(t) {
		return s.Bad(raw, n, nil, `expected "time" of an annotation as milliseconds since 1970 (up to 2200), like 1709301907123`)
	}
	name := webhook.Clean(v.GetStringBytes("alertName"))
	if name == "" {
		name = "alert " + strconv.FormatInt(v.GetInt64("alertId"), 10)
	}
	state := string(v.GetStringBytes("newState"))
	if state == "" {
		return s.Bad(raw, n, nil, `expected "newState" of an annotation as a string like "Alerting"`)
	}
	kind, word := annotationState(state)
	text := name + " " + word
	if prev := strings.ToLower(string(v.GetStringBytes("prevState"))); prev != "" {
		text += " (was " + prev + ")"
	}
	if detail := webhook.Clean(v.GetStringBytes("text")); detail != "" {
		text += ": " + detail
	}
	ref := "annotation/" + strconv.FormatInt(v.GetInt64("id"), 10)
	if v.GetInt64("id") == 0 {
		ref = name + "@" + t.Format(time.RFC3339Nano) + "/" + strings.ToLower(state)
	}
	return s.Emit(s.Event(t, kind, webhook.Clean(v.GetStringBytes("dashboardUID")), text, ref))
}
