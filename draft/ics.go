package draft

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// Invite is the calendar invite for the retro.
type Invite struct {
	Start     time.Time
	Organizer string // the facilitator's email, when known
	// DraftURL links the draft; Draft attaches it inline when there is no
	// link (RFC 5545 ATTACH with a base64 body).
	DraftURL string
	Draft    []byte
	Now      time.Time // DTSTAMP; tests fix it
}

// WriteICS writes an RFC 5545 calendar with one 60-minute event: the agenda
// in its description, the invitees as attendees (those with an email), and
// the draft linked or attached. Lines are folded at 75 octets and end in
// CRLF; text values are escaped.
func WriteICS(w io.Writer, d *Doc, inv Invite) error {
	if inv.Start.IsZero() {
		return fmt.Errorf("calendar invite: no meeting time (--meeting)")
	}
	if inv.Now.IsZero() {
		inv.Now = time.Now()
	}
	end := inv.Start.Add(60 * time.Minute)
	sum := sha256.Sum256([]byte(d.Title + inv.Start.UTC().Format(time.RFC3339)))
	var desc strings.Builder
	fmt.Fprintf(&desc, "Blameless retrospective of %s", d.Title)
	if d.Date != "" {
		fmt.Fprintf(&desc, " (%s)", d.Date)
	}
	desc.WriteString(".\n\nPlease read the timeline and the draft before you come: the meeting is for discussion, not reading aloud.\n\nAgenda:\n")
	t := inv.Start
	for _, a := range d.Agenda {
		fmt.Fprintf(&desc, "%s  %s (%d min)\n", t.In(zoneOf(d)).Format("15:04"), a.Title, a.Minutes)
		t = t.Add(time.Duration(a.Minutes) * time.Minute)
	}
	if inv.DraftURL != "" {
		fmt.Fprintf(&desc, "\nDraft: %s\n", inv.DraftURL)
	}
	var c calendar
	c.line("BEGIN", "VCALENDAR")
	c.line("VERSION", "2.0")
	c.line("PRODID", "-//Debrief//Retro draft//EN")
	c.line("CALSCALE", "GREGORIAN")
	c.line("METHOD", "REQUEST")
	c.line("BEGIN", "VEVENT")
	c.line("UID", hex.EncodeToString(sum[:12])+"@debrief")
	c.line("DTSTAMP", inv.Now.UTC().Format("20060102T150405Z"))
	c.line("DTSTART", inv.Start.UTC().Format("20060102T150405Z"))
	c.line("DTEND", end.UTC().Format("20060102T150405Z"))
	c.line("SUMMARY", escapeText("Retro: "+d.Title))
	c.line("DESCRIPTION", escapeText(desc.String()))
	if inv.Organizer != "" {
		c.line("ORGANIZER", "mailto:"+inv.Organizer)
	}
	for _, p := range d.Invitees {
		if p.Email == "" {
			continue
		}
		c.line(fmt.Sprintf("ATTENDEE;CN=%s;ROLE=REQ-PARTICIPANT;RSVP=TRUE", paramValue(p.Name)), "mailto:"+p.Email)
	}
	switch {
	case inv.DraftURL != "":
		c.line("URL", inv.DraftURL)
		c.line("ATTACH", inv.DraftURL)
	case len(inv.Draft) > 0:
		c.line("ATTACH;FMTTYPE=text/markdown;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=retro.md", base64.StdEncoding.EncodeToString(inv.Draft))
	}
	c.line("BEGIN", "VALARM")
	c.line("ACTION", "DISPLAY")
	c.line("DESCRIPTION", escapeText("Read the retro draft before the meeting"))
	c.line("TRIGGER", "-PT1H")
	c.line("END", "VALARM")
	c.line("END", "VEVENT")
	c.line("END", "VCALENDAR")
	_, err := io.WriteString(w, c.b.String())
	return err
}

func zoneOf(d *Doc) *time.Location {
	if l, err := time.LoadLocation(d.Zone); err == nil {
		return l
	}
	return time.UTC
}

type calendar struct{ b strings.Builder }

// line writes NAME:VALUE folded at 75 octets (RFC 5545 3.1), never inside a
// UTF-8 sequence.
func (c *calendar) line(name, value string) {
	s := name + ":" + value
	n := 0
	for len(s) > 0 {
		limit := 75
		if n > 0 {
			limit = 74 // the continuation's leading space counts
			c.b.WriteString("\r\n ")
		}
		if len(s) <= limit {
			c.b.WriteString(s)
			break
		}
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		c.b.WriteString(s[:cut])
		s = s[cut:]
		n++
	}
	c.b.WriteString("\r\n")
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	s = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' {
			return -1
		}
		return r
	}, s)
}

// paramValue quotes a parameter value (RFC 5545 3.2): no quotes or control
// characters inside.
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

// PreRead is the message that goes out with the draft, for email or chat.
func PreRead(d *Doc, draftRef string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Retro: %s\n\n", d.Title)
	if d.MeetingStart != "" {
		fmt.Fprintf(&b, "We'll hold a blameless retrospective of this incident on %s (60 minutes).", d.MeetingStart)
	} else {
		b.WriteString("We'll hold a blameless retrospective of this incident (60 minutes).")
	}
	b.WriteString(" The goal is to understand the system that let it happen, not to find a person who caused it.\n\n")
	b.WriteString("Before you come, please read the timeline and the draft")
	if draftRef != "" {
		fmt.Fprintf(&b, " (%s)", draftRef)
	}
	b.WriteString(". The meeting is for discussion, not reading aloud. If something in the timeline is wrong or missing, add a note: corrections are the most useful thing you can bring.\n\n")
	if len(d.Questions) > 0 {
		b.WriteString("Some of the questions we'll discuss:\n")
		for i, q := range d.Questions {
			if i == 3 {
				break
			}
			fmt.Fprintf(&b, "- %s\n", strings.ReplaceAll(q.Text(), "`", ""))
		}
		b.WriteString("\n")
	}
	if d.Facilitator != "" {
		fmt.Fprintf(&b, "%s will facilitate.\n", d.Facilitator)
	}
	return b.String()
}
