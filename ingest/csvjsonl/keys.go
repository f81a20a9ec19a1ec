package csvjsonl

import (
	"github.com/valyala/fastjson"
)

// key is the value chosen for a role in one JSON object.
type key struct {
	key  []byte // valid while the line is
	v    *fastjson.Value
	rank int
}

// keys holds the chosen value of each role.
type keys [roleChannel + 1]key

// pickKeys chooses, for each role, the key of o that is the earliest synonym
// among those whose value can serve (a time is a string or a number, a text a
// string). It reports whether a time and a text were found.
func pickKeys(o *fastjson.Object) (keys, bool) {
	var k keys
	o.Visit(func(name []byte, v *fastjson.Value) {
		r, rank := roleOfKey(name)
		if r == roleNone || !usable(r, v) || (k[r].v != nil && rank >= k[r].rank) {
			return
		}
		k[r] = key{key: name, v: v, rank: rank}
	})
	if k[roleTime].v == nil {
		k[roleTime], k[roleDate] = k[roleDate], key{}
	}
	return k, k[roleTime].v != nil && k[roleText].v != nil
}

// usable reports whether v can hold role r.
func usable(r role, v *fastjson.Value) bool {
	switch v.Type() {
	case fastjson.TypeString:
		return true
	case fastjson.TypeNumber:
		return r != roleText
	case fastjson.TypeObject:
		return r == roleActor && actorName(v) != ""
	}
	return false
}

// actorName reads an actor given as an object: {"name": "sam"}.
func actorName(v *fastjson.Value) string {
	for _, k := range []string{"username", "name", "login", "handle", "email"} {
		if s := v.GetStringBytes(k); len(s) > 0 {
			return string(s)
		}
	}
	return ""
}

// row turns the chosen values into a row.
func (k *keys) row(line int, hash uint32) row {
	return row{
		line: line, time: k.str(roleTime), date: k.str(roleDate), actor: k.str(roleActor), text: k.str(roleText),
		source: k.str(roleSource), kind: k.str(roleKind), channel: k.str(roleChannel), hash: hash,
	}
}

// str is the value of role r as text: a string's content, a number as
// written (so that epoch digits are kept exactly), an actor object's name.
func (k *keys) str(r role) string {
	v := k[r].v
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNumber:
		return string(v.MarshalTo(nil))
	case fastjson.TypeObject:
		return actorName(v)
	}
	return ""
}
