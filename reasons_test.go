package debrief

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestReasonsJSON(t *testing.T) {
	var ev Event
	ev.Flag(MomentMitigation, `mitigation in chat: "rolled back"`)
	ev.Flag(MomentDecision, "decision: let's")
	ev.Flag(MomentMitigation, "second reason is dropped")
	if got := ev.Why.Of(MomentMitigation); got != `mitigation in chat: "rolled back"` {
		t.Errorf("Of(mitigation) = %q", got)
	}
	if got := ev.Why.Of(MomentResolution); got != "" {
		t.Errorf("Of(resolution) = %q, want empty", got)
	}
	b, err := json.Marshal(ev.Why)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"mitigation":"mitigation in chat: \"rolled back\"","decision":"decision: let's"}`
	if string(b) != want {
		t.Errorf("marshal = %s, want %s", b, want)
	}
	var back Reasons
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, ev.Why) {
		t.Errorf("round trip = %v, want %v", back, ev.Why)
	}
	// An event without moments has no "why" key at all; an empty object,
	// null and a duplicate key read as expected.
	if b, _ := json.Marshal(Event{}); strings.Contains(string(b), `"why"`) {
		t.Errorf("event without moments: %s", b)
	}
	for in, want := range map[string]Reasons{
		`{}`:                                {},
		`null`:                              nil,
		`{"detection":"a","detection":"b"}`: {{MomentDetection, "a"}},
		`{"detection":"","detection":"b"}`:  {{MomentDetection, ""}},
	} {
		var got Reasons
		if err := json.Unmarshal([]byte(in), &got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("unmarshal %s = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{`[]`, `{"detection":1}`, `"x"`} {
		var got Reasons
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("unmarshal %s: no error", bad)
		}
	}
}
