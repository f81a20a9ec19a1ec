package draft

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func TestICS(t *testing.T) {
	d := sampleDoc(t)
	d.Title = "Search latency; p99, \"5s\" \\ and a long title that will need folding across lines in the calendar file"
	d.Invitees = append(d.Invitees, Invitee{Name: "Kim \"K\" Nakamura", Reason: "facilitator", Email: "kim@example.com"})
	var b bytes.Buffer
	start := time.Date(2025, 6, 5, 13, 0, 0, 0, time.UTC)
	if err := WriteICS(&b, d, Invite{Start: start, Draft: []byte("# retro\n"), Now: start.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, line := range strings.SplitAfter(out, "\r\n") {
		if len(strings.TrimSuffix(line, "\r\n")) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
		if line != "" && !strings.HasSuffix(line, "\r\n") {
			t.Errorf("line without CRLF: %q", line)
		}
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "METHOD:REQUEST", "DTSTART:20250605T130000Z", "DTEND:20250605T140000Z", "mailto:kim@example.com", "ATTACH;", "TRIGGER:-PT1H"} {
		if !strings.Contains(strings.ReplaceAll(out, "\r\n ", ""), want) {
			t.Errorf("calendar lacks %q:\n%s", want, out)
		}
	}
	// It parses back, with the summary and agenda intact.
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	ev := cal.Events()[0]
	if got := ev.GetProperty(ics.ComponentPropertySummary).Value; got != "Retro: "+d.Title {
		t.Errorf("summary round trip: %q", got)
	}
	if desc := ev.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(desc, "13:02  Walk the timeline (15 min)") {
		t.Errorf("agenda not in description: %q", desc)
	}
	if err := WriteICS(&b, d, Invite{}); err == nil {
		t.Error("calendar without a meeting time")
	}
}

func TestPreRead(t *testing.T) {
	s := PreRead(sampleDoc(t), "https://wiki.example/retro")
	for _, want := range []string{"read the timeline", "https://wiki.example/retro", "not to find a person", "kim will facilitate"} {
		if !strings.Contains(s, want) {
			t.Errorf("pre-read lacks %q:\n%s", want, s)
		}
	}
}

func TestTemplateErrorsPointAtLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"# {{.Title}}\n\n{{range .Summary}}{{cite .}}\n", "template t.md:4:"},
		{"# x\nok {{nosuch .Title}}\n", "template t.md:2:6: "},
		{"# x\n\n  {{.Title}\n", "template t.md:3:3: "},
		{"{{.Title}}\n{{.NoSuchField}}\n", "template t.md:2:3: "},
		{"{{range .Summary}}{{.}}{{end}}\n", ""}, // renders the struct: allowed, if useless
	} {
		tp, err := ParseTemplate("t.md", []byte(tc.src))
		if err == nil {
			err = tp.Markdown(&bytes.Buffer{}, sampleDoc(t))
		}
		var te *TemplateError
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.src, err)
		case tc.want != "" && (!errors.As(err, &te) || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%q: got %v, want prefix %q", tc.src, err, tc.want)
		}
	}
}

func TestCatalog(t *testing.T) {
	backstage := `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-api
spec:
  type: service
  owner: group:default/team-search
  dependsOn: [component:default/opensearch]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: opensearch
spec:
  owner: team-data
---
kind: Component
metadata:
  name: storefront
spec:
  owner: team-web
  dependsOn: [component:search-api]
---
kind: Group
metadata:
  name: team-search
`
	c, err := ParseCatalog("catalog-info.yaml", []byte(backstage))
	if err != nil {
		t.Fatal(err)
	}
	got := c.invitees([]string{"search-api"})
	want := []Invitee{
		{Name: "team-search", Reason: "service owner of search-api"},
		{Name: "team-data", Reason: "adjacent team: search-api depends on opensearch"},
		{Name: "team-web", Reason: "adjacent team: storefront depends on search-api"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("invitee %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	simple := "services:\n  search-api:\n    owner: team-search\n    adjacent: [team-platform]\n  checkout: team-payments\n"
	c, err = ParseCatalog("services.yaml", []byte(simple))
	if err != nil || len(c.invitees([]string{"search-api", "checkout"})) != 3 {
		t.Errorf("simple map: %v %+v", err, c)
	}
	for _, bad := range []string{"", "- a\n", "services: [a]\n", "kind: Component\nmetadata: {}\n", "services:\n  x: [1]\n", "a: [\n"} {
		if _, err := ParseCatalog("c.yaml", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "c.yaml") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// The invite list includes the catalog's owners when an alert names the
// service, and warns when it grows past a useful size.
func TestInviteesFromCatalog(t *testing.T) {
	c, err := ParseCatalog("c.yaml", []byte("services:\n  search-api:\n    owner: team-search\n    adjacent: [t1, t2, t3, t4]\n"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Build(build(t, sample), Options{Facilitator: "priya", Lead: "sam", Catalog: c})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range d.Invitees {
		names = append(names, i.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "team-search") || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "invite list") {
		t.Errorf("invitees %v, warnings %q", names, d.Warnings)
	}
}

func FuzzCatalog(f *testing.F) {
	for _, s := range []string{"services:\n  a: b\n", "kind: Component\nmetadata: {name: x}\nspec: {owner: y, dependsOn: [z]}\n---\nkind: Group\n", "a: [\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := ParseCatalog("c.yaml", src)
		if err == nil {
			c.invitees(c.names())
		}
	})
}
