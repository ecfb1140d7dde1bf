package wormhole53

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Type is a DNS record type.
type Type string

// The record types a zone holds.
const (
	TypeA     Type = "A"     // an address: Value is an IP address
	TypeAlias Type = "ALIAS" // weighted aliases: Targets name other records
	TypeTXT   Type = "TXT"   // free text: Value is any string
)

// MaxWeight is the largest weight of an alias target.
const MaxWeight = 1 << 16

// Target is one weighted target of an ALIAS record.
type Target struct {
	Name   string `json:"name"`
	Weight int    `json:"weight"`
}

// Record is one DNS record. A and TXT records use Value; ALIAS records use
// Targets, which the store keeps sorted by name.
type Record struct {
	Name    string   `json:"name"`
	Type    Type     `json:"type"`
	Value   string   `json:"value,omitempty"`
	Targets []Target `json:"targets,omitempty"`
}

// String formats the record for error messages and logs.
func (r Record) String() string {
	if r.Type == TypeAlias {
		parts := make([]string, len(r.Targets))
		for i, t := range r.Targets {
			parts[i] = fmt.Sprintf("%s*%d", t.Name, t.Weight)
		}
		return fmt.Sprintf("%s %s [%s]", r.Name, r.Type, strings.Join(parts, " "))
	}
	return fmt.Sprintf("%s %s %q", r.Name, r.Type, r.Value)
}

// key identifies a record in a zone.
type key struct {
	name string
	typ  Type
}

func (r Record) key() key { return key{r.Name, r.Type} }

// CanonicalName lowercases a DNS name and strips one trailing dot.
func CanonicalName(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, "."))
}

// normalize returns a canonical deep copy of r: names lowercased without a
// trailing dot and alias targets sorted by name.
func (r Record) normalize() Record {
	out := Record{Name: CanonicalName(r.Name), Type: r.Type, Value: r.Value}
	if len(r.Targets) > 0 {
		out.Targets = make([]Target, len(r.Targets))
		for i, t := range r.Targets {
			out.Targets[i] = Target{Name: CanonicalName(t.Name), Weight: t.Weight}
		}
		slices.SortFunc(out.Targets, func(a, b Target) int { return strings.Compare(a.Name, b.Name) })
	}
	return out
}

// clone returns a deep copy of r.
func (r Record) clone() Record {
	r.Targets = slices.Clone(r.Targets)
	return r
}

// equal reports whether two normalized records are identical.
func (r Record) equal(o Record) bool {
	return r.Name == o.Name && r.Type == o.Type && r.Value == o.Value && slices.Equal(r.Targets, o.Targets)
}

// validate checks a normalized record against the rules of zone.
func (r Record) validate(zone string) error {
	if err := validName(r.Name, zone); err != nil {
		return err
	}
	switch r.Type {
	case TypeA:
		if len(r.Targets) > 0 {
			return fmt.Errorf("A record %s has alias targets", r.Name)
		}
		if _, err := netip.ParseAddr(r.Value); err != nil {
			return fmt.Errorf("A record %s: %w", r.Name, err)
		}
	case TypeTXT:
		if len(r.Targets) > 0 {
			return fmt.Errorf("TXT record %s has alias targets", r.Name)
		}
	case TypeAlias:
		if r.Value != "" {
			return fmt.Errorf("ALIAS record %s has a value", r.Name)
		}
		if len(r.Targets) == 0 {
			return fmt.Errorf("ALIAS record %s has no targets", r.Name)
		}
		for i, t := range r.Targets {
			if t.Name == "" {
				return fmt.Errorf("ALIAS record %s: target %d has no name", r.Name, i)
			}
			if t.Weight < 1 || t.Weight > MaxWeight {
				return fmt.Errorf("ALIAS record %s: target %s: weight %d not in 1..%d", r.Name, t.Name, t.Weight, MaxWeight)
			}
			if i > 0 && r.Targets[i-1].Name == t.Name {
				return fmt.Errorf("ALIAS record %s: duplicate target %s", r.Name, t.Name)
			}
		}
	default:
		return fmt.Errorf("record %s: unknown type %q", r.Name, r.Type)
	}
	return nil
}

// validName checks that a canonical name lies in zone.
func validName(name, zone string) error {
	if name == "" {
		return fmt.Errorf("empty record name")
	}
	if name != zone && !strings.HasSuffix(name, "."+zone) {
		return fmt.Errorf("name %s is outside zone %s", name, zone)
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" {
			return fmt.Errorf("name %s has an empty label", name)
		}
	}
	return nil
}
