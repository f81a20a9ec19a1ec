package timeline

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unsafe"

	"gopkg.in/yaml.v3"

	"github.com/debriefhq/debrief"
	"github.com/debriefhq/debrief/ingest"
)

// PeopleFile maps the many names of each person to one. It settles what the
// automatic join cannot: a PagerDuty name that differs from the Slack display
// name, a shell history whose owner is a laptop login.
//
//	people:
//	  - name: sam
//	    display_name: Sam Rivera
//	    email: sam@shop.example
//	    aliases: [U07SAM, "Sam R.", srivera]
type PeopleFile struct {
	People []PersonEntry `yaml:"people"`
}

// PersonEntry is one person of a people file.
type PersonEntry struct {
	Name        string   `yaml:"name"`
	DisplayName string   `yaml:"display_name"`
	Email       string   `yaml:"email"`
	Aliases     []string `yaml:"aliases"`
	Bot         bool     `yaml:"bot"`
	Team        string   `yaml:"team"`
}

// LoadPeople reads a people file. Errors name the file and line.
func LoadPeople(path string) (*PeopleFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &debrief.InputError{File: path, Msg: "cannot open people file", Err: err}
	}
	defer f.Close()
	return ParsePeople(path, f)
}

// ParsePeople reads a people file from r; name is used in errors.
func ParsePeople(name string, r io.Reader) (*PeopleFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, &debrief.InputError{File: name, Msg: "read people file", Err: err}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var pf PeopleFile
	if err := dec.Decode(&pf); err != nil && err != io.EOF {
		return nil, &debrief.InputError{File: name, Line: ingest.YAMLErrorLine(err), Msg: "expected a people file (people: [{name, display_name, email, aliases}])", Err: err}
	}
	for i, p := range pf.People {
		if strings.TrimSpace(p.Name) == "" {
			return nil, &debrief.InputError{File: name, Msg: fmt.Sprintf("person %d has no name", i+1)}
		}
	}
	return &pf, nil
}

type actorKey struct {
	source debrief.Source
	actor  string
}

// identities collects what each source knows of its actors and joins them
// into people with a union-find over shared names, ids and emails.
type identities struct {
	file   *PeopleFile
	seen   map[actorKey]*debrief.Identity
	from   map[actorKey]*debrief.Identity // the parser's pointer behind seen
	order  []actorKey
	byKey  map[actorKey]int // after resolve: index into people
	people []debrief.Person
	// known remembers actors whose events brought nothing new, by where
	// their name's bytes are: an event after another of the same actor and
	// identity then costs no map lookup (there were two, each hashing two
	// strings, for every event). Cleared whenever seen changes.
	known [64]knownActor
}

type knownActor struct {
	k  actorKey
	id *debrief.Identity
}

func newIdentities(pf *PeopleFile) *identities {
	return &identities{file: pf, seen: map[actorKey]*debrief.Identity{}, from: map[actorKey]*debrief.Identity{}}
}

// add records the identity behind ev's actor. Called with the builder's lock.
func (ids *identities) add(ev *debrief.Event, id *debrief.Identity) {
	if ev.Actor == "" {
		return
	}
	k := actorKey{ev.Source, ev.Actor}
	kn := &ids.known[(uintptr(unsafe.Pointer(unsafe.StringData(ev.Actor)))>>4^uintptr(len(ev.Actor)))%uintptr(len(ids.known))]
	if kn.id == id && kn.k == k {
		return // as the last time: nothing new
	}
	have, ok := ids.seen[k]
	if ok && (id == nil || ids.from[k] == id) {
		*kn = knownActor{k, id} // parsers share one identity per actor: nothing new
		return
	}
	rec := &debrief.Identity{Source: ev.Source, Handle: ev.Actor, Bot: ev.Bot}
	if id != nil {
		rec = &debrief.Identity{Source: ev.Source, Handle: ev.Actor, ID: strings.Clone(id.ID),
			DisplayName: strings.Clone(id.DisplayName), Email: strings.Clone(id.Email), Bot: id.Bot || ev.Bot}
		for _, a := range id.Aliases {
			rec.Aliases = append(rec.Aliases, strings.Clone(a))
		}
	}
	if ok && !richer(rec, have) {
		return
	}
	if !ok {
		ids.order = append(ids.order, k)
	}
	ids.seen[k] = rec
	ids.from[k] = id
	ids.known = [len(ids.known)]knownActor{}
}

// absorb takes the identities another collector saw (a builder shard).
func (ids *identities) absorb(o *identities) {
	ids.known = [len(ids.known)]knownActor{}
	for _, k := range o.order {
		id := o.seen[k]
		have, ok := ids.seen[k]
		if !ok {
			ids.order = append(ids.order, k)
			ids.seen[k] = id
			continue
		}
		if richer(id, have) {
			ids.seen[k] = id
		}
	}
}

// richer reports whether a tells more about an actor than b; ties go to the
// smaller display name so the result does not depend on arrival order.
func richer(a, b *debrief.Identity) bool {
	sa, sb := len(a.DisplayName)+len(a.Email)+len(a.Aliases), len(b.DisplayName)+len(b.Email)+len(b.Aliases)
	if sa != sb {
		return sa > sb
	}
	return a.DisplayName+a.Email < b.DisplayName+b.Email
}

// tokens are the names an identity is known by, namespaced so that a handle
// and an email local part meet but a display name only meets a display name.
//
// Strong tokens (handle, id, email) name one account. Weak ones (display
// names, real names, nicknames) are shared by different people ("Dara" and
// "Dara"): resolve uses a weak token only where no two accounts of one
// source carry it.
func identityTokens(id *debrief.Identity) (strong, weak []string) {
	if id.Bot {
		return []string{"bot:" + norm(id.Handle)}, nil
	}
	strong = append(strong, aliasTokens(id.Handle)...)
	if id.ID != "" {
		strong = append(strong, "id:"+norm(id.ID))
	}
	if id.Email != "" {
		strong = append(strong, aliasTokens(id.Email)...)
	}
	if id.DisplayName != "" {
		weak = append(weak, "n:"+norm(id.DisplayName))
	}
	for _, a := range id.Aliases {
		weak = append(weak, aliasTokens(a)...)
	}
	return strong, weak
}

// ambiguous lists the weak tokens that two accounts of one source share.
func (ids *identities) ambiguous() map[string]bool {
	owner := map[string]actorKey{}
	amb := map[string]bool{}
	for _, k := range ids.order {
		_, weak := identityTokens(ids.seen[k])
		for _, t := range weak {
			key := string(k.source) + "\x00" + t
			if o, ok := owner[key]; ok && o != k {
				amb[t] = true
			}
			owner[key] = k
		}
	}
	return amb
}

// aliasTokens classifies a free-form alias: an email, a display name (has a
// space) or a handle (which may also be a source's user id).
func aliasTokens(a string) []string {
	a = norm(a)
	switch {
	case a == "":
		return nil
	case strings.Contains(a, "@"):
		return []string{"e:" + a, "u:" + a[:strings.Index(a, "@")]}
	case strings.Contains(a, " "):
		return []string{"n:" + a}
	}
	return []string{"u:" + a, "id:" + a}
}

func norm(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimPrefix(s, "@")
}

// resolve joins the identities into people. Each person's name is the
// people file's name, else a chat handle, else another handle; display name
// the people file's, else the longest one seen.
func (ids *identities) resolve() {
	slices.SortFunc(ids.order, func(a, b actorKey) int {
		if a.source != b.source {
			return strings.Compare(string(a.source), string(b.source))
		}
		return strings.Compare(a.actor, b.actor)
	})
	uf := unionFind{}
	fileNode := func(i int) string { return fmt.Sprintf("file:%d", i) }
	keyNode := func(k actorKey) string { return "k:" + string(k.source) + "\x00" + k.actor }
	if ids.file != nil {
		for i, p := range ids.file.People {
			uf.find(fileNode(i))
			for _, a := range append([]string{p.Name, p.DisplayName, p.Email}, p.Aliases...) {
				for _, t := range aliasTokens(a) {
					uf.union(fileNode(i), t)
				}
			}
		}
	}
	amb := ids.ambiguous()
	for _, k := range ids.order {
		uf.find(keyNode(k))
		strong, weak := identityTokens(ids.seen[k])
		for _, t := range strong {
			uf.union(keyNode(k), t)
		}
		for _, t := range weak {
			if !amb[t] {
				uf.union(keyNode(k), t)
			}
		}
	}
	groups := map[string]int{}
	var ps []*person
	groupOf := func(root string) int {
		if i, ok := groups[root]; ok {
			return i
		}
		groups[root] = len(ps)
		ps = append(ps, &person{})
		return len(ps) - 1
	}
	if ids.file != nil {
		for i, p := range ids.file.People {
			g := groupOf(uf.find(fileNode(i)))
			ps[g].Person = debrief.Person{Name: norm(p.Name), DisplayName: p.DisplayName, Email: p.Email, Bot: p.Bot}
			ps[g].rank = rankFile
		}
	}
	ids.byKey = make(map[actorKey]int, len(ids.order))
	for _, k := range ids.order {
		g := groupOf(uf.find(keyNode(k)))
		ids.byKey[k] = g
		ps[g].merge(ids.seen[k])
	}
	ids.people = make([]debrief.Person, len(ps))
	for i, p := range ps {
		if p.Name == "" {
			p.Name = norm(p.DisplayName)
		}
		ids.people[i] = p.Person
	}
}

// Ranks of where a person's name came from; a better source replaces it.
const (
	rankNone   = iota
	rankName   // a display name used as a handle (PagerDuty)
	rankEmail  // an email's local part (Opsgenie)
	rankHandle // a shell history owner or other handle
	rankChat   // a chat handle (Slack, Mattermost, Discord)
	rankFile   // the people file
)

type person struct {
	debrief.Person
	rank int
}

// merge folds one source's identity into p.
func (p *person) merge(id *debrief.Identity) {
	if !slices.Contains(p.Sources, id.Source) {
		p.Sources = append(p.Sources, id.Source)
	}
	p.Bot = p.Bot || id.Bot
	h := norm(id.Handle)
	rank := rankHandle
	switch {
	case strings.Contains(h, "@"):
		rank, h = rankEmail, h[:strings.Index(h, "@")]
	case strings.Contains(h, " "):
		rank = rankName
	case id.Source == debrief.SourceSlack || id.Source == debrief.SourceMattermost || id.Source == debrief.SourceDiscord:
		rank = rankChat
	}
	if rank > p.rank && h != "" {
		p.Name, p.rank = h, rank
	}
	if len(id.DisplayName) > len(p.DisplayName) && p.rank != rankFile {
		p.DisplayName = id.DisplayName
	}
	if p.DisplayName == "" && rank == rankName {
		p.DisplayName = strings.TrimSpace(id.Handle)
	}
	if p.Email == "" && id.Email != "" {
		p.Email = id.Email
	}
	if p.Email == "" && rank == rankEmail {
		p.Email = norm(id.Handle)
	}
}

type unionFind map[string]string

func (u unionFind) find(x string) string {
	p, ok := u[x]
	if !ok {
		u[x] = x
		return x
	}
	if p == x {
		return x
	}
	r := u.find(p)
	u[x] = r
	return r
}

func (u unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[rb] = ra
	}
}
