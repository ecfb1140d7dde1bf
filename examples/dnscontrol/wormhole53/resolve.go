package wormhole53

import (
	"math"
	"slices"
	"strings"
)

// MaxDepth is the longest chain of aliases Resolve follows.
const MaxDepth = 8

// Address is one address a name resolves to, with its relative weight.
type Address struct {
	IP     string `json:"ip"`
	Weight int    `json:"weight"`
}

// Resolve follows name through aliases down to A records. The weight of an
// address is the product of the alias weights on the path to it, summed over
// all paths reaching the same IP (saturating at math.MaxInt). A branch that loops back to a name on its
// own path, names a missing record or is deeper than MaxDepth contributes
// nothing. The result is sorted by IP; it is empty when nothing resolves.
func (s *Store) Resolve(name string) []Address {
	s.mu.RLock()
	defer s.mu.RUnlock()
	weights := map[string]int{}
	s.resolve(CanonicalName(name), 1, 0, map[string]bool{}, weights)
	out := make([]Address, 0, len(weights))
	for ip, w := range weights {
		out = append(out, Address{IP: ip, Weight: w})
	}
	slices.SortFunc(out, func(a, b Address) int { return strings.Compare(a.IP, b.IP) })
	return out
}

// resolve adds the addresses of name, scaled by weight, to acc. onPath holds
// the names on the current alias chain.
func (s *Store) resolve(name string, weight, depth int, onPath map[string]bool, acc map[string]int) {
	if depth > MaxDepth || onPath[name] {
		return
	}
	if a, ok := s.records[key{name, TypeA}]; ok {
		acc[a.Value] = min(acc[a.Value], math.MaxInt-weight) + weight
		return
	}
	alias, ok := s.records[key{name, TypeAlias}]
	if !ok {
		return
	}
	onPath[name] = true
	for _, t := range alias.Targets {
		s.resolve(t.Name, mulSat(weight, t.Weight), depth+1, onPath, acc)
	}
	delete(onPath, name)
}

// mulSat multiplies two positive ints, saturating at math.MaxInt.
func mulSat(a, b int) int {
	if a > math.MaxInt/b {
		return math.MaxInt
	}
	return a * b
}
