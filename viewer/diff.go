package viewer

import (
	"encoding/json"
	"strconv"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// The pages highlight what changed between two states. The changes are those
// of trace.DiffStates (records by field, maps by key, sets by element, lists
// and tuples by index, variants by tag), so the page and `execspec trace`
// always agree. Each change carries, besides the path text, the position of
// the changed node in the state's canonical ITF encoding (trace.Change's
// Segments), which is how the page finds the node to highlight.

// segment is one step of a change's position: a record field or variable
// ("f", name), a map entry ("k", index of the entry), a list or tuple element
// ("i", index), a set element ("e", index) or a variant's payload ("v", tag).
// Indices count in the canonical order of the ITF encoding; for a removal,
// the last segment's index is the position in the old value.
type segment struct {
	kind  string
	name  string
	index int
}

// MarshalJSON encodes a segment as a two-element array, ["f", "zone"] or
// ["k", 3].
func (s segment) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	b = strconv.AppendQuote(b, s.kind)
	b = append(b, ',')
	switch s.kind {
	case "f", "v":
		name, err := json.Marshal(s.name)
		if err != nil {
			return nil, err
		}
		b = append(b, name...)
	default:
		b = strconv.AppendInt(b, int64(s.index), 10)
	}
	return append(b, ']'), nil
}

// change is one difference between two states, as the pages show it.
type change struct {
	// Op is "add", "del" or "chg".
	Op string `json:"op"`
	// P is the path as trace.Diff writes it, e.g. `zone.trees[3]`.
	P string `json:"p"`
	// Path is the position of the node: in the new state for "add" and
	// "chg", in the old one for "del" (whose parent is in the new state).
	Path []segment `json:"path"`
	// Key is the key of an added or removed map entry.
	Key json.RawMessage `json:"key,omitempty"`
	// Old is the previous value, for "chg" and "del".
	Old json.RawMessage `json:"old,omitempty"`

	// old and new are the values, for callers in Go.
	old, new itf.Value
}

// text renders the change as trace.FormatChange does.
func (c change) text() string {
	return trace.FormatChange(trace.Change{Path: c.P, Old: c.old, New: c.new})
}

// segKinds names trace's segment kinds as the pages' script does.
var segKinds = [...]string{
	trace.SegField: "f",
	trace.SegKey:   "k",
	trace.SegIndex: "i",
	trace.SegElem:  "e",
	trace.SegTag:   "v",
}

// diffStates returns the changes from state a to state b over vars: those of
// trace.DiffStates, in its order, in the pages' form.
func diffStates(vars []string, a, b map[string]itf.Value) []change {
	tcs := trace.DiffStates(vars, a, b)
	if tcs == nil {
		return nil
	}
	out := make([]change, len(tcs))
	for n, tc := range tcs {
		c := change{Op: "chg", P: tc.Path, Path: make([]segment, len(tc.Segments)), old: tc.Old, new: tc.New}
		switch {
		case !tc.Old.IsValid():
			c.Op = "add"
		case !tc.New.IsValid():
			c.Op = "del"
		}
		for k, s := range tc.Segments {
			c.Path[k] = segment{kind: segKinds[s.Kind], name: s.Name, index: s.Index}
		}
		// An added or removed map entry carries its key.
		if last := tc.Segments[len(tc.Segments)-1]; c.Op != "chg" && last.Kind == trace.SegKey {
			c.Key = itf.AppendJSON(nil, last.Key)
		}
		if tc.Old.IsValid() {
			c.Old = itf.AppendJSON(nil, tc.Old)
		}
		out[n] = c
	}
	return out
}
