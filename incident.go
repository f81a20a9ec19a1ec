package debrief

import "time"

// Severity of an incident, as the team rates it ("SEV1", "P2", "major").
// Kept as the team's own word; Debrief does not impose a scale.
type Severity string

// IncidentStatus follows an incident from the response to the closed loop.
type IncidentStatus string

// Incident statuses. An incident is only closed when its action items land,
// not when the meeting ends.
const (
	StatusOpen       IncidentStatus = "open"       // still being responded to
	StatusResolved   IncidentStatus = "resolved"   // impact over, retro not yet held
	StatusReviewed   IncidentStatus = "reviewed"   // retro held, doc finalized
	StatusFollowedUp IncidentStatus = "followedup" // every priority action item done
)

// Valid reports whether s is one of the statuses.
func (s IncidentStatus) Valid() bool {
	return s == StatusOpen || s == StatusResolved || s == StatusReviewed || s == StatusFollowedUp
}

// Incident is what a retrospective is about: its events, the people involved,
// and what the team learned and will change.
type Incident struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Severity  Severity       `json:"severity,omitempty"`
	Status    IncidentStatus `json:"status"`
	Services  []string       `json:"services,omitempty"`
	StartedAt time.Time      `json:"started_at,omitzero"`
	EndedAt   time.Time      `json:"ended_at,omitzero"`
	// Lead ran the response; the facilitator of the retro must be someone else.
	Lead        string `json:"lead,omitempty"`
	Facilitator string `json:"facilitator,omitempty"`
	Private     bool   `json:"private,omitempty"`
	// Members are users made members when the incident is created, in the
	// same transaction; not read back (see AuthService.IsMember).
	Members   []string  `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Factor is one contributing factor: a condition that had to be true for the
// incident to happen. Incidents have several; Debrief never asks for one root
// cause.
type Factor struct {
	ID         string `json:"id"`
	IncidentID string `json:"incident_id"`
	// Text states the condition about the system ("the pool size change
	// needed no review"), never about a person.
	Text string `json:"text"`
	// Tags let a later incident's factor be recognised as a recurrence
	// ("config-review", "search-pool").
	Tags []string `json:"tags,omitempty"`
	// Events are the timeline events the factor rests on.
	Events    []string  `json:"events,omitempty"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Priority of an action item: a retro picks two or three that matter most;
// the rest are honestly nice to have.
type Priority string

// Priorities.
const (
	PriorityHigh       Priority = "high"
	PriorityNiceToHave Priority = "nice-to-have"
)

// ActionState tracks an action item to the end.
type ActionState string

// Action item states.
const (
	ActionOpen     ActionState = "open"
	ActionDone     ActionState = "done"
	ActionDropped  ActionState = "dropped" // decided not to do, with a reason
	ActionBlocked  ActionState = "blocked"
	ActionUnlinked ActionState = "unlinked" // its tracker issue was deleted
)

// ActionItem is a specific, verifiable change with one owner, a due date and
// a home in the team's tracker.
type ActionItem struct {
	ID         string      `json:"id"`
	IncidentID string      `json:"incident_id"`
	Text       string      `json:"text"`
	Owner      string      `json:"owner"` // one person, never a team
	Due        time.Time   `json:"due,omitzero"`
	Priority   Priority    `json:"priority"`
	State      ActionState `json:"state"`
	// Tracking is the tracker's URL or key ("SRE-123").
	Tracking string `json:"tracking,omitempty"`
	// Note says why an item was dropped or what blocks it.
	Note string `json:"note,omitempty"`
	// Factors are the contributing factors the item addresses; an open item
	// whose factor shows up in a new incident is a recurrence warning.
	Factors []string  `json:"factors,omitempty"`
	DoneAt  time.Time `json:"done_at,omitzero"`
	// StateAt is when State last changed (set by the store; creation
	// counts): the tracker sync tells by it which side changed last.
	StateAt   time.Time `json:"state_at,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MeetingPhase is a part of the 60-minute retro agenda.
type MeetingPhase string

// The agenda, in order, with the minutes the playbook gives each.
const (
	PhaseFrame    MeetingPhase = "frame"     // 2: blameless statement said aloud
	PhaseTimeline MeetingPhase = "timeline"  // 15
	PhaseFactors  MeetingPhase = "factors"   // 20
	PhaseWentWell MeetingPhase = "went_well" // 5
	PhaseActions  MeetingPhase = "actions"   // 15
	PhaseClose    MeetingPhase = "close"     // 3
)

// Agenda is the default 60-minute meeting.
var Agenda = []struct {
	Phase   MeetingPhase
	Minutes int
}{
	{PhaseFrame, 2}, {PhaseTimeline, 15}, {PhaseFactors, 20}, {PhaseWentWell, 5}, {PhaseActions, 15}, {PhaseClose, 3},
}

// Meeting is one retro of an incident.
type Meeting struct {
	ID          string       `json:"id"`
	IncidentID  string       `json:"incident_id"`
	Facilitator string       `json:"facilitator"`
	StartsAt    time.Time    `json:"starts_at"`
	Phase       MeetingPhase `json:"phase,omitempty"`
	Invitees    []Invitee    `json:"invitees,omitempty"`
	// WentWell holds what helped, so the room reinforces it.
	WentWell []string `json:"went_well,omitempty"`
	// Phases records when each phase began, in the order the room went
	// through them (the store's clock): the room's timer, and how the
	// hour was spent. A mark of no phase is when the meeting ended; a
	// reopened meeting marks its phase again.
	Phases    []PhaseMark `json:"phases,omitempty"`
	EndedAt   time.Time   `json:"ended_at,omitzero"`
	CreatedAt time.Time   `json:"created_at"`
}

// PhaseMark is the moment a meeting entered a phase.
type PhaseMark struct {
	Phase MeetingPhase `json:"phase"`
	At    time.Time    `json:"at"`
}

// PhaseStartedAt is when the current phase began, zero before the first.
func (m *Meeting) PhaseStartedAt() time.Time {
	if n := len(m.Phases); n > 0 && m.Phases[n-1].Phase == m.Phase {
		return m.Phases[n-1].At
	}
	return time.Time{}
}

// StartedAt is when the meeting entered its first phase, zero if never.
func (m *Meeting) StartedAt() time.Time {
	if len(m.Phases) > 0 {
		return m.Phases[0].At
	}
	return time.Time{}
}

// Spent is the time the meeting has spent in each phase by now (or by its
// end): a phase visited twice counts both visits.
func (m *Meeting) Spent(now time.Time) map[MeetingPhase]time.Duration {
	out := map[MeetingPhase]time.Duration{}
	if !m.EndedAt.IsZero() && m.EndedAt.Before(now) {
		now = m.EndedAt
	}
	for i, pm := range m.Phases {
		if pm.Phase == "" {
			continue // ended: the clock stood still until it reopened
		}
		end := now
		if i+1 < len(m.Phases) {
			end = m.Phases[i+1].At
		}
		if d := end.Sub(pm.At); d > 0 {
			out[pm.Phase] += d
		}
	}
	return out
}

// Minutes is the agenda's budget for the phase, 0 for an unknown one.
func (p MeetingPhase) Minutes() int {
	for _, a := range Agenda {
		if a.Phase == p {
			return a.Minutes
		}
	}
	return 0
}

// Next is the phase after p on the agenda ("" after close); the first
// phase for "".
func (p MeetingPhase) Next() MeetingPhase {
	if p == "" {
		return Agenda[0].Phase
	}
	for i, a := range Agenda {
		if a.Phase == p && i+1 < len(Agenda) {
			return Agenda[i+1].Phase
		}
	}
	return ""
}

// Prev is the phase before p on the agenda ("" before the first).
func (p MeetingPhase) Prev() MeetingPhase {
	for i, a := range Agenda {
		if a.Phase == p && i > 0 {
			return Agenda[i-1].Phase
		}
	}
	return ""
}

// Title is the phase's name as the room shows it.
func (p MeetingPhase) Title() string {
	switch p {
	case PhaseFrame:
		return "Blameless frame"
	case PhaseTimeline:
		return "Walk the timeline"
	case PhaseFactors:
		return "Contributing factors"
	case PhaseWentWell:
		return "What went well"
	case PhaseActions:
		return "Action items"
	case PhaseClose:
		return "Close"
	case "":
		return "Not started"
	}
	return string(p)
}

// Invitee is a person asked to the retro, and why.
type Invitee struct {
	Person string `json:"person"`
	Reason string `json:"reason"` // "responder", "service owner", "adjacent team"
}
