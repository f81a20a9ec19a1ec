package slack

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestTrim(t *testing.T) {
	const indented = `{
    "user": "U1",
    "text": "restarting the pool ] \"blocks\": [",
    "user_profile": {
        "name": "sam",
        "real_name": "Sam }\n    }"
    },
    "blocks": [
        {
            "type": "rich_text",
            "elements": [
                {"type": "text", "text": "]\n    ]"}
            ]
        }
    ],
    "ts": "1717340587.000100"
}`
	last := strings.Replace(strings.Replace(indented, `"user": "U1",`, "\"user\": \"U1\",\n    \"ts\": \"1717340587.000100\",", 1),
		",\n    \"ts\": \"1717340587.000100\"\n}", "\n}", 1)
	for _, c := range []struct {
		name, in  string
		want      []string // keys left
		cut       [2]bool  // blocks, user_profile come back
		untouched bool
		// invalidCut: the cut is not JSON, so the parser falls back
		invalidCut bool
	}{
		{name: "both in the middle", in: indented, want: []string{"user", "text", "ts"}, cut: [2]bool{true, true}},
		{name: "both last", in: last, want: []string{"user", "ts", "text"}, cut: [2]bool{true, true}},
		{name: "apart", in: strings.Replace(indented, "    },\n    \"blocks\"", "    },\n    \"team\": \"T1\",\n    \"blocks\"", 1),
			want: []string{"user", "text", "team", "ts"}, cut: [2]bool{true, true}},
		{name: "empty inline", in: "{\n    \"text\": \"x\",\n    \"blocks\": [],\n    \"user_profile\": {}\n}", want: []string{"text"}, cut: [2]bool{true, true}},
		{name: "blocks only", in: "{\n    \"text\": \"x\",\n    \"blocks\": [\n        1\n    ],\n    \"ts\": \"1\"\n}", want: []string{"text", "ts"}, cut: [2]bool{true, false}},
		{name: "tabs", in: "{\n\t\"text\": \"x\",\n\t\"user_profile\": {\n\t\t\"name\": \"a\"\n\t},\n\t\"ts\": \"1\"\n}", want: []string{"text", "ts"}, cut: [2]bool{false, true}},
		{name: "compact", in: `{"text":"x","blocks":[{"type":"rich_text"}]}`, untouched: true},
		{name: "nested keys stay", in: "{\n    \"attachments\": [\n        {\n            \"blocks\": [\n                1\n            ]\n        }\n    ],\n    \"text\": \"x\"\n}", untouched: true},
		{name: "only key", in: "{\n    \"blocks\": [\n        1\n    ]\n}", untouched: true},
		{name: "a string, not an array", in: "{\n    \"blocks\": \"x\",\n    \"text\": \"x\"\n}", untouched: true},
		{name: "not an object", in: "[\n    1\n]", untouched: true},
		{name: "blocks on one line, spaced", in: "{\n    \"text\": \"\",\n    \"blocks\": [ ],\n    \"attachments\": [\n        {\"text\": \"alert\"}\n    ]\n}", untouched: true},
		{name: "blocks on one line", in: "{\n    \"blocks\": [{\"type\": \"x\"}],\n    \"files\": [\n        1\n    ]\n}", untouched: true},
		{name: "profile on one line", in: "{\n    \"user_profile\": {\"name\": \"a\"},\n    \"edited\": {\n        \"ts\": \"1\"\n    }\n}", untouched: true},
		// Uneven indentation can fool the rule; when the cut does not parse,
		// the worker parses the whole message.
		{name: "nested closer at the top indentation", in: "{\n    \"blocks\": [\n        [\n    ],\n        2\n    ],\n    \"text\": \"x\"\n}", invalidCut: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var tr trimmer
			out, values := tr.trim([]byte(c.in))
			if c.untouched {
				if string(out) != c.in || values[0] != nil || values[1] != nil {
					t.Errorf("changed:\n%s", out)
				}
				return
			}
			var m map[string]json.RawMessage
			err := json.Unmarshal(out, &m)
			if c.invalidCut {
				if err == nil {
					t.Errorf("cut parses, wrongly:\n%s", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("cut message is not JSON: %v\n%s", err, out)
			}
			if len(m) != len(c.want) {
				t.Errorf("keys %v, want %v", m, c.want)
			}
			for _, k := range c.want {
				if _, ok := m[k]; !ok {
					t.Errorf("key %s lost:\n%s", k, out)
				}
			}
			for i, want := range c.cut {
				if got := values[i] != nil; got != want || got && !json.Valid(values[i]) {
					t.Errorf("%s = %q", trimmed[i], values[i])
				}
			}
		})
	}
}

// FuzzTrim: any JSON object, written indented as exports are, loses exactly
// its top-level blocks and user_profile (when they are arrays or objects)
// and nothing else; on any other input trim does not panic.
func FuzzTrim(f *testing.F) {
	f.Add(`{"text": "x", "blocks": [1, {"blocks": [2]}], "user_profile": {"name": "a"}, "ts": "1"}`, "    ")
	f.Add(`{"blocks": [], "user_profile": {}, "a": "]\n    ]"}`, "\t")
	f.Add("{\n  \"blocks\": [\n  ],\n  \"a\": 1\n}", "  ")
	f.Fuzz(func(t *testing.T, in, indent string) {
		var tr trimmer
		tr.trim([]byte(in)) // arbitrary bytes: no panic
		var m map[string]any
		if json.Unmarshal([]byte(in), &m) != nil || strings.Trim(indent, " \t") != "" || indent == "" {
			return
		}
		doc, _ := json.MarshalIndent(m, "", indent)
		out, values := tr.trim(doc)
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("cut of an indented object is not JSON: %v\n%s\n->\n%s", err, doc, out)
		}
		for i, k := range trimmed {
			switch m[k].(type) {
			case []any, map[string]any:
				if _, ok := got[k]; ok && len(m) > 1 {
					t.Errorf("%s not cut from\n%s", k, doc)
				}
				if values[i] != nil {
					var v any
					if json.Unmarshal(values[i], &v) != nil || !reflect.DeepEqual(v, m[k]) {
						t.Errorf("%s cut as %q", k, values[i])
					}
				}
				delete(m, k)
				delete(got, k)
			}
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("other keys changed:\n%s\n->\n%s", doc, out)
		}
	})
}
