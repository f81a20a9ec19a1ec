package pagerduty

import (
	"github.com/debriefhq/debrief/ingest"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
)

// reference is PagerDuty's reference to another object (a user, a service,
// an integration, an incident): its id, type and a summary to show.
type reference struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Summary string `json:"summary"`
	// Email is not part of a reference; some captures and include[]=users
	// expansions carry it.
	Email string `json:"email"`
	Name  string `json:"name"`
}

// label is what a person reads for the reference.
func (r *reference) label() string {
	if r == nil {
		return ""
	}
	return clean(firstOf(r.Summary, r.Name))
}

// system is the actor of what PagerDuty did by itself: notifications,
// escalations on timeout, records without an agent.
const system = "PagerDuty"

// actors shares one identity per actor of an input.
type actors map[string]*debrief.Identity

// agent returns the actor name, bot flag and identity for the agent of a
// record; a record without an agent was PagerDuty's own doing.
func (a actors) agent(r *reference) (string, bool, *debrief.Identity) {
	name := r.label()
	if name == "" {
		return a.system()
	}
	key := firstOf(r.ID, name)
	id, ok := a[key]
	if !ok {
		id = &debrief.Identity{
			Source:      debrief.SourcePagerDuty,
			Handle:      name,
			ID:          r.ID,
			DisplayName: name,
			Email:       strings.TrimSpace(r.Email),
			Bot:         !isUser(r.Type),
		}
		a[key] = id
	}
	return id.Handle, id.Bot, id
}

// named returns a bot actor known only by name (a webhook's client).
func (a actors) named(name string) (string, bool, *debrief.Identity) {
	return a.agent(&reference{Summary: name, Type: "client"})
}

// system returns PagerDuty itself as actor.
func (a actors) system() (string, bool, *debrief.Identity) {
	id, ok := a["\x00system"]
	if !ok {
		id = &debrief.Identity{Source: debrief.SourcePagerDuty, Handle: system, DisplayName: system, Bot: true}
		a["\x00system"] = id
	}
	return id.Handle, true, id
}

// isUser reports whether a reference type names a person. Services,
// integrations, API tokens and anything unknown are automation.
func isUser(typ string) bool {
	return typ == "user_reference" || typ == "user"
}

// Times outside 1970 to 2200 are mistakes in the input, not incidents.
const (
	minUnix = 0          // 1970-01-01T00:00:00Z
	maxUnix = 7289654400 // 2201-01-01T00:00:00Z, the first second too late
)

// parseTime reads an ISO 8601 time as PagerDuty writes it: UTC with a "Z",
// or with the offset of the time_zone asked for. A time without a zone is
// taken in zone.
func parseTime(s string, zone *time.Location) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if zone == nil {
			zone = time.UTC
		}
		t, err = ingest.ParseLocal("2006-01-02T15:04:05.999999999", s, zone)
	}
	if err != nil || t.Unix() < minUnix || t.Unix() >= maxUnix {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// clean makes s fit for Text: valid UTF-8, without surrounding space.
func clean(s string) string {
	return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
}

// firstOf returns the first of ss that is not blank.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

// names joins the labels of refs: "Kim Lee, Priya Nair".
func names(refs []reference) string {
	var out []string
	for i := range refs {
		if l := refs[i].label(); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, ", ")
}

// humanize turns an event or log entry type into words:
// "priority_updated" -> "Priority updated", "responder.added" -> "Responder added".
func humanize(typ string) string {
	s := strings.NewReplacer("_", " ", ".", " ").Replace(clean(typ))
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
