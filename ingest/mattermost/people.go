package mattermost

import (
	"slices"
	"strings"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// people tracks what the export says about each username, and the events
// whose author has not been described yet. Holding events back, rather than
// emitting them with an identity filled in later, keeps emitted events
// immutable (the receiver may read them at once) and lets a late "bot" line
// still mark its posts Bot.
type people struct {
	known    map[string]*debrief.Identity
	held     map[string][]*debrief.Event
	webhooks map[string]*debrief.Identity
}

// newPeople returns an empty register.
func newPeople() *people {
	return &people{
		known:    map[string]*debrief.Identity{},
		held:     map[string][]*debrief.Event{},
		webhooks: map[string]*debrief.Identity{},
	}
}

// webhook returns the one identity of the integration that posts under name
// (a webhook's override_username), which no user line describes.
func (pp *people) webhook(name string) *debrief.Identity {
	id, ok := pp.webhooks[name]
	if !ok {
		id = &debrief.Identity{Source: debrief.SourceMattermost, Handle: name, Bot: true}
		pp.webhooks[name] = id
	}
	return id
}

// identityOf reads a user or bot object, or returns nil when it has no
// username. A user's display name is "first last", else the nickname.
func identityOf(v *fastjson.Value, bot bool) *debrief.Identity {
	username := text(v, "username")
	if username == "" {
		return nil
	}
	id := &debrief.Identity{Source: debrief.SourceMattermost, Handle: username, Bot: bot}
	if bot {
		id.DisplayName = text(v, "display_name")
		return id
	}
	id.DisplayName = strings.TrimSpace(text(v, "first_name") + " " + text(v, "last_name"))
	if id.DisplayName == "" {
		id.DisplayName = text(v, "nickname")
	}
	id.Email = text(v, "email")
	return id
}

// describe registers id and returns the events held for it, now complete. A
// username described twice keeps its first description.
func (pp *people) describe(id *debrief.Identity) []*debrief.Event {
	if _, ok := pp.known[id.Handle]; ok {
		return nil
	}
	pp.known[id.Handle] = id
	events := pp.held[id.Handle]
	delete(pp.held, id.Handle)
	for _, ev := range events {
		complete(ev, id)
	}
	return events
}

// attach gives ev its author's identity and reports true when the author is
// known; otherwise it holds ev and reports false. Events that already carry an
// identity (webhook posts under an override name) pass through.
func (pp *people) attach(ev *debrief.Event) bool {
	if ev.Identity != nil {
		return true
	}
	if id, ok := pp.known[ev.Actor]; ok {
		complete(ev, id)
		return true
	}
	pp.held[ev.Actor] = append(pp.held[ev.Actor], ev)
	return false
}

// undescribed gives the events still held, with a bare identity per
// username, and the usernames in order.
func (pp *people) undescribed() ([]*debrief.Event, []string) {
	users := make([]string, 0, len(pp.held))
	for u := range pp.held {
		users = append(users, u)
	}
	slices.Sort(users)
	var events []*debrief.Event
	for _, u := range users {
		id := &debrief.Identity{Source: debrief.SourceMattermost, Handle: u}
		for _, ev := range pp.held[u] {
			complete(ev, id)
			events = append(events, ev)
		}
	}
	clear(pp.held)
	return events, users
}

// complete sets the identity of ev; a bot author makes the event a bot's.
func complete(ev *debrief.Event, id *debrief.Identity) {
	ev.Identity = id
	ev.Bot = ev.Bot || id.Bot
}

// text returns the string field key of v as valid UTF-8, or "" when it is
// absent or not a string.
func text(v *fastjson.Value, key string) string {
	return strings.ToValidUTF8(string(v.GetStringBytes(key)), "\uFFFD")
}
