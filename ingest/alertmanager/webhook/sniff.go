package webhook

import (
	"bytes"

	"github.com/valyala/fastjson"
)

// Shape is what the beginning of a file says about the bodies in it, so
// that Alertmanager and Grafana can each score it.
type Shape struct {
	Envelope bool // an Alertmanager envelope: "alerts" with "startsAt" or "labels"
	Grafana  bool // marks only Grafana sends: orgId, title with state, valueString, ...
	Legacy   bool // Grafana's pre-8 body: ruleName, state, evalMatches and no alerts
}

// Inspect tells the shape of the first body in head, the beginning of a
// file. It reads the body's structure when head holds all of it (a JSON
// line, a small document), and looks for the keys in the text otherwise.
func Inspect(head []byte) Shape {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte(bom)), " \t\r\n")
	if len(head) == 0 || head[0] != '{' && head[0] != '[' {
		return Shape{}
	}
	var p fastjson.Parser
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if first = bytes.TrimSpace(first); wholeValue(first) {
		if v, err := p.ParseBytes(first); err == nil {
			return inspectValue(v)
		}
	}
	if v, err := p.ParseBytes(head); err == nil {
		return inspectValue(v)
	}
	return inspectText(head)
}

// inspectValue tells the shape of a parsed body, or of the first element of
// an array of them.
func inspectValue(v *fastjson.Value) Shape {
	if arr, err := v.Array(); err == nil {
		if len(arr) == 0 {
			return Shape{}
		}
		v = arr[0]
	}
	if v.Type() != fastjson.TypeObject {
		return Shape{}
	}
	if isAPIAlert(v) {
		return Shape{Envelope: true}
	}
	alerts := v.GetArray("alerts")
	sh := Shape{
		Grafana: v.Exists("orgId") || v.Exists("title") && v.Exists("state") ||
			v.Exists("evalMatches") || v.Exists("ruleName"),
		Legacy: v.Get("alerts") == nil && (v.Exists("evalMatches") || v.Exists("ruleName") && v.Exists("state")),
	}
	for _, a := range alerts {
		sh.Envelope = sh.Envelope || a.Exists("startsAt") || a.Exists("labels")
		for _, k := range grafanaAlertKeys {
			sh.Grafana = sh.Grafana || a.Exists(k)
		}
	}
	if len(alerts) == 0 && v.Get("alerts") != nil {
		sh.Envelope = v.Exists("receiver") || v.Exists("groupKey")
	}
	return sh
}

// isAPIAlert reports whether v is an alert as Alertmanager's API lists
// them (GET /api/v2/alerts, amtool alert query -o json): labels, startsAt
// and a status object with its state, outside any webhook body.
func isAPIAlert(v *fastjson.Value) bool {
	st := v.Get("status")
	return v.Get("alerts") == nil && st != nil && st.Type() == fastjson.TypeObject && st.Exists("state") &&
		v.Exists("startsAt") && v.Exists("labels")
}

// grafanaAlertKeys are keys of an alert that Alertmanager never sends.
var grafanaAlertKeys = []string{"values", "valueString", "dashboardURL", "silenceURL", "panelURL"}

// inspectText guesses the shape from the keys present in text too long to
// parse.
func inspectText(head []byte) Shape {
	has := func(key string) bool { return bytes.Contains(head, []byte(`"`+key+`"`)) }
	sh := Shape{
		Envelope: has("alerts") && (has("startsAt") || has("labels")) ||
			has("startsAt") && has("labels") && has("fingerprint") && has("receivers") && has("state"), // the API's
		Grafana: has("orgId") || has("evalMatches") || has("ruleName") || has("ruleUrl"),
	}
	for _, k := range grafanaAlertKeys[1:] {
		sh.Grafana = sh.Grafana || has(k)
	}
	sh.Legacy = !has("alerts") && (has("evalMatches") || has("ruleName") && has("state"))
	return sh
}
