// Package draft turns a timeline into the facilitator's pack: the retro
// document sent ahead of the meeting (markdown or a printable HTML page),
// the invite list, a calendar invite and a pre-read message.
//
// The draft states what the timeline shows and nothing more. Every summary
// sentence cites the events it rests on (a Sentence cannot be made without
// one), no sentence names a cause, and the questions for the room are about
// the system, never a person: causes are for the room to find.
package draft

import "errors"

// Doc is everything a template sees. Times are strings in the display zone;
// the README documents every field for teams writing their own template.
type Doc struct {
	Title       string
	Date        string // the incident's first day, 2006-01-02
	Severity    string
	Duration    string // first signal to resolution, "1h22m"
	Facilitator string
	Lead        string
	Status      string // "DRAFT"
	StatusNote  string // a starting point for discussion, not a conclusion
	Zone        string // the zone times are shown in, "UTC"

	// Frame is the blameless statement the facilitator says aloud.
	Frame string
	// Summary is what was seen, when it was detected, what was done and
	// when it resolved: cited sentences, no causes.
	Summary []Sentence
	// Metrics are the incident's key times, each with the time since the
	// previous one; DetectionGap says how long people saw impact before an
	// alert ("" when they did not).
	Metrics      []Metric
	DetectionGap *Sentence
	// KeyTimeline is the flagged moments with the entries around them;
	// Timeline is every entry (the appendix).
	KeyTimeline []Entry
	Timeline    []Entry
	// TimelineNote says what the appendix leaves out on very long timelines.
	TimelineNote string
	Stalls       []Sentence
	// Questions for the room, generated from the flagged moments.
	Questions []Sentence
	// FactorPrompt opens the contributing factors section, which stays
	// empty; FactorCandidates are questions that may lead to factors.
	FactorPrompt     string
	FactorCandidates []Sentence
	WentWell         []Sentence
	// ActionColumns head the empty action-items table; ActionRules say what
	// makes a good item.
	ActionColumns []string
	ActionRules   []string
	Agenda        []AgendaItem
	MeetingStart  string // "" without --meeting
	Checklist     []Check
	Invitees      []Invitee
	// Warnings are for the facilitator: not neutral, too many invitees.
	Warnings []string
	// Participants are the responders found in the timeline.
	Participants []string
	Sources      []string
	Events       int
	Redactions   int
}

// Sentence is a statement with the events it rests on. Its fields are
// unexported and the only constructor takes at least one citation, so an
// uncited sentence cannot be built outside this package, and rendering
// refuses one built inside it by mistake.
type Sentence struct {
	text  string
	cites []Cite
}

// cited makes a sentence resting on at least one event.
func cited(text string, first Cite, more ...Cite) Sentence {
	return Sentence{text: text, cites: append([]Cite{first}, more...)}
}

// Text is the sentence without its citations.
func (s Sentence) Text() string { return s.text }

// Cites are the events the sentence rests on, in the order cited.
func (s Sentence) Cites() []Cite { return s.cites }

// errUncited is what rendering an uncited sentence fails with.
var errUncited = errors.New("draft: a sentence without a citation (every statement must cite the timeline)")

// Cite points at one timeline entry.
type Cite struct {
	ID     string // the event id
	Anchor string // the entry's anchor in the document, "e-<id>"
	Time   string // "14:03"
	Source string // "alertmanager"
}

// Entry is one timeline event as the document shows it.
type Entry struct {
	ID      string
	Anchor  string
	Date    string // 2006-01-02
	Time    string // 15:04:05
	Source  string
	Kind    string
	Actor   string
	Channel string
	Text    string   // the whole text, newlines kept
	Short   string   // one line, at most 200 characters
	Moments []string // flagged moments
	Why     string   // why they were flagged, "; "-separated
}

// Metric is one of the incident's key times.
type Metric struct {
	Name  string // "Detected"
	At    string // "2025-06-02 14:03:07"
	After string // time since the metric before it, "+9m04s"
	Cite  *Cite  // the event that set it, when one did
}

// AgendaItem is one part of the 60-minute meeting.
type AgendaItem struct {
	Phase   string // "frame"
	Title   string // "Set the blameless frame"
	Minutes int
	Start   string // "15:02", "" without a meeting time
	End     string
	Notes   string
}

// Check is one item of the facilitator's checklist.
type Check struct {
	Text string
	Done bool
	Note string
}

// Invitee is a person or team asked to the retro, and why.
type Invitee struct {
	Name   string
	Reason string
	Email  string
}
