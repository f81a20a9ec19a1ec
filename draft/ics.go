package draft

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
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

// WriteICS writes an RFC 5545 calendar (arran4/golang-ical folds, escapes
// and ends lines in CRLF) with one 60-minute event: the agenda in its
// description, the invitees with an email as attendees, the draft linked or
// attached, and a reminder an hour before to read it.
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
	cal := ics.NewCalendar()
	cal.SetProductId("-//Debrief//Retro draft//EN")
	cal.SetMethod(ics.MethodRequest)
	cal.SetCalscale("GREGORIAN")
	ev := cal.AddEvent(hex.EncodeToString(sum[:12]) + "@debrief")
	ev.SetDtStampTime(inv.Now.UTC())
	ev.SetStartAt(inv.Start.UTC())
	ev.SetEndAt(end.UTC())
	ev.SetSummary(clean("Retro: " + d.Title))
	ev.SetDescription(clean(desc.String()))
	if inv.Organizer != "" {
		ev.SetOrganizer("mailto:" + inv.Organizer)
	}
	for _, p := range d.Invitees {
		if p.Email == "" {
			continue
		}
		ev.AddAttendee("mailto:"+p.Email, ics.WithCN(paramText(p.Name)), ics.ParticipationRoleReqParticipant, ics.WithRSVP(true))
	}
	switch {
	case inv.DraftURL != "":
		ev.SetURL(inv.DraftURL)
		ev.AddAttachmentURL(inv.DraftURL, "text/markdown")
	case len(inv.Draft) > 0:
		ev.AddAttachmentBinary(inv.Draft, "text/markdown")
	}
	al := ev.AddAlarm()
	al.SetAction(ics.ActionDisplay)
	al.SetDescription("Read the retro draft before the meeting")
	al.SetTrigger("-PT1H")
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// paramText makes a name fit a parameter value, which may hold no quote
// and, unquoted, no ; : or , (RFC 5545 3.2).
func paramText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r < 0x20 || r == 0x7f:
			return -1
		case r == ';' || r == ':' || r == ',':
			return ' '
		}
		return r
	}, s)
}

// clean drops control characters (other than newlines) from text that goes
// into the calendar; the library escapes the rest.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func zoneOf(d *Doc) *time.Location {
	if l, err := time.LoadLocation(d.Zone); err == nil {
		return l
	}
	return time.UTC
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
