package timeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/debriefhq/debrief"
)

func TestParsePeople(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		people     int
		errLine    int
		errHas     string
	}{
		{name: "full", yaml: "people:\n  - name: sam\n    display_name: Sam Rivera\n    email: sam@shop.example\n    aliases: [U07SAM, \"Sam R.\"]\n  - name: kim\n", people: 2},
		{name: "empty", yaml: "", people: 0},
		{name: "unknown field", yaml: "people:\n  - name: sam\n    nickname: sammy\n", errLine: 3, errHas: "nickname"},
		{name: "no name", yaml: "people:\n  - display_name: Sam\n", errHas: "has no name"},
		{name: "not a list", yaml: "people: sam\n", errLine: 1, errHas: "expected a people file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pf, err := ParsePeople("people.yaml", strings.NewReader(tt.yaml))
			if tt.errHas == "" {
				if err != nil || len(pf.People) != tt.people {
					t.Fatalf("got %v, %v; want %d people", pf, err, tt.people)
				}
				return
			}
			var ie *debrief.InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.errHas) || ie.Line != tt.errLine || ie.File != "people.yaml" {
				t.Fatalf("err = %v (line %d), want people.yaml:%d mentioning %q", err, lineOf(ie), tt.errLine, tt.errHas)
			}
		})
	}
}

func lineOf(ie *debrief.InputError) int {
	if ie == nil {
		return -1
	}
	return ie.Line
}

// A people file is outside input: no panic, and an error is always an
// input error naming the file.
func FuzzParsePeople(f *testing.F) {
	f.Add("people:\n  - name: sam\n    aliases: [U1, \"Sam R\"]\n")
	f.Add("people: [{name: a}, {name: b, email: b@x}]")
	f.Add("people:\n  - name: &a x\n  - name: *a\n")
	f.Fuzz(func(t *testing.T, data string) {
		pf, err := ParsePeople("p.yaml", strings.NewReader(data))
		var ie *debrief.InputError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error %v is not an input error", err)
		}
		if err == nil {
			ids := newIdentities(pf)
			ids.resolve()
		}
	})
}

// TestIdentitiesKeepTheRicherAfterRepeats: events of one actor repeat with
// one identity (which add skips after the first), then another identity
// says more, then the first comes again: what is kept is the richer one.
func TestIdentitiesKeepTheRicherAfterRepeats(t *testing.T) {
	ids := newIdentities(nil)
	bare := &debrief.Identity{Source: debrief.SourceSlack, Handle: "sam"}
	named := &debrief.Identity{Source: debrief.SourceSlack, Handle: "sam", DisplayName: "Sam Rivera", Email: "sam@acme.io"}
	ev := &debrief.Event{Source: debrief.SourceSlack, Actor: "sam"}
	for _, id := range []*debrief.Identity{bare, bare, bare, named, named, bare, nil, bare} {
		ids.add(ev, id)
	}
	got := ids.seen[actorKey{debrief.SourceSlack, "sam"}]
	if got == nil || got.DisplayName != "Sam Rivera" || got.Email != "sam@acme.io" {
		t.Fatalf("kept %+v, want Sam Rivera's identity", got)
	}
	if len(ids.order) != 1 {
		t.Errorf("%d actors, want 1", len(ids.order))
	}
}
