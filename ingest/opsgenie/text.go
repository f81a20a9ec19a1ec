package opsgenie

import (
	"strings"
	"unicode"
)

// text says what happened in a line a person reads in the timeline.
func (w *webhook) text(actor string) string {
	a := &w.Alert
	subject := a.label()
	switch w.Action {
	case "Create":
		return "Created " + a.created()
	case "Acknowledge":
		return about("Acknowledged by "+actor, subject)
	case "Close":
		return about("Closed by "+actor, subject)
	case "AddNote":
		return note(clean(a.Note), actor, subject)
	case "Escalate", "EscalateNext":
		return about(w.escalated(), subject)
	case "AssignOwnership":
		return about(join("Ownership assigned to ", clean(a.Owner), "Ownership assigned")+" by "+actor, subject)
	case "AddRecipient":
		return about(join("Recipient ", clean(a.Recipient), "Recipient")+" added by "+actor, subject)
	case "UpdatePriority":
		return about(join("Priority set to ", priority(a.Priority), "Priority updated")+" by "+actor, subject)
	}
	return about(phrase(w.Action)+" by "+actor, subject)
}

// escalated says where an escalation went: "Escalated to the next level via Checkout escalation".
func (w *webhook) escalated() string {
	s := "Escalated"
	if w.Action == "EscalateNext" {
		s += " to the next level"
	}
	target := ""
	if w.EscalationNotify != nil {
		target = clean(w.EscalationNotify.Name)
	}
	if target = firstOf(target, clean(w.Alert.Recipient)); target != "" && w.Action == "Escalate" {
		s += " to " + target
	}
	if name := clean(firstOf(w.Alert.EscalationName, w.EscalationName)); name != "" {
		s += " via " + name
	}
	return s
}

// label names the alert: "#23 test alert".
func (a *alert) label() string {
	msg := clean(firstOf(a.Message, a.Alias, a.AlertID))
	if id := clean(string(a.TinyID)); id != "" {
		return strings.TrimSpace("#" + id + " " + msg)
	}
	return msg
}

// created describes a new alert: "#2 [Server] another alert (priority P3)".
func (a *alert) created() string {
	s := clean(firstOf(a.Message, a.Alias, a.AlertID))
	if e := clean(a.Entity); e != "" {
		s = "[" + e + "] " + s
	}
	if id := clean(string(a.TinyID)); id != "" {
		s = "#" + id + " " + s
	}
	if pr := priority(a.Priority); pr != "" {
		s += " (priority " + pr + ")"
	}
	return strings.TrimSpace(s)
}

// priority shows a priority as Opsgenie does, "P3", whether written "P3" or 3.
func priority(f flex) string {
	s := clean(string(f))
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return "P" + s
	}
	return s
}

// phrase says what action did: a known phrase, else its words ("CustomAction" -> "Custom action").
func phrase(action string) string {
	if p := known(action); p != "" {
		return p
	}
	var b strings.Builder
	for i, r := range clean(action) {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// known says what the other well-known actions did.
func known(action string) string {
	switch action {
	case "UnAcknowledge":
		return "Unacknowledged"
	case "TakeOwnership":
		return "Ownership taken"
	case "AddTeam":
		return "Team added"
	case "AddResponder":
		return "Responder added"
	case "AddTags":
		return "Tags added"
	case "RemoveTags":
		return "Tags removed"
	case "AddDetails":
		return "Details added"
	case "RemoveDetails":
		return "Details removed"
	case "Snooze":
		return "Snoozed"
	case "SnoozeEnded":
		return "Snooze ended"
	case "UpdateMessage":
		return "Message updated"
	case "UpdateDescription":
		return "Description updated"
	case "Delete":
		return "Deleted"
	}
	return ""
}

// note is the text of a note, or says who added an empty one.
func note(text, actor, subject string) string {
	if text == "" {
		return about("Note added by "+actor, subject)
	}
	return "Note: " + text
}

// about appends the alert a line is about: "Acknowledged by sam@shop.example (#23 test alert)".
func about(what, subject string) string {
	if subject == "" {
		return what
	}
	return what + " (" + subject + ")"
}

// join returns prefix+value, or alone when value is empty.
func join(prefix, value, alone string) string {
	if value == "" {
		return alone
	}
	return prefix + value
}
