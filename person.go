package debrief

// Identity is what one source knows about the actor of its events. The
// timeline joins identities from all sources into people.
type Identity struct {
	Source      Source
	Handle      string // the name the source shows as actor (Slack name, Mattermost username, history owner)
	ID          string // the source's own id (Slack U123, PagerDuty P123), may be empty
	DisplayName string // "Sam Rivera"
	Email       string
	// Aliases are other names the source knows the actor by: a Slack real
	// name beside a short display name, a nickname.
	Aliases []string
	Bot     bool
}

// Person is one human (or bot) across sources.
type Person struct {
	Name        string   `json:"name"`         // canonical handle, lower case: "sam"
	DisplayName string   `json:"display_name"` // "Sam Rivera"
	Email       string   `json:"email,omitempty"`
	Sources     []Source `json:"sources"`
	Bot         bool     `json:"bot,omitempty"`
	Events      int      `json:"events"`
}
