package debrief

import (
	"context"
	"time"
)

// Store is where incidents live between commands and across the web app's
// instances. Two implementations share one conformance suite
// (store/storetest): embedded SQLite (store/sqlite) and PostgreSQL
// (store/postgres).
type Store interface {
	IncidentService
	TimelineService
	RetroService
	AuthService
	// Export writes everything as one JSON document; Import reads it back
	// into an empty store. Together they are lossless, and the way to move
	// from SQLite to PostgreSQL.
	Export(ctx context.Context) (*Dump, error)
	Import(ctx context.Context, d *Dump) error
	// Watch tells about changes to incidents (their ids; "" for the list)
	// made by any instance sharing the database, until ctx ends.
	Watch(ctx context.Context) (<-chan string, error)
	Close() error
}

// IncidentService keeps incidents.
type IncidentService interface {
	CreateIncident(ctx context.Context, inc *Incident) error
	Incident(ctx context.Context, id string) (*Incident, error)
	Incidents(ctx context.Context, f IncidentFilter) ([]*Incident, error)
	UpdateIncident(ctx context.Context, id string, upd IncidentUpdate) (*Incident, error)
}

// IncidentFilter narrows a list of incidents; zero fields match all.
type IncidentFilter struct {
	Severity Severity
	Status   IncidentStatus
	Service  string
	// Query searches titles (the same full-text search as Search).
	Query  string
	Limit  int
	Offset int
}

// IncidentUpdate changes the fields that are set.
type IncidentUpdate struct {
	Title       *string
	Severity    *Severity
	Status      *IncidentStatus
	Services    *[]string
	Lead        *string
	Facilitator *string
	Private     *bool
	// AddMembers are users made members in the same transaction (whoever
	// makes an incident private keeps seeing it).
	AddMembers []string
}

// TimelineService keeps an incident's events and the team's curation of
// them.
type TimelineService interface {
	// Ingest stores the inputs' events in one transaction: all of them or,
	// on any error, none. Ingesting the same input again (the same bytes)
	// adds nothing, and an event already stored from another input (the
	// same source and ref) is not stored twice.
	Ingest(ctx context.Context, incidentID string, inputs ...IngestInput) ([]IngestResult, error)
	// Events lists the incident's events in time order, clock offsets
	// applied, curation included.
	Events(ctx context.Context, incidentID string, f EventFilter) ([]*StoredEvent, error)
	Inputs(ctx context.Context, incidentID string) ([]*Input, error)
	// InputByDigest finds an input by the digest of its bytes, in any
	// incident (a webhook delivered twice).
	InputByDigest(ctx context.Context, digest string) (*Input, error)
	// Curate changes one event: hide, pin, annotate, edit its text (the
	// original is kept).
	Curate(ctx context.Context, incidentID, eventID string, c Curation) (*StoredEvent, error)
	// SetClockOffset shifts every event of one input, for a source whose
	// clock was wrong.
	SetClockOffset(ctx context.Context, incidentID, inputID string, offset time.Duration) error
	// Facets counts an incident's events (hidden ones included) by source
	// and by moment, for the timeline's filters.
	Facets(ctx context.Context, incidentID string) (*Facets, error)
	// Search finds events and incidents by their words, across incidents.
	Search(ctx context.Context, q string, limit int) ([]SearchHit, error)
}

// IngestInput is one input's events, as the timeline engine made them
// (redacted, flagged).
type IngestInput struct {
	Name   string // the input's name as the user gave it ("slack-export.zip")
	Format string
	// Digest identifies the input's bytes (sha256, hex): the same digest in
	// the same incident is the same input.
	Digest string
	Events []Event
}

// IngestResult says what an ingest did.
type IngestResult struct {
	InputID string `json:"input_id"`
	// Added events; Duplicates were already stored (same source and ref).
	Added      int  `json:"added"`
	Duplicates int  `json:"duplicates"`
	Repeated   bool `json:"repeated"` // the same input was ingested before: nothing changed
}

// Input is one ingested file or export.
type Input struct {
	ID          string        `json:"id"`
	IncidentID  string        `json:"incident_id"`
	Name        string        `json:"name"`
	Format      string        `json:"format"`
	Digest      string        `json:"digest"`
	Events      int           `json:"events"`
	ClockOffset time.Duration `json:"clock_offset_ns"`
	CreatedAt   time.Time     `json:"created_at"`
}

// StoredEvent is an event as an incident keeps it: the event (Time with its
// input's clock offset applied), and the team's curation.
type StoredEvent struct {
	Event
	IncidentID string `json:"incident_id"`
	InputID    string `json:"input_id"`
	Hidden     bool   `json:"hidden,omitempty"`
	Pinned     bool   `json:"pinned,omitempty"`
	Annotation string `json:"annotation,omitempty"`
	// OriginalText is the text as ingested when someone edited Text.
	OriginalText string    `json:"original_text,omitempty"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
}

// EventFilter narrows an incident's events.
type EventFilter struct {
	Sources []Source
	Moment  Moment
	// Hidden includes hidden events (the curation view shows them greyed).
	Hidden bool
	Limit  int
	Offset int
}

// Curation is a change to one event; nil fields are left as they are.
type Curation struct {
	Hidden     *bool
	Pinned     *bool
	Annotation *string
	// Text replaces the event's text; the ingested text is kept the first
	// time. An empty string restores the original.
	Text *string
}

// Facets are the counts the timeline's filters show.
type Facets struct {
	Events  int            `json:"events"`
	Sources map[Source]int `json:"sources"`
	Moments map[Moment]int `json:"moments"`
}

// SearchHit is an event or an incident that matched a search.
type SearchHit struct {
	IncidentID string    `json:"incident_id"`
	EventID    string    `json:"event_id,omitempty"` // empty for a match on the incident itself
	Title      string    `json:"title"`
	Snippet    string    `json:"snippet"`
	Time       time.Time `json:"time,omitzero"`
	Rank       float64   `json:"rank"`
}

// Dump is a whole store as JSON: `debrief export` writes it, `debrief
// import` reads it.
type Dump struct {
	Version   int            `json:"version"`
	Incidents []*Incident    `json:"incidents"`
	Inputs    []*Input       `json:"inputs"`
	Events    []*StoredEvent `json:"events"`
	// Users come with their password hashes and API tokens' hashes, so
	// that sign-ins and tokens keep working after a move; sessions do not
	// (everyone signs in again).
	Users   []*DumpUser `json:"users,omitempty"`
	Members []Member    `json:"members,omitempty"`
	// What the retros produced.
	Factors  []*Factor     `json:"factors,omitempty"`
	Actions  []*ActionItem `json:"actions,omitempty"`
	Meetings []*Meeting    `json:"meetings,omitempty"`
}

// DumpUser is a user as an export holds it.
type DumpUser struct {
	User
	PasswordHash string      `json:"password_hash"`
	Tokens       []*APIToken `json:"tokens,omitempty"`
}

// Member is a user's membership of a private incident.
type Member struct {
	IncidentID string `json:"incident_id"`
	UserID     string `json:"user_id"`
}

// DumpVersion is the version of the export format.
const DumpVersion = 1
