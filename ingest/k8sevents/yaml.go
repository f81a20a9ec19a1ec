package k8sevents

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strconv"

	"github.com/debriefhq/debrief/ingest"
	"gopkg.in/yaml.v3"
)

// kubectl get events -o yaml writes the same list as -o json, in YAML. It is
// turned into JSON for the same walk, keeping for each value the YAML line
// it started on, so that a bad event is still reported at its own line.

// isYAML reports whether data (after a byte order mark and blank lines) is
// YAML rather than JSON.
func isYAML(data []byte) bool {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte(ingest.BOM)), " \t\r\n")
	return len(body) > 0 && body[0] != '{' && body[0] != '['
}

// sniffYAML scores a YAML head as Kubernetes events. The head must start as
// kubectl's YAML does, with a top-level key of an object: a markdown note
// with a pasted event list in it is a note.
func sniffYAML(body []byte) int {
	first := body
	for len(first) > 0 && first[0] == '#' { // comments
		_, first, _ = bytes.Cut(first, []byte("\n"))
		first = bytes.TrimLeft(first, " \t\r\n")
	}
	top := false
	for _, k := range []string{"apiVersion:", "items:", "kind:", "metadata:"} {
		top = top || bytes.HasPrefix(first, []byte(k))
	}
	if !top {
		return 0
	}
	has := func(s string) bool { return bytes.Contains(body, []byte(s)) }
	switch {
	case has("kind: EventList") || has("kind: List") && has("kind: Event\n") && has("involvedObject:"):
		return 90
	case has("involvedObject:") && has("reason:") && has("kind: Event"):
		return 85
	case has("regarding:") && has("reportingController:"):
		return 85
	}
	return 0
}

// yamlLine is where a JSON value made from YAML starts in each.
type yamlLine struct {
	off  int64
	line int
}

// toJSON turns the YAML documents of data into JSON values one after
// another, and the lines their values start on.
func toJSON(in *ingest.Input, data []byte) ([]byte, []yamlLine, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out bytes.Buffer
	var lines []yamlLine
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, in.Errorf(max(ingest.YAMLErrorLine(err), 1), "expected YAML (kubectl get events -o yaml): %v", err)
		}
		w := jsonWriter{out: &out, lines: &lines, limit: 4*len(data) + 1<<20}
		if err := w.node(&doc, 0); err != nil {
			return nil, nil, in.Errorf(doc.Line, "%v", err)
		}
		out.WriteByte('\n')
	}
	return out.Bytes(), lines, nil
}

// jsonWriter writes YAML nodes as JSON.
type jsonWriter struct {
	out   *bytes.Buffer
	lines *[]yamlLine
	// limit bounds the JSON: aliases of aliases ("billion laughs") would
	// otherwise expand without end.
	limit int
}

// maxYAMLDepth bounds nesting (and aliases that refer back into
// themselves): events are a few levels deep.
const maxYAMLDepth = 64

func (w jsonWriter) node(n *yaml.Node, depth int) error {
	if depth > maxYAMLDepth {
		return errors.New("YAML nested too deep (or an alias that refers to itself)")
	}
	if w.out.Len() > w.limit {
		return errors.New("YAML whose aliases expand to far more than the file holds")
	}
	*w.lines = append(*w.lines, yamlLine{int64(w.out.Len()), n.Line})
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			w.out.WriteString("null")
			return nil
		}
		return w.node(n.Content[0], depth+1)
	case yaml.AliasNode:
		return w.node(n.Alias, depth+1)
	case yaml.SequenceNode:
		w.out.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				w.out.WriteByte(',')
			}
			if err := w.node(c, depth+1); err != nil {
				return err
			}
		}
		w.out.WriteByte(']')
	case yaml.MappingNode:
		w.out.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				w.out.WriteByte(',')
			}
			key, _ := json.Marshal(n.Content[i].Value)
			w.out.Write(key)
			w.out.WriteByte(':')
			if err := w.node(n.Content[i+1], depth+1); err != nil {
				return err
			}
		}
		w.out.WriteByte('}')
	default:
		w.scalar(n)
	}
	return nil
}

// scalar writes a scalar by its resolved tag: numbers, booleans and null as
// JSON has them, everything else (timestamps included) as a string.
func (w jsonWriter) scalar(n *yaml.Node) {
	switch n.ShortTag() {
	case "!!null":
		w.out.WriteString("null")
		return
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			w.out.WriteString(strconv.FormatBool(b))
			return
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			w.out.WriteString(strconv.FormatInt(i, 10))
			return
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			if b, err := json.Marshal(f); err == nil { // NaN and infinities are not JSON
				w.out.Write(b)
				return
			}
		}
	}
	s, _ := json.Marshal(n.Value)
	w.out.Write(s)
}

// yamlLineAt is the YAML line of the JSON value at or before off.
func yamlLineAt(lines []yamlLine, off int64) int {
	i := sort.Search(len(lines), func(i int) bool { return lines[i].off > off })
	if i == 0 {
		return 1
	}
	return lines[i-1].line
}
