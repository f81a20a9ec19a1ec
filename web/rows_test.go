package web

import (
	"strings"
	"testing"
	"time"

	"github.com/debriefhq/debrief"
	"golang.org/x/net/html"
)

// TestRowsEscape: hostile values in every field of a row stay text: the
// row parses to exactly the elements the renderer writes, and no attribute
// carries an event handler.
func TestRowsEscape(t *testing.T) {
	evil := `"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;`
	e := &debrief.StoredEvent{Event: debrief.Event{ID: `e1" onmouseover="x`, Time: time.Now(), Source: debrief.Source(evil), Actor: evil, Channel: evil, Text: evil,
		Moments: []debrief.Moment{debrief.Moment(evil)}}, Annotation: evil, OriginalText: evil, Hidden: true}
	out := string(eventRows([]*debrief.StoredEvent{e}, &debrief.Incident{ID: "inc"}, true, `c"sr<f`))
	doc, err := html.Parse(strings.NewReader("<ol>" + out + "</ol>"))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "img", "svg", "iframe":
				t.Errorf("injected <%s>", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("injected attribute %s=%q", a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("text not escaped: %s", out)
	}
}
