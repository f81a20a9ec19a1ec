package k8sevents

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debriefhq/debrief/ingest/ingesttest"
	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// asYAML writes the JSON values of data as block-style YAML documents, as
// kubectl get events -o yaml does, keys in their order.
func asYAML(t *testing.T, data []byte) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	var out bytes.Buffer
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		var n yaml.Node
		if err := yaml.Unmarshal(raw, &n); err != nil {
			t.Fatal(err)
		}
		var block func(*yaml.Node)
		block = func(n *yaml.Node) {
			n.Style = 0 // block style; yaml quotes only what would be misread
			for _, c := range n.Content {
				block(c)
			}
		}
		block(&n)
		b, err := yaml.Marshal(&n)
		if err != nil {
			t.Fatal(err)
		}
		if out.Len() > 0 {
			out.WriteString("---\n")
		}
		out.Write(b)
	}
	return out.Bytes()
}

// TestYAMLMatchesJSON: every fixture, written as kubectl -o yaml would,
// gives the events its JSON gives.
func TestYAMLMatchesJSON(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.json")
	for _, path := range paths {
		if strings.Contains(path, "bad-items") {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			y := asYAML(t, data)
			if Sniff(y, "events.yaml") < 80 {
				t.Errorf("Sniff of the YAML = %d; want it claimed:\n%s", Sniff(y, "events.yaml"), y)
			}
			want := ingesttest.ParseData(t, Parse, "events", data, nil)
			got := ingesttest.ParseData(t, Parse, "events", y, nil)
			if want.Err != nil || got.Err != nil {
				t.Fatalf("JSON: %v; YAML: %v", want.Err, got.Err)
			}
			if diff := cmp.Diff(want.Events, got.Events, ignoreIdentity); diff != "" {
				t.Errorf("YAML events (-JSON +YAML):\n%s", diff)
			}
		})
	}
}

// TestYAMLBadEventLine: a bad event in YAML is reported at the line it
// starts on; a document that is not YAML at the line YAML names.
func TestYAMLBadEventLine(t *testing.T) {
	doc := `apiVersion: v1
items:
- apiVersion: v1
  kind: Event
  involvedObject: {kind: Pod, name: web-1, namespace: prod}
  metadata: {name: web-1.a, namespace: prod, uid: u-1}
  reason: BackOff
  message: Back-off restarting failed container
  lastTimestamp: "2024-03-01T14:04:00Z"
  type: Warning
- apiVersion: v1
  kind: Event
  involvedObject: {kind: Pod, name: web-2, namespace: prod}
  metadata: {name: web-2.b, namespace: prod, uid: u-2}
  reason: BackOff
  count: many
  lastTimestamp: "2024-03-01T14:05:00Z"
kind: List
`
	_, err := parseBytes(t, []byte(doc), nil)
	if ie := ingesttest.AsInputError(t, err); ie.Line != 16 || !strings.Contains(ie.Msg, `field "count"`) || strings.Contains(ie.Msg, "column") {
		t.Errorf("error %v; want line 16, the count field, and no column of the JSON made of the YAML", err)
	}
	_, err = parseBytes(t, []byte("apiVersion: v1\nitems:\n- kind: Event\n  reason: [unclosed\n"), nil)
	if ie := ingesttest.AsInputError(t, err); ie.Line < 3 || ie.Line > 4 || !strings.Contains(ie.Msg, "expected YAML") {
		t.Errorf("error %v; want YAML's own message at line 3 or 4", err)
	}
}

// TestYAMLAliasBomb: aliases of aliases that would expand without end are
// refused, not followed.
func TestYAMLAliasBomb(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = n
	}
	bomb += "kind: Event\nreason: R\n"
	_, err := parseBytes(t, []byte(bomb), nil)
	if ie := ingesttest.AsInputError(t, err); !strings.Contains(ie.Msg, "aliases") {
		t.Errorf("error %v; want one about aliases", err)
	}
}

// TestYAMLSniffLeavesNotes: a markdown note holding pasted YAML is not
// claimed; kubectl's YAML, after a comment, is.
func TestYAMLSniffLeavesNotes(t *testing.T) {
	note := "# Notes\n\nPasted from kubectl:\n\n```yaml\napiVersion: v1\nitems:\n- kind: Event\n  involvedObject: {kind: Pod}\n  reason: BackOff\n```\n"
	if got := Sniff([]byte(note), "notes.md"); got != 0 {
		t.Errorf("Sniff(a markdown note) = %d; want 0", got)
	}
	yml := "# kubectl get events -o yaml\napiVersion: v1\nitems:\n- kind: Event\n  involvedObject: {kind: Pod}\n  reason: BackOff\n"
	if got := Sniff([]byte(yml), "events.yaml"); got < 80 {
		t.Errorf("Sniff(kubectl YAML after a comment) = %d; want it claimed", got)
	}
}
