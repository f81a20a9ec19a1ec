package draft

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Catalog knows who owns each service and which services sit next to it,
// from a Backstage catalog (catalog-info.yaml: Component entities with
// spec.owner, spec.dependsOn) or a simple map:
//
//	services:
//	  search-api:
//	    owner: team-search
//	    adjacent: [team-platform]   # teams to invite when search-api is involved
//	  checkout: team-payments        # just the owner
type Catalog struct {
	services map[string]*service
	order    []string
}

type service struct {
	owner     string
	adjacent  []string // teams
	dependsOn []string // services
}

// ParseCatalog reads either form; name is used in errors.
func ParseCatalog(name string, src []byte) (*Catalog, error) {
	c := &Catalog{services: map[string]*service{}}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	docs := 0
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		docs++
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		if root.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d: expected a Backstage entity or a services: map", name, root.Line)
		}
		if s := value(root, "services"); s != nil {
			if err := c.readMap(name, s); err != nil {
				return nil, err
			}
			continue
		}
		if err := c.readEntity(name, root); err != nil {
			return nil, err
		}
	}
	if docs == 0 || len(c.services) == 0 {
		return nil, fmt.Errorf("%s: no services: expected Backstage Component entities or a services: map", name)
	}
	return c, nil
}

func (c *Catalog) add(name string) *service {
	s, ok := c.services[name]
	if !ok {
		s = &service{}
		c.services[name] = s
		c.order = append(c.order, name)
	}
	return s
}

func (c *Catalog) readMap(name string, m *yaml.Node) error {
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: services: expected a map of service to owner", name, m.Line)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		s := c.add(k.Value)
		switch v.Kind {
		case yaml.ScalarNode:
			s.owner = v.Value
		case yaml.MappingNode:
			if o := value(v, "owner"); o != nil {
				s.owner = o.Value
			}
			s.adjacent = append(s.adjacent, strs(value(v, "adjacent"))...)
			s.dependsOn = append(s.dependsOn, strs(value(v, "depends_on"))...)
		default:
			return fmt.Errorf("%s:%d: %s: expected an owner or a map with owner and adjacent", name, v.Line, k.Value)
		}
	}
	return nil
}

// readEntity reads one Backstage entity; only Components (and APIs and
// Resources, which have owners too) are services.
func (c *Catalog) readEntity(name string, e *yaml.Node) error {
	kind := strings.ToLower(scalar(value(e, "kind")))
	switch kind {
	case "component", "api", "resource":
	case "":
		return fmt.Errorf("%s:%d: expected a Backstage entity (kind:) or a services: map", name, e.Line)
	default:
		return nil // groups, systems, users, locations
	}
	meta, spec := value(e, "metadata"), value(e, "spec")
	n := scalar(value(meta, "name"))
	if n == "" {
		return fmt.Errorf("%s:%d: %s without metadata.name", name, e.Line, kind)
	}
	s := c.add(n)
	s.owner = entityName(scalar(value(spec, "owner")))
	for _, d := range strs(value(spec, "dependsOn")) {
		s.dependsOn = append(s.dependsOn, entityName(d))
	}
	return nil
}

// entityName drops a Backstage reference's kind and namespace:
// "group:default/team-search" is "team-search".
func entityName(ref string) string {
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		ref = ref[i+1:]
	}
	if i := strings.IndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	return ref
}

func value(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func strs(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	var out []string
	for _, e := range n.Content {
		if e.Kind == yaml.ScalarNode && e.Value != "" {
			out = append(out, e.Value)
		}
	}
	return out
}

// names lists the catalog's services in file order.
func (c *Catalog) names() []string { return slices.Clone(c.order) }

// invitees are the owners of the given services, and the teams next to
// them: listed as adjacent, owning what the service depends on, or owning a
// service that depends on it.
func (c *Catalog) invitees(services []string) []Invitee {
	var out []Invitee
	for _, name := range services {
		s, ok := c.services[name]
		if !ok {
			continue
		}
		if s.owner != "" {
			out = append(out, Invitee{Name: s.owner, Reason: "service owner of " + name})
		}
		for _, t := range s.adjacent {
			out = append(out, Invitee{Name: t, Reason: "adjacent team for " + name})
		}
		for _, d := range s.dependsOn {
			if ds, ok := c.services[d]; ok && ds.owner != "" {
				out = append(out, Invitee{Name: ds.owner, Reason: fmt.Sprintf("adjacent team: %s depends on %s", name, d)})
			}
		}
		for _, other := range c.order {
			o := c.services[other]
			if slices.Contains(o.dependsOn, name) && o.owner != "" {
				out = append(out, Invitee{Name: o.owner, Reason: fmt.Sprintf("adjacent team: %s depends on %s", other, name)})
			}
		}
	}
	return out
}
