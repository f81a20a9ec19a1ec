// Package lint keeps postmortems blameless and their action items real. It
// parses a document as markdown (goldmark), judges its prose sentence by
// sentence with language rules (blame, counterfactual, hindsight, root
// cause), reads its action items (a table or a list under an action-items
// heading) and checks the document's shape (contributing factors, what went
// well, a timeline). Every finding says where, why, and how to say it
// instead.
package lint

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configure a Linter.
type Options struct {
	// Config, when set, applies to every document (--config); otherwise
	// each document uses the .debrief.yaml found walking up from it.
	Config *Config
	// People and Teams add to every config's lists (--people, --team).
	People, Teams []string
	// Date, when set, is the incident date for every document, instead of
	// the one read from it.
	Date time.Time
}

// Linter checks documents. It is safe for concurrent use.
type Linter struct {
	opt     Options
	lang    []*langRule
	trig    *triggers
	rules   map[string]*Rule
	parsers sync.Pool
	finder  *configFinder
}

// New compiles the rules.
func New(opt Options) (*Linter, error) {
	lang, err := compileLanguage(languageRules)
	if err != nil {
		return nil, err
	}
	l := &Linter{opt: opt, lang: lang, trig: indexTriggers(lang), rules: map[string]*Rule{}}
	for _, r := range Rules() {
		l.rules[r.ID] = r
	}
	l.parsers.New = func() any { return newMarkdown() }
	l.finder = &configFinder{known: KnownRule}
	return l, nil
}

// KnownRule reports whether id names a rule or a family of rules.
func KnownRule(id string) bool {
	for _, r := range Rules() {
		if r.ID == id || r.Family() == id {
			return true
		}
	}
	return false
}

// ConfigFor returns the config that applies to a document at path.
func (l *Linter) ConfigFor(path string) (*Config, error) {
	if l.opt.Config != nil {
		return l.opt.Config, nil
	}
	cfg, err := l.finder.find(filepath.Dir(path))
	if err != nil || cfg != nil {
		return cfg, err
	}
	return DefaultConfig(), nil
}

// LintFile reads and checks one file. Errors are for unreadable files and
// broken configs; findings are the result.
func (l *Linter) LintFile(path string) ([]Finding, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := l.ConfigFor(path)
	if err != nil {
		return nil, err
	}
	return l.Lint(path, src, cfg), nil
}

// Lint checks one document's bytes under cfg.
func (l *Linter) Lint(path string, src []byte, cfg *Config) []Finding {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	front, body := frontMatter(src)
	md := l.parsers.Get().(*markdown)
	d := md.Parse(path, body)
	l.parsers.Put(md)
	c := l.context(d, cfg, front)
	var fs []Finding
	fs = l.language(d, c, fs)
	fs = l.actions(d, c, fs)
	fs = l.docRules(d, c, fs)
	fs = l.settle(d, c, fs)
	return fs
}

// docCtx is what rules know about one document.
type docCtx struct {
	match   matchCtx
	cfg     *Config
	date    time.Time
	allow   []string
	disable *directives
}

func (l *Linter) context(d *Document, cfg *Config, front map[string]string) *docCtx {
	c := &docCtx{cfg: cfg, match: matchCtx{people: map[string]bool{}, teams: map[string]bool{}}}
	for _, t := range append(slices.Clone(cfg.Teams), l.opt.Teams...) {
		c.match.teams[strings.ToLower(strings.TrimSpace(t))] = true
	}
	addPeople(c.match.people, append(slices.Clone(cfg.People), l.opt.People...))
	addPeople(c.match.people, participants(d, front))
	for _, a := range cfg.Allow {
		c.allow = append(c.allow, strings.ToLower(a))
	}
	c.date = l.opt.Date
	if c.date.IsZero() {
		c.date = docDate(d, front)
	}
	c.disable = parseDirectives(d)
	return c
}

// addPeople adds each name, its handle form, and its first word (people
// are mostly called by first name in the prose).
func addPeople(m map[string]bool, names []string) {
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(n), "@")))
		if n == "" || noValue[n] || teamWords[n] || commonWords[n] {
			continue
		}
		m[n] = true
		f := strings.Fields(n)
		if len(f) > 1 && !commonWords[f[0]] && len(f[0]) > 1 {
			m[f[0]] = true
		}
	}
}

// commonWords are never taken as people's names even when a document lists
// them where names go.
var commonWords = wordSet([]string{"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with",
	"it", "is", "was", "be", "we", "i", "you", "they", "he", "she", "this", "that", "all", "none", "n/a",
	"tbd", "owner", "team", "lead", "incident", "commander", "on-call", "oncall", "author", "authors",
	"reviewer", "draft", "final", "status", "severity", "yes", "no", "see", "will", "may", "can", "new",
	"page", "alert", "service", "system", "database", "server", "cache", "deploy"})

// language runs the language rules over every judged block.
func (l *Linter) language(d *Document, c *docCtx, fs []Finding) []Finding {
	var sents []sentence
	var ms []match
	var cands []trigger
	var hits []anchorHit
	var toks []token
	for bi := range d.Blocks {
		b := &d.Blocks[bi]
		if b.Kind == KindHeaderCell {
			continue
		}
		sents, toks = sentencesBuf(b.Text, sents[:0], toks[:0])
		c.match.text = b.Text
		for si, s := range sents {
			ms = ms[:0]
			cands, hits = l.trig.candidates(s.toks, cands, hits)
			k := 0
			for _, t := range cands {
				j := k
				for k < len(hits) && hits[k].trigger == t {
					k++
				}
				r := l.lang[t.rule]
				if b.Kind == KindHeading && family(r.ID) == "rootcause" {
					continue // a "Root cause" heading is for doc.root-cause
				}
				ms = r.findPattern(&c.match, s.toks, t.pat, hits[j:k], ms)
			}
			if si > 0 && fiveWhysAnswer(&c.match, sents[si-1], s, b.Text) {
				ms = append(ms, match{rule: fiveWhys, start: 0, end: len(s.toks)})
			}
			for _, m := range keepFirst(ms) {
				fs = append(fs, l.langFinding(d, b, s, m))
			}
		}
	}
	return fs
}

// keepFirst drops matches that overlap an earlier (higher ranked) one.
func keepFirst(ms []match) []match {
	var out []match
	for _, m := range ms {
		ok := true
		for _, k := range out {
			if m.start < k.end && k.start < m.end {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, m)
		}
	}
	return out
}

func (l *Linter) langFinding(d *Document, b *Block, s sentence, m match) Finding {
	start, end := s.toks[m.start].start, s.toks[m.end-1].end
	words := b.Text[start:end]
	f := Finding{File: d.Path, Rule: m.rule.ID, Severity: m.rule.Severity, Match: words}
	f.Line, f.Column = d.Position(b.SourceOffset(start))
	f.EndLine, f.EndColumn = d.Position(b.SourceOffset(end-1) + 1)
	f.Message = m.rule.message(words)
	f.Suggestion = suggest(m.rule, b.Text[s.start:s.end], s, m)
	return f
}

// fiveWhys flags a five-whys chain that ends at a person.
var fiveWhys = &langRule{Rule: Rule{
	ID: "rootcause.five-whys", Severity: SeverityWarning,
	Summary:    `a "why? because ..." chain that ends at a person`,
	Why:        `Five whys walks one path and stops where the asker feels done, too often at a person. Ask "what all had to be true" instead, and keep going past people to the conditions around them.`,
	Suggestion: `Keep asking past the person: what made the action reasonable at the time, and what else had to be true.`,
	Examples:   []Example{{"Why was the alert missed? Because Jordan had muted the channel.", "The alert went to a channel that was muted during a noisy deploy; muting had no expiry."}},
}}

// fiveWhysAnswer reports whether s answers a "why ...?" sentence with a
// person: "Why was it run at peak? Because Alex scheduled it then."
func fiveWhysAnswer(c *matchCtx, prev, s sentence, text string) bool {
	if len(prev.toks) == 0 || prev.toks[0].lo != "why" || !strings.HasSuffix(strings.TrimRight(text[prev.start:prev.end], " "), "?") {
		return false
	}
	if len(s.toks) < 2 || (s.toks[0].lo != "because" && s.toks[0].lo != "since") {
		return false
	}
	for i := 1; i < min(len(s.toks), 4); i++ {
		if personAt(c, s.toks, i) > 0 || possessiveAt(c, s.toks, i) > 0 {
			return true
		}
	}
	return false
}

// settle applies config levels, inline directives and allowed phrases, and
// orders the findings by position.
func (l *Linter) settle(d *Document, c *docCtx, fs []Finding) []Finding {
	out := fs[:0]
	for _, f := range fs {
		sev := l.level(c.cfg, f.Rule, f.Severity)
		if sev == SeverityOff || c.disable.off(f.Rule, f.Line) || c.allowed(f) {
			continue
		}
		f.Severity = sev
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}

// level is the configured level of a rule: its id, else its family, else
// its default.
func (l *Linter) level(cfg *Config, id string, def Severity) Severity {
	if s, ok := cfg.Levels[id]; ok {
		return s
	}
	if s, ok := cfg.Levels[family(id)]; ok {
		return s
	}
	return def
}

func (c *docCtx) allowed(f Finding) bool {
	if f.Match == "" {
		return false
	}
	m := strings.ToLower(f.Match)
	for _, a := range c.allow {
		if strings.Contains(a, m) || strings.Contains(m, a) {
			return true
		}
	}
	return false
}

// frontMatter splits YAML front matter ("---" lines) from the body. The
// body keeps the front matter's bytes as blank lines, so lines and offsets
// still point into the file.
func frontMatter(src []byte) (map[string]string, []byte) {
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return nil, src
	}
	end := -1
	for off := bytes.IndexByte(src, '\n') + 1; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		line := src[off:]
		if nl >= 0 {
			line = src[off : off+nl]
		}
		if t := bytes.TrimRight(line, "\r "); bytes.Equal(t, []byte("---")) || bytes.Equal(t, []byte("...")) {
			end = off + len(line)
			break
		}
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	if end < 0 {
		return nil, src
	}
	fm := map[string]string{}
	for _, line := range strings.Split(string(src[:end]), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") {
			fm[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	body := bytes.Clone(src)
	for i := range end {
		if body[i] != '\n' {
			body[i] = ' '
		}
	}
	return fm, body
}

// Rules lists every rule, language, action and document, in catalog order.
func Rules() []*Rule {
	var out []*Rule
	for _, r := range languageRules {
		out = append(out, &r.Rule)
	}
	out = append(out, &fiveWhys.Rule)
	out = append(out, actionRules...)
	out = append(out, docRuleList...)
	return out
}

// Explain returns the rule's documentation, for --explain.
func Explain(id string) (string, error) {
	var b strings.Builder
	found := false
	for _, r := range Rules() {
		if r.ID != id && r.Family() != id {
			continue
		}
		found = true
		fmt.Fprintf(&b, "%s (%s)\n  %s\n\n", r.ID, r.Severity, r.Summary)
		fmt.Fprintf(&b, "Why: %s\n\n", r.Why)
		fmt.Fprintf(&b, "Instead: %s\n", r.Suggestion)
		for _, e := range r.Examples {
			fmt.Fprintf(&b, "\n  flagged:  %s\n  reframed: %s\n", e.Bad, e.Good)
		}
		b.WriteString("\n")
	}
	if !found {
		var ids []string
		for _, r := range Rules() {
			ids = append(ids, r.ID)
		}
		return "", fmt.Errorf("no rule %q; rules: %s", id, strings.Join(ids, ", "))
	}
	return strings.TrimRight(b.String(), "\n") + "\n", nil
}
