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
	// addition.
	Old, New itf.Value
}

// Diff returns the changes from a to b, as deep as the structure allows:
// records by field, maps by key, sets by element, lists and tuples by index
// when their lengths agree. Changes come in a deterministic order.
func Diff(path string, a, b itf.Value) []Change {
	var out []Change
	diff(path, a, b, &out)
	return out
}

func diff(path string, a, b itf.Value, out *[]Change) {
	if itf.Equal(a, b) {
		return
	}
	if !a.IsValid() || !b.IsValid() || a.Kind() != b.Kind() {
		*out = append(*out, Change{path, a, b})
		return
	}
	switch a.Kind() {
	case itf.KindRecord:
		af, bf := a.Fields(), b.Fields()
		i, j := 0, 0
		for i < len(af) || j < len(bf) {
			switch {
			case j >= len(bf) || (i < len(af) && af[i].Name < bf[j].Name):
				*out = append(*out, Change{join(path, af[i].Name), af[i].Value, itf.Value{}})
				i++
			case i >= len(af) || bf[j].Name < af[i].Name:
				*out = append(*out, Change{join(path, bf[j].Name), itf.Value{}, bf[j].Value})
				j++
			default:
				diff(join(path, af[i].Name), af[i].Value, bf[j].Value, out)
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
				*out = append(*out, Change{path + "[" + ae[i].Key.String() + "]", ae[i].Value, itf.Value{}})
				i++
			case c > 0:
				*out = append(*out, Change{path + "[" + be[j].Key.String() + "]", itf.Value{}, be[j].Value})
				j++
			default:
				diff(path+"["+ae[i].Key.String()+"]", ae[i].Value, be[j].Value, out)
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
				*out = append(*out, Change{path, ae[i], itf.Value{}})
				i++
			case c > 0:
				*out = append(*out, Change{path, itf.Value{}, be[j]})
				j++
			default:
				i++
				j++
			}
		}
	case itf.KindList, itf.KindTuple:
		ae, be := a.Elems(), b.Elems()
		if len(ae) == len(be) {
			for i := range ae {
				diff(path+"["+strconv.Itoa(i)+"]", ae[i], be[i], out)
			}
			return
		}
		n := min(len(ae), len(be))
		for i := 0; i < n; i++ {
			diff(path+"["+strconv.Itoa(i)+"]", ae[i], be[i], out)
		}
		for i := n; i < len(ae); i++ {
			*out = append(*out, Change{path + "[" + strconv.Itoa(i) + "]", ae[i], itf.Value{}})
		}
		for i := n; i < len(be); i++ {
			*out = append(*out, Change{path + "[" + strconv.Itoa(i) + "]", itf.Value{}, be[i]})
		}
	case itf.KindVariant:
		if a.Tag() == b.Tag() {
			diff(path+"."+a.Tag(), a.Payload(), b.Payload(), out)
			return
		}
		*out = append(*out, Change{path, a, b})
	default:
		*out = append(*out, Change{path, a, b})
	}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// DiffStates returns the changes between two states over vars.
func DiffStates(vars []string, a, b map[string]itf.Value) []Change {
	var out []Change
	for _, v := range vars {
		diff(v, a[v], b[v], &out)
	}
	return out
}
