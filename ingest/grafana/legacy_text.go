package grafana

import (
	"fmt"
	"strings"

	"github.com/debriefhq/debrief/ingest/alertmanager/webhook"
	"github.com/valyala/fastjson"
)

// legacyFields are what a legacy body's event is made of, cleaned for text.
type legacyFields struct {
	name, state, message, ruleID, severity string
	matches                                []string // "metric=value"
	more                                   int      // matches not shown
}

// readLegacy reads a legacy body, checking the types of legacyBody; ok is
// false when one is wrong.
func readLegacy(v *fastjson.Value) (b legacyFields, ok bool) {
	ok = true
	str := func(key string) string {
		f := v.Get(key)
		switch {
		case f == nil || f.Type() == fastjson.TypeNull:
			return ""
		case f.Type() != fastjson.TypeString:
			ok = false
			return ""
		}
		return webhook.Clean(f.GetStringBytes())
	}
	b.name, b.state, b.message = str("ruleName"), strings.ToLower(str("state")), str("message")
	if title := str("title"); b.name == "" {
		b.name = title
	}
	_, _ = str("ruleUrl"), str("imageUrl") // not shown, but checked as legacyBody types them
	if id := v.Get("ruleId"); id != nil && id.Type() == fastjson.TypeNumber {
		b.ruleID = string(id.MarshalTo(nil))
	} else if id != nil && id.Type() != fastjson.TypeNull {
		ok = false
	}
	if tags := v.Get("tags"); tags != nil && tags.Type() == fastjson.TypeObject {
		b.severity = string(tags.GetStringBytes("severity"))
	}
	return b, ok && b.readMatches(v.Get("evalMatches"))
}

// readMatches reads evalMatches (absent, null or an array of objects).
func (b *legacyFields) readMatches(m *fastjson.Value) bool {
	if m == nil || m.Type() == fastjson.TypeNull {
		return true
	}
	if m.Type() != fastjson.TypeArray {
		return false
	}
	for _, match := range m.GetArray() {
		metric, value := match.Get("metric"), match.Get("value")
		if match.Type() != fastjson.TypeObject || metric != nil && metric.Type() != fastjson.TypeString && metric.Type() != fastjson.TypeNull ||
			value != nil && value.Type() != fastjson.TypeNumber && value.Type() != fastjson.TypeNull {
			return false
		}
		if len(b.matches) == mostMatches {
			b.more++
			continue
		}
		shown := "no value"
		if value != nil && value.Type() == fastjson.TypeNumber {
			shown = string(value.MarshalTo(nil))
		}
		b.matches = append(b.matches, webhook.Clean(match.GetStringBytes("metric"))+"="+shown)
	}
	return true
}

// stateWord says the legacy state the way unified texts do.
func (b *legacyFields) stateWord() string {
	switch b.state {
	case "alerting", "":
		return "firing"
	case "ok":
		return "resolved"
	case "no_data":
		return "no data"
	}
	return b.state
}

// text is the line for a legacy body, like "Checkout 5xx rate firing: 5xx
// above 5% on checkout (checkout-api=0.083)".
func (b *legacyFields) text(state string) string {
	var t strings.Builder
	name := b.name
	if name == "" {
		name = "Grafana alert"
	}
	t.WriteString(name + " " + state)
	if b.message != "" {
		t.WriteString(": " + b.message)
	}
	if len(b.matches) > 0 {
		t.WriteString(" (" + strings.Join(b.matches, ", "))
		if b.more > 0 {
			fmt.Fprintf(&t, " and %d more", b.more)
		}
		t.WriteString(")")
	}
	return t.String()
}
