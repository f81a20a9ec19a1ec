package slack

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/debriefhq/debrief"
	"github.com/valyala/fastjson"
)

// directory is what an export knows about people and channels: users.json
// gives handles and identities, channels.json (and groups, mpims, dms) the
// names behind channel ids. It is filled before parsing starts and then only
// read, except for actors it did not list, which are added under a lock.
type directory struct {
	users    map[string]*debrief.Identity // by user id
	bots     map[string]*debrief.Identity // bot users, by bot id
	channels map[string]string            // channel id to name
	folders  map[string]*conversation     // by folder name in the export

	mu      sync.Mutex
	unknown map[string]*debrief.Identity // actors users.json lacks
}

func newDirectory() *directory {
	slackbot := &debrief.Identity{Source: debrief.SourceSlack, Handle: "slackbot", ID: "USLACKBOT", DisplayName: "Slackbot", Bot: true}
	return &directory{
		users:    map[string]*debrief.Identity{slackbot.ID: slackbot},
		bots:     map[string]*debrief.Identity{},
		channels: map[string]string{},
		folders:  map[string]*conversation{},
		unknown:  map[string]*debrief.Identity{},
	}
}

// addUser records one entry of users.json.
func (d *directory) addUser(v *fastjson.Value) {
	id := str(v, "id")
	if id == "" {
		return
	}
	profile := v.Get("profile")
	p := &debrief.Identity{
		Source:      debrief.SourceSlack,
		Handle:      str(v, "name"),
		ID:          id,
		DisplayName: displayName(profile),
		Email:       str(profile, "email"),
		Bot:         v.GetBool("is_bot") || id == "USLACKBOT",
	}
	if p.DisplayName == "" {
		p.DisplayName = str(v, "real_name")
	}
	// The full name joins people across sources (PagerDuty shows "Sam
	// Rivera" where Slack's display name is a nickname).
	for _, real := range []string{str(profile, "real_name"), str(v, "real_name")} {
		if real != "" && real != p.DisplayName && !slices.Contains(p.Aliases, real) {
			p.Aliases = append(p.Aliases, real)
		}
	}
	if p.Handle == "" {
		p.Handle = id
	}
	d.users[id] = p
	if botID := str(profile, "bot_id"); botID != "" {
		d.bots[botID] = p
	}
}

// displayName is a profile's display name, or its real name when the person
// never set one.
func displayName(profile *fastjson.Value) string {
	if name := str(profile, "display_name"); name != "" {
		return name
	}
	return str(profile, "real_name")
}

// userName is the handle behind a user id, or the id when the export does not
// know it.
func (d *directory) userName(id []byte) string {
	if p, ok := d.users[string(id)]; ok {
		return p.Handle
	}
	return valid(id)
}

// channelName is the name behind a channel id, or the id.
func (d *directory) channelName(id []byte) string {
	if name, ok := d.channels[string(id)]; ok {
		return name
	}
	return valid(id)
}

// person is the identity of the user who wrote a message: from users.json,
// else from the user_profile newer exports embed in messages, else the bare
// user id. One pointer is shared per actor.
func (d *directory) person(seen *seenActors, id []byte, profile *fastjson.Value) *debrief.Identity {
	if p, ok := d.users[string(id)]; ok {
		return p
	}
	handle := profile.GetStringBytes("name")
	if len(handle) == 0 {
		handle = id
	}
	return d.remember(seen, id, handle, func() *debrief.Identity {
		return &debrief.Identity{
			Source: debrief.SourceSlack, Handle: valid(handle), ID: valid(id),
			DisplayName: displayName(profile),
		}
	})
}

// bot is the identity of an integration posting without a user: its
// username, else the name in bot_profile, else the bot user of users.json,
// else the bot id.
func (d *directory) bot(seen *seenActors, botID, username []byte, botProfile *fastjson.Value) *debrief.Identity {
	if len(username) == 0 {
		username = botProfile.GetStringBytes("name")
	}
	if len(username) == 0 {
		if p, ok := d.bots[string(botID)]; ok {
			return p
		}
		username = botID
	}
	if len(username) == 0 {
		username = []byte("bot")
	}
	return d.remember(seen, botID, username, func() *debrief.Identity {
		return &debrief.Identity{Source: debrief.SourceSlack, Handle: valid(username), ID: valid(botID), Bot: true}
	})
}

// seenActors is one goroutine's memory of the identities it looked up under
// the directory's lock, so that the lock is taken once per actor and worker
// rather than once per message.
type seenActors struct {
	key []byte
	ids map[string]*debrief.Identity
}

// remember returns the identity kept for (id, handle), making it the first
// time any goroutine meets that actor.
func (d *directory) remember(seen *seenActors, id, handle []byte, create func() *debrief.Identity) *debrief.Identity {
	seen.key = append(append(append(seen.key[:0], id...), 0), handle...)
	if p, ok := seen.ids[string(seen.key)]; ok {
		return p
	}
	key := string(seen.key)
	d.mu.Lock()
	p, ok := d.unknown[key]
	if !ok {
		p = create()
		d.unknown[key] = p
	}
	d.mu.Unlock()
	if seen.ids == nil {
		seen.ids = map[string]*debrief.Identity{}
	}
	seen.ids[key] = p
	return p
}

// str is the string at key of v, or "" when v is nil or holds no string there.
func str(v *fastjson.Value, key string) string {
	if v == nil {
		return ""
	}
	return valid(v.GetStringBytes(key))
}

// valid is b as a string with any broken UTF-8 replaced, for names and ids
// that end up in events.
func valid(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
