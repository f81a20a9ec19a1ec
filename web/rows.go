package web

import (
	"bytes"
	"html"
	"html/template"
	"net/url"
	"sync"
	"time"

	"github.com/debriefhq/debrief"
)

// eventRows writes the timeline's rows by hand: the page shows up to 100 of
// them, and html/template's reflection over each row was most of the page's
// cost. Every value from the data is escaped with html.EscapeString (text
// and double-quoted attributes alike) and ids in URLs are path-escaped
// first; TestRowsEscape checks it against hostile values.
func eventRows(evs []*debrief.StoredEvent, inc *debrief.Incident, canEdit bool, csrf string) template.HTML {
	var b bytes.Buffer
	b.Grow(len(evs) * 600)
	for _, e := range evs {
		writeRow(&b, e, inc, canEdit, csrf)
	}
	return template.HTML(b.String())
}

func writeRow(b *bytes.Buffer, e *debrief.StoredEvent, inc *debrief.Incident, canEdit bool, csrf string) {
	esc := html.EscapeString
	b.WriteString(`<li id="`)
	b.WriteString(esc(e.ID))
	b.WriteString(`" class="event`)
	if e.Hidden {
		b.WriteString(" hidden")
	}
	if e.Pinned {
		b.WriteString(" pinned")
	}
	b.WriteString(`"><time datetime="`)
	b.WriteString(e.Time.UTC().Format(time.RFC3339))
	b.WriteString(`">`)
	b.WriteString(e.Time.UTC().Format("15:04:05"))
	b.WriteString(`</time> <span class="src">`)
	b.WriteString(esc(string(e.Source)))
	if e.Channel != "" {
		b.WriteString(" " + esc(e.Channel))
	}
	if e.Actor != "" {
		b.WriteString(" · " + esc(e.Actor))
	}
	b.WriteString(`</span> <span class="text">`)
	b.WriteString(esc(e.Text))
	b.WriteString(`</span>`)
	if e.OriginalText != "" {
		b.WriteString(` <span class="tag" title="`)
		b.WriteString(esc(e.OriginalText))
		b.WriteString(`">edited</span>`)
	}
	for _, m := range e.Moments {
		b.WriteString(`<span class="moment">` + esc(string(m)) + `</span>`)
	}
	if e.Annotation != "" {
		b.WriteString(`<p class="annotation">` + esc(e.Annotation) + `</p>`)
	}
	if canEdit {
		action := esc("/incidents/" + url.PathEscape(inc.ID) + "/events/" + url.PathEscape(e.ID))
		form := `<form class="curate" method="post" action="` + action + `" hx-post="` + action + `" hx-target="closest li" hx-swap="outerHTML"><input type="hidden" name="csrf" value="` + esc(csrf) + `">`
		b.WriteString(form)
		if e.Hidden {
			b.WriteString(`<button name="action" value="unhide">Show</button>`)
		} else {
			b.WriteString(`<button name="action" value="hide">Hide</button>`)
		}
		if e.Pinned {
			b.WriteString(`<button name="action" value="unpin">Unpin</button>`)
		} else {
			b.WriteString(`<button name="action" value="pin">Pin</button>`)
		}
		b.WriteString(`</form>`)
		b.WriteString(form)
		b.WriteString(`<input type="hidden" name="action" value="annotate"><input name="annotation" value="`)
		b.WriteString(esc(e.Annotation))
		b.WriteString(`" placeholder="Annotate" aria-label="Annotation"><button>Save note</button></form>`)
	}
	b.WriteString("</li>\n")
}

// authCache remembers who a session or token is for a few seconds, so a
// page view does not cost two queries before it starts. Sign-out and
// expiry take effect within authTTL on other instances (at once on this).
type authCache struct {
	mu sync.Mutex
	m  map[string]authEntry
}

type authEntry struct {
	user    *debrief.User
	session *debrief.Session
	at      time.Time
}

const authTTL = 5 * time.Second

func (c *authCache) get(key string) (authEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || time.Since(e.at) > authTTL || (e.session != nil && time.Now().After(e.session.ExpiresAt)) {
		return authEntry{}, false
	}
	return e, true
}

func (c *authCache) put(key string, e authEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 10000 {
		c.m = map[string]authEntry{}
	}
	e.at = time.Now()
	c.m[key] = e
}

func (c *authCache) drop(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}
