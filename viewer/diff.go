package viewer

import (
	"encoding/json"
	"strconv"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// The pages highlight what changed between two states. The changes are
// computed here, in Go, with the notion of difference of trace.Diff (records
// by field, maps by key, sets by element, lists and tuples by index when
// their lengths agree), so the page and `execspec trace` always agree. Each
// change carries, besides the path text trace.Diff gives, the position of the
// changed node in the state's canonical ITF encoding, which is how the page
// finds the node to highlight.

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

// diffStates returns the changes from state a to state b over vars, in the
// order of trace.DiffStates.
func diffStates(vars []string, a, b map[string]itf.Value) []change {
	var d differ
	for _, v := range vars {
		d.diff(v, []segment{{kind: "f", name: v}}, a[v], b[v])
	}
	return d.out
}

type differ struct{ out []change }

func (d *differ) emit(op, path string, segs []segment, key, old, new itf.Value) {
	c := change{Op: op, P: path, Path: append([]segment(nil), segs...), old: old, new: new}
	if key.IsValid() {
		c.Key = itf.AppendJSON(nil, key)
	}
	if old.IsValid() {
		c.Old = itf.AppendJSON(nil, old)
	}
	d.out = append(d.out, c)
}

func with(segs []segment, s segment) []segment {
	return append(segs[:len(segs):len(segs)], s)
}

func joinField(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// diff mirrors trace.Diff.
func (d *differ) diff(path string, segs []segment, a, b itf.Value) {
	if itf.Equal(a, b) {
		return
	}
	switch {
	case !a.IsValid():
		d.emit("add", path, segs, itf.Value{}, a, b)
		return
	case !b.IsValid():
		d.emit("del", path, segs, itf.Value{}, a, b)
		return
	case a.Kind() != b.Kind():
		d.emit("chg", path, segs, itf.Value{}, a, b)
		return
	}
	switch a.Kind() {
	case itf.KindRecord:
		af, bf := a.Fields(), b.Fields()
		i, j := 0, 0
		for i < len(af) || j < len(bf) {
			switch {
			case j >= len(bf) || (i < len(af) && af[i].Name < bf[j].Name):
				d.emit("del", joinField(path, af[i].Name), with(segs, segment{kind: "f", name: af[i].Name}), itf.Value{}, af[i].Value, itf.Value{})
				i++
			case i >= len(af) || bf[j].Name < af[i].Name:
				d.emit("add", joinField(path, bf[j].Name), with(segs, segment{kind: "f", name: bf[j].Name}), itf.Value{}, itf.Value{}, bf[j].Value)
				j++
			default:
				d.diff(joinField(path, af[i].Name), with(segs, segment{kind: "f", name: af[i].Name}), af[i].Value, bf[j].Value)
				i++
				j++
			}
		}
	case itf.KindMap:
		ae, be := a.Entries(), b.Entries()
		i, j := 0, 0
		for i < len(ae) || j < len(be) {
			var c int
			switch {
			case j >= len(be):
				c = -1
			case i >= len(ae):
				c = 1
			default:
				c = itf.Compare(ae[i].Key, be[j].Key)
			}
			switch {
			case c < 0:
				d.emit("del", path+"["+ae[i].Key.String()+"]", with(segs, segment{kind: "k", index: i}), ae[i].Key, ae[i].Value, itf.Value{})
				i++
			case c > 0:
				d.emit("add", path+"["+be[j].Key.String()+"]", with(segs, segment{kind: "k", index: j}), be[j].Key, itf.Value{}, be[j].Value)
				j++
			default:
				d.diff(path+"["+be[j].Key.String()+"]", with(segs, segment{kind: "k", index: j}), ae[i].Value, be[j].Value)
				i++
				j++
			}
		}
	case itf.KindSet:
		ae, be := a.Elems(), b.Elems()
		i, j := 0, 0
		for i < len(ae) || j < len(be) {
			var c int
			switch {
			case j >= len(be):
				c = -1
			case i >= len(ae):
				c = 1
			default:
				c = itf.Compare(ae[i], be[j])
			}
			switch {
			case c < 0:
				d.emit("del", path, with(segs, segment{kind: "e", index: i}), itf.Value{}, ae[i], itf.Value{})
				i++
			case c > 0:
				d.emit("add", path, with(segs, segment{kind: "e", index: j}), itf.Value{}, itf.Value{}, be[j])
				j++
			default:
				i++
				j++
			}
		}
	case itf.KindList, itf.KindTuple:
		ae, be := a.Elems(), b.Elems()
		n := min(len(ae), len(be))
		for i := 0; i < n; i++ {
			d.diff(path+"["+strconv.Itoa(i)+"]", with(segs, segment{kind: "i", index: i}), ae[i], be[i])
		}
		for i := n; i < len(ae); i++ {
			d.emit("del", path+"["+strconv.Itoa(i)+"]", with(segs, segment{kind: "i", index: i}), itf.Value{}, ae[i], itf.Value{})
		}
		for i := n; i < len(be); i++ {
			d.emit("add", path+"["+strconv.Itoa(i)+"]", with(segs, segment{kind: "i", index: i}), itf.Value{}, itf.Value{}, be[i])
		}
	case itf.KindVariant:
		if a.Tag() == b.Tag() {
			d.diff(path+"."+a.Tag(), with(segs, segment{kind: "v", name: a.Tag()}), a.Payload(), b.Payload())
			return
		}
		d.emit("chg", path, segs, itf.Value{}, a, b)
	default:
		d.emit("chg", path, segs, itf.Value{}, a, b)
	}
}
