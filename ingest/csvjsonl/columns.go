package csvjsonl

import (
	"strings"
)

// role is what a column holds.
type role int

const (
	roleNone role = iota
	roleTime
	roleDate // a date only column, joined with a time-of-day column when there is one
	roleActor
	roleText
	roleSource
	roleKind
	roleChannel
)

// synonyms lists the column names of each role, most specific first: when
// two columns or keys have one role, the earlier synonym wins.
func synonyms(r role) []string {
	switch r {
	case roleTime:
		return []string{"time", "timestamp", "ts", "datetime", "when", "@timestamp", "created_at", "occurred_at", "sent_at", "posted_at"}
	case roleDate:
		return []string{"date", "day"}
	case roleActor:
		return []string{"actor", "user", "author", "who", "username", "name", "person", "sender"}
	case roleText:
		// content and contents: Discord's data package (messages.csv);
		// body: flat log records (OTLP's own JSON nests it, and is not read).
		return []string{"text", "message", "msg", "description", "event", "note", "summary", "what", "notes", "details",
			"content", "contents", "body"}
	case roleSource:
		return []string{"source"}
	case roleKind:
		return []string{"kind", "type"}
	case roleChannel:
		return []string{"channel", "room"}
	}
	return nil
}

// roleOf matches a column name: case, surrounding space and the separator
// between words ("Created At", "created-at", "createdAt") do not matter.
func roleOf(name string) (role, int) {
	if r, rank := lookupRole([]byte(normalize(name))); r != roleNone {
		return r, rank
	}
	if camel := unCamel(name); camel != name {
		return lookupRole([]byte(normalize(camel)))
	}
	return roleNone, 0
}

// unCamel puts a space between the words of a camelCase name ("createdAt",
// "occurredAt"), which JSON logs and APIs use; "userName" and "timeStamp"
// already match as one lower-case word.
func unCamel(name string) string {
	var b []byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' && i > 0 && 'a' <= name[i-1] && name[i-1] <= 'z' {
			if b == nil {
				b = append(b, name[:i]...)
			}
			b = append(b, ' ')
		}
		if b != nil {
			b = append(b, c)
		}
	}
	if b == nil {
		return name
	}
	return string(b)
}

// roleOfKey matches a JSON key without allocating when it is already in
// normal form, as nearly all keys are.
func roleOfKey(key []byte) (role, int) {
	for _, c := range key {
		if c == ' ' || c == '-' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			return roleOf(string(key))
		}
	}
	return lookupRole(key)
}

// lookupRole finds a normalized name among the synonyms. It repeats the
// lists of synonyms as a switch, which costs no allocation on the hot path
// of JSON lines; TestSynonymsAgree keeps the two in step.
func lookupRole(key []byte) (role, int) {
	switch string(key) {
	case "time":
		return roleTime, 0
	case "timestamp":
		return roleTime, 1
	case "ts":
		return roleTime, 2
	case "datetime":
		return roleTime, 3
	case "when":
		return roleTime, 4
	case "@timestamp":
		return roleTime, 5
	case "created_at":
		return roleTime, 6
	case "occurred_at":
		return roleTime, 7
	case "sent_at":
		return roleTime, 8
	case "posted_at":
		return roleTime, 9
	case "date":
		return roleDate, 0
	case "day":
		return roleDate, 1
	case "actor":
		return roleActor, 0
	case "user":
		return roleActor, 1
	case "author":
		return roleActor, 2
	case "who":
		return roleActor, 3
	case "username":
		return roleActor, 4
	case "name":
		return roleActor, 5
	case "person":
		return roleActor, 6
	case "sender":
		return roleActor, 7
	case "text":
		return roleText, 0
	case "message":
		return roleText, 1
	case "msg":
		return roleText, 2
	case "description":
		return roleText, 3
	case "event":
		return roleText, 4
	case "note":
		return roleText, 5
	case "summary":
		return roleText, 6
	case "what":
		return roleText, 7
	case "notes":
		return roleText, 8
	case "details":
		return roleText, 9
	case "content":
		return roleText, 10
	case "contents":
		return roleText, 11
	case "body":
		return roleText, 12
	case "source":
		return roleSource, 0
	case "kind":
		return roleKind, 0
	case "type":
		return roleKind, 1
	case "channel":
		return roleChannel, 0
	case "room":
		return roleChannel, 1
	}
	return roleNone, 0
}

// normalize lower-cases a name and writes "_" between its words. It does
// not allocate for a name that is already so (most JSON keys).
func normalize(name string) string {
	name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
	// A unit or zone in brackets is not part of the name: "Time (UTC)".
	for _, open := range []string{" (", " ["} {
		if i := strings.Index(name, open); i > 0 && (strings.HasSuffix(name, ")") || strings.HasSuffix(name, "]")) {
			name = name[:i]
		}
	}
	if !strings.ContainsAny(name, " -") {
		return name
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, name)
}

// columns maps each role to the index of its column, -1 when absent.
type columns [roleChannel + 1]int

// matchColumns picks, for each role, the column whose name is the earliest
// synonym (the leftmost on a tie). A date column stands in for a missing
// time column.
func matchColumns(names []string) columns {
	var c columns
	var rank columns
	for i := range c {
		c[i] = -1
	}
	for i, name := range names {
		r, k := roleOf(name)
		if r != roleNone && (c[r] < 0 || k < rank[r]) {
			c[r], rank[r] = i, k
		}
	}
	if c[roleTime] < 0 {
		c[roleTime], c[roleDate] = c[roleDate], -1
	}
	return c
}

// complete reports whether the columns hold a time and a text.
func (c columns) complete() bool { return c[roleTime] >= 0 && c[roleText] >= 0 }

// expected says which columns are needed, for error messages.
func expected() string {
	return "a time column (one of " + strings.Join(append(synonyms(roleTime), synonyms(roleDate)...), ", ") +
		") and a text column (one of " + strings.Join(synonyms(roleText), ", ") + ")"
}
