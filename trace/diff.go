package trace

import (
	"strconv"

	"github.com/execspec/execspec/itf"
)

// Change is one difference between two values, at a path such as
// "zone.trees[3]" or "deployers[\"deployer-a\"].next".
type Change struct {
	Path string
	// Old and New are the values before and after; an invalid Value (the
	// zero Value) means absent: New invalid is a removal, Old invalid an
	// addition. Where an expected value is compared with an actual one
	// (validate's closest successor, mbt's observed state), Old is always
	// the expected one, the model's, and New the actual one.
	Old, New itf.Value
	// Segments is the same position as Path, structured: one Segment per
	// step from the root given to Diff (which Path starts with and which
	// has no Segment), or, for DiffStates, from the state, whose variable is
	// the first Segment (a SegField). See Segment for how the steps count.
	Segments []Segment
}

// SegmentKind says what kind of step a Segment is.
type SegmentKind uint8

const (
	// SegField is a record field, or for DiffStates a state variable:
	// Segment.Name is its name.
	SegField SegmentKind = iota
	// SegKey is a map entry: Segment.Key is its key and Segment.Index its
	// position among the map's entries in canonical order.
	SegKey
	// SegIndex is a list or tuple element: Segment.Index is its index.
	SegIndex
	// SegElem is a set element: Segment.Index is its position among the
	// set's elements in canonical order. Path has no step for it: a set
	// element's change is reported at the set's path.
	SegElem
	// SegTag is a variant's payload: Segment.Name is the variant's tag.
	SegTag
)

// Segment is one step of a Change's structured position. Positions that
// count (Index of SegKey and SegElem) are in the new value (Change.New's
// side) for additions and changes, and in the old value for removals; the
// steps before the last are in both values.
type Segment struct {
	Kind SegmentKind
	// Name is the field name (SegField) or the tag (SegTag).
	Name string
	// Key is the map key (SegKey); invalid otherwise.
	Key itf.Value
	// Index is the position (SegKey, SegIndex, SegElem).
	Index int
}

// Diff returns the changes from a to b, as deep as the structure allows:
// records by field, maps by key, sets by element, lists as an edit script
// (elements removed and added, each at its own index: a queue's popped
// head is one removal at index 0), tuples by index, variants by tag. Path strings start with path. Changes come in a deterministic
// order.
func Diff(path string, a, b itf.Value) []Change {
	var d differ
	d.diff(path, nil, a, b)
	return d.out
}

// DiffStates returns the changes between two states over vars.
func DiffStates(vars []string, a, b map[string]itf.Value) []Change {
	var d differ
	for _, v := range vars {
		d.diff(v, []Segment{{Kind: SegField, Name: v}}, a[v], b[v])
	}
	return d.out
}

type differ struct{ out []Change }

func (d *differ) emit(path string, segs []Segment, a, b itf.Value) {
	d.out = append(d.out, Change{Path: path, Old: a, New: b, Segments: append([]Segment(nil), segs...)})
}

// with returns segs and s, without writing into segs' array.
func with(segs []Segment, s Segment) []Segment {
	return append(segs[:len(segs):len(segs)], s)
}

func (d *differ) diff(path string, segs []Segment, a, b itf.Value) {
	if itf.Equal(a, b) {
		return
	}
	if !a.IsValid() || !b.IsValid() || a.Kind() != b.Kind() {
		d.emit(path, segs, a, b)
		return
	}
	switch a.Kind() {
	case itf.KindRecord:
		af, bf := a.Fields(), b.Fields()
		i, j := 0, 0
		for i < len(af) || j < len(bf) {
			switch {
			case j >= len(bf) || (i < len(af) && af[i].Name < bf[j].Name):
				d.emit(join(path, af[i].Name), with(segs, Segment{Kind: SegField, Name: af[i].Name}), af[i].Value, itf.Value{})
				i++
			case i >= len(af) || bf[j].Name < af[i].Name:
				d.emit(join(path, bf[j].Name), with(segs, Segment{Kind: SegField, Name: bf[j].Name}), itf.Value{}, bf[j].Value)
				j++
			default:
				d.diff(join(path, af[i].Name), with(segs, Segment{Kind: SegField, Name: af[i].Name}), af[i].Value, bf[j].Value)
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
				d.emit(path+"["+ae[i].Key.String()+"]", with(segs, Segment{Kind: SegKey, Key: ae[i].Key, Index: i}), ae[i].Value, itf.Value{})
				i++
			case c > 0:
				d.emit(path+"["+be[j].Key.String()+"]", with(segs, Segment{Kind: SegKey, Key: be[j].Key, Index: j}), itf.Value{}, be[j].Value)
				j++
			default:
				d.diff(path+"["+ae[i].Key.String()+"]", with(segs, Segment{Kind: SegKey, Key: be[j].Key, Index: j}), ae[i].Value, be[j].Value)
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
				d.emit(path, with(segs, Segment{Kind: SegElem, Index: i}), ae[i], itf.Value{})
				i++
			case c > 0:
				d.emit(path, with(segs, Segment{Kind: SegElem, Index: j}), itf.Value{}, be[j])
				j++
			default:
				i++
				j++
			}
		}
	case itf.KindList:
		d.diffList(path, segs, a.Elems(), b.Elems())
	case itf.KindTuple:
		ae, be := a.Elems(), b.Elems()
		n := min(len(ae), len(be))
		for i := 0; i < n; i++ {
			d.diff(path+"["+strconv.Itoa(i)+"]", with(segs, Segment{Kind: SegIndex, Index: i}), ae[i], be[i])
		}
		for i := n; i < len(ae); i++ {
			d.emit(path+"["+strconv.Itoa(i)+"]", with(segs, Segment{Kind: SegIndex, Index: i}), ae[i], itf.Value{})
		}
		for i := n; i < len(be); i++ {
			d.emit(path+"["+strconv.Itoa(i)+"]", with(segs, Segment{Kind: SegIndex, Index: i}), itf.Value{}, be[i])
		}
	case itf.KindVariant:
		if a.Tag() == b.Tag() {
			d.diff(path+"."+a.Tag(), with(segs, Segment{Kind: SegTag, Name: a.Tag()}), a.Payload(), b.Payload())
			return
		}
		d.emit(path, segs, a, b)
	default:
		d.emit(path, segs, a, b)
	}
}

// maxEditCells bounds the table of the edit script between two lists
// (their lengths multiplied, once the common prefix and suffix are set
// aside); longer lists are compared index by index.
const maxEditCells = 1 << 20

// diffList reports the changes from list a to list b as an edit script:
// the elements removed (at their index in a) and added (at their index in
// b), the rest kept, so that popping a queue's head is one removal at its
// front, not a change at every index. An element removed and another
// added at the same place are one element changed, compared deeply.
func (d *differ) diffList(path string, segs []Segment, a, b []itf.Value) {
	at := func(i int) (string, []Segment) {
		return path + "[" + strconv.Itoa(i) + "]", with(segs, Segment{Kind: SegIndex, Index: i})
	}
	// The common prefix and suffix are kept.
	lo := 0
	for lo < len(a) && lo < len(b) && itf.Equal(a[lo], b[lo]) {
		lo++
	}
	ha, hb := len(a), len(b)
	for ha > lo && hb > lo && itf.Equal(a[ha-1], b[hb-1]) {
		ha--
		hb--
	}
	ma, mb := a[lo:ha], b[lo:hb]
	if len(ma)*len(mb) > maxEditCells {
		// Too long for an edit script: index by index.
		n := min(len(a), len(b))
		for i := lo; i < n; i++ {
			p, sg := at(i)
			d.diff(p, sg, a[i], b[i])
		}
		for i := n; i < len(a); i++ {
			p, sg := at(i)
			d.emit(p, sg, a[i], itf.Value{})
		}
		for i := n; i < len(b); i++ {
			p, sg := at(i)
			d.emit(p, sg, itf.Value{}, b[i])
		}
		return
	}
	// lcs[i][j] is the length of the longest common subsequence of ma[i:]
	// and mb[j:].
	lcs := make([][]int, len(ma)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(mb)+1)
	}
	for i := len(ma) - 1; i >= 0; i-- {
		for j := len(mb) - 1; j >= 0; j-- {
			if itf.Equal(ma[i], mb[j]) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	// Walk the script; removals and additions between two kept elements
	// pair up as changed elements.
	var removed, added []int // indexes in a and in b, of the current gap
	flush := func() {
		k := min(len(removed), len(added))
		for n := 0; n < k; n++ {
			p, sg := at(added[n])
			d.diff(p, sg, a[removed[n]], b[added[n]])
		}
		for _, i := range removed[k:] {
			p, sg := at(i)
			d.emit(p, sg, a[i], itf.Value{})
		}
		for _, j := range added[k:] {
			p, sg := at(j)
			d.emit(p, sg, itf.Value{}, b[j])
		}
		removed, added = removed[:0], added[:0]
	}
	i, j := 0, 0
	for i < len(ma) || j < len(mb) {
		switch {
		case i < len(ma) && j < len(mb) && itf.Equal(ma[i], mb[j]):
			flush()
			i++
			j++
		case j >= len(mb) || (i < len(ma) && lcs[i+1][j] >= lcs[i][j+1]):
			removed = append(removed, lo+i)
			i++
		default:
			added = append(added, lo+j)
			j++
		}
	}
	flush()
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}
