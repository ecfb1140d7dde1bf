package viewer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/execspec/execspec/itf"
)

// actorNames are pick labels that usually name who acts, best first.
var actorNames = []string{"actor", "process", "proc", "node", "deployer", "rm", "replica", "server", "client", "worker", "participant", "peer", "agent", "thread", "self", "p"}

// actorText returns the lane name for a pick value: strings as they are,
// integers in decimal; false for other kinds.
func actorText(v itf.Value) (string, bool) {
	switch v.Kind() {
	case itf.KindString:
		s, _ := v.AsString()
		return s, true
	case itf.KindInt:
		return v.String(), true
	}
	return "", false
}

// detectActor chooses the pick label naming each step's actor (label, or
// automatically when label is empty), fills each step's Actor and returns
// the lanes; nil when there is none.
func detectActor(states []itf.State, steps []stepView, label string) (*actorView, error) {
	if label == NoActor {
		return nil, nil
	}
	type stat struct {
		count  int
		values map[string]bool
	}
	stats := map[string]*stat{}
	all := map[string]bool{}
	for _, st := range states {
		picks, ok := itf.NondetPicks(st)
		if !ok {
			continue
		}
		for l, v := range picks {
			all[l] = true
			s, ok := actorText(v)
			if !ok {
				continue
			}
			if stats[l] == nil {
				stats[l] = &stat{values: map[string]bool{}}
			}
			stats[l].count++
			stats[l].values[s] = true
		}
	}
	detected := label == ""
	if detected {
		rank := func(l string) int {
			for i, n := range actorNames {
				if strings.EqualFold(l, n) {
					return i
				}
			}
			return len(actorNames)
		}
		labels := make([]string, 0, len(stats))
		for l, s := range stats {
			// A lane view helps when several actors act in a good share of
			// the steps.
			if len(s.values) >= 2 && s.count >= 2 && s.count*4 >= len(steps) {
				labels = append(labels, l)
			}
		}
		if len(labels) == 0 {
			return nil, nil
		}
		sort.Slice(labels, func(i, j int) bool {
			a, b := labels[i], labels[j]
			if ra, rb := rank(a), rank(b); ra != rb {
				return ra < rb
			}
			if stats[a].count != stats[b].count {
				return stats[a].count > stats[b].count
			}
			return a < b
		})
		label = labels[0]
	} else if stats[label] == nil {
		valid := make([]string, 0, len(all))
		for l := range all {
			valid = append(valid, l)
		}
		sort.Strings(valid)
		if len(valid) == 0 {
			return nil, fmt.Errorf("viewer: actor pick %q: the trace records no picks", label)
		}
		return nil, fmt.Errorf("viewer: actor pick %q: no step has such a pick with a string or integer value; the trace's picks are: %s", label, strings.Join(valid, ", "))
	}
	lanes := make([]string, 0, len(stats[label].values))
	for v := range stats[label].values {
		lanes = append(lanes, v)
	}
	sort.Slice(lanes, func(i, j int) bool { return naturalLess(lanes[i], lanes[j]) })
	for i, st := range states {
		picks, _ := itf.NondetPicks(st)
		if v, ok := picks[label]; ok {
			steps[i].Actor, _ = actorText(v)
		}
	}
	return &actorView{Label: label, Lanes: lanes, Detected: detected}, nil
}

// naturalLess orders integers numerically before other strings, and other
// strings as strings.
func naturalLess(a, b string) bool {
	ai, aerr := strconv.ParseInt(a, 10, 64)
	bi, berr := strconv.ParseInt(b, 10, 64)
	switch {
	case aerr == nil && berr == nil:
		return ai < bi
	case aerr == nil:
		return true
	case berr == nil:
		return false
	}
	return a < b
}
