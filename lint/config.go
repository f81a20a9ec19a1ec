package lint

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// ConfigName is the file `debrief lint` looks for, walking up from each
// document's directory.
const ConfigName = ".debrief.yaml"

// Config is a team's settings for lint, from .debrief.yaml:
//
//	lint:
//	  rules:
//	    hindsight.simply: off        # a rule id, or a family (blame, action)
//	    rootcause: error
//	  horizon: 60d                   # action.due: how far ahead a due date may be
//	  max_top_priority: 3            # action.count
//	  teams: [SRE team, payments]    # owners that are teams, agents that are people
//	  people: [Sam Rivera, kim]      # names that count as people in blame rules
//	  allow: ["root cause analysis"] # phrases never flagged
//
// The settings may also sit at the top level of the file, without `lint:`.
type Config struct {
	Path           string
	Levels         map[string]Severity
	Horizon        time.Duration
	MaxTopPriority int
	Teams          []string
	People         []string
	Allow          []string
}

// ConfigError is a mistake in a config file, at its line and column.
type ConfigError struct {
	Path         string
	Line, Column int
	Msg          string
}

func (e *ConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// DefaultConfig is what applies without a config file.
func DefaultConfig() *Config {
	return &Config{Horizon: 90 * 24 * time.Hour, MaxTopPriority: 3}
}

// ParseConfig reads a config file's bytes; rule ids are checked against
// known.
func ParseConfig(path string, src []byte, known func(id string) bool) (*Config, error) {
	c := DefaultConfig()
	c.Path = path
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(path, err)
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, nodeError(path, root, "expected a mapping of settings")
	}
	if v := mapValue(root, "lint"); v != nil {
		if v.Kind != yaml.MappingNode {
			return nil, nodeError(path, v, "lint: expected a mapping of settings")
		}
		root = v
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "rules":
			err = c.readRules(path, v, known)
		case "horizon":
			c.Horizon, err = readDuration(path, v)
		case "max_top_priority":
			var n int
			n, err = strconv.Atoi(v.Value)
			if err != nil || n < 0 || v.Kind != yaml.ScalarNode {
				err = nodeError(path, v, "max_top_priority: expected a whole number")
			}
			c.MaxTopPriority = n
		case "teams":
			c.Teams, err = readStrings(path, v, "teams")
		case "people":
			c.People, err = readStrings(path, v, "people")
		case "allow":
			c.Allow, err = readStrings(path, v, "allow")
		case "lint", "timeline", "draft", "serve", "people_file", "catalog":
			// settings of other commands share the file
		default:
			err = nodeError(path, k, fmt.Sprintf("unknown setting %q (known: rules, horizon, max_top_priority, teams, people, allow)", k.Value))
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Config) readRules(path string, v *yaml.Node, known func(string) bool) error {
	if v.Kind != yaml.MappingNode {
		return nodeError(path, v, "rules: expected a mapping of rule id to level")
	}
	c.Levels = map[string]Severity{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if known != nil && !known(k.Value) {
			return nodeError(path, k, fmt.Sprintf("unknown rule %q (see debrief lint --list)", k.Value))
		}
		level := val.Value
		if val.Kind == yaml.MappingNode {
			level = ""
			if l := mapValue(val, "level"); l != nil {
				level = l.Value
			}
		}
		if val.Tag == "!!bool" { // `rule: false` / `rule: true`
			level = map[bool]string{false: "off", true: "warning"}[val.Value == "true"]
		}
		sev, err := parseSeverity(level)
		if err != nil {
			return nodeError(path, val, k.Value+": "+err.Error())
		}
		c.Levels[k.Value] = sev
	}
	return nil
}

var reDays = regexp.MustCompile(`^(\d+)\s*(d|w|days?|weeks?)$`)

func readDuration(path string, v *yaml.Node) (time.Duration, error) {
	s := strings.TrimSpace(v.Value)
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return time.Duration(n) * 24 * time.Hour, nil
	}
	if m := reDays.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "w") {
			n *= 7
		}
		if n > 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	return 0, nodeError(path, v, fmt.Sprintf("horizon: expected days like 90 or 90d or 12w, not %q", s))
}

func readStrings(path string, v *yaml.Node, what string) ([]string, error) {
	if v.Kind == yaml.ScalarNode && v.Value != "" {
		return []string{v.Value}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, nodeError(path, v, what+": expected a list of strings")
	}
	var out []string
	for _, e := range v.Content {
		if e.Kind != yaml.ScalarNode || strings.TrimSpace(e.Value) == "" {
			return nil, nodeError(path, e, what+": expected a non-empty string")
		}
		out = append(out, e.Value)
	}
	return out, nil
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func nodeError(path string, n *yaml.Node, msg string) error {
	return &ConfigError{Path: path, Line: n.Line, Column: n.Column, Msg: msg}
}

var reYAMLLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

// yamlError turns a yaml.v3 syntax error into a ConfigError at its line.
func yamlError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	ce := &ConfigError{Path: path, Msg: msg}
	if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
		ce.Line, _ = strconv.Atoi(m[1])
		ce.Column = 1
		if m[2] != "" {
			ce.Column, _ = strconv.Atoi(m[2])
		}
		ce.Msg = strings.TrimSpace(reYAMLLine.ReplaceAllString(msg, ""))
		ce.Msg = strings.TrimLeft(ce.Msg, ": ")
	}
	return ce
}

// configFinder finds and caches the config that applies to each directory.
type configFinder struct {
	known func(string) bool
	mu    sync.Mutex
	dirs  map[string]configResult
}

type configResult struct {
	cfg *Config
	err error
}

// find walks up from dir to the first .debrief.yaml; nil when there is none.
func (f *configFinder) find(dir string) (*Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.findLocked(abs)
}

func (f *configFinder) findLocked(dir string) (*Config, error) {
	if r, ok := f.dirs[dir]; ok {
		return r.cfg, r.err
	}
	var r configResult
	p := filepath.Join(dir, ConfigName)
	src, err := os.ReadFile(p)
	switch {
	case err == nil:
		r.cfg, r.err = ParseConfig(p, bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")), f.known)
	case errors.Is(err, os.ErrNotExist):
		if parent := filepath.Dir(dir); parent != dir {
			r.cfg, r.err = f.findLocked(parent)
		}
	default:
		r.err = fmt.Errorf("%s: %w", p, err)
	}
	if f.dirs == nil {
		f.dirs = map[string]configResult{}
	}
	f.dirs[dir] = r
	return r.cfg, r.err
}
