package opsgenie

import (
	"strings"

	"github.com/debriefhq/debrief"
)

// system is the actor of a webhook that names nobody.
const system = "Opsgenie"

// actors shares one identity per actor of an input.
type actors map[string]*debrief.Identity

// get returns the actor name, bot flag and identity for an Opsgenie
// username. People log in to Opsgenie with their email, so a username
// without "@" ("System", "Alert API", an integration's name) is automation.
// The email is the handle too: the timeline joins it to other sources on its
// local part.
func (a actors) get(username, userID string) (string, bool, *debrief.Identity) {
	name := clean(username)
	if name == "" {
		name = system
	}
	id, ok := a[name]
	if !ok {
		id = &debrief.Identity{Source: debrief.SourceOpsgenie, Handle: name, ID: strings.TrimSpace(userID)}
		if strings.Contains(name, "@") {
			id.Email = name
		} else {
			id.Bot = true
			id.DisplayName = name
		}
		a[name] = id
	}
	return id.Handle, id.Bot, id
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
