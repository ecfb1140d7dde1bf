package state

import "unsafe"

// sliceOps is the SliceBuilder of the slice type S. Equality, encoding
// and references walk a slice's elements by address, which the codec does
// without reflection already: only the copy and the decoding, which
// allocate a slice, are native.
func sliceOps[S ~[]E, E any](e *Ops) Ops {
	o := Ops{Flat: false}
	o.Fix = func(p unsafe.Pointer) {
		s := *(*S)(p)
		if len(s) == 0 {
			*(*S)(p) = nil // the canonical empty slice
			return
		}
		out := make(S, len(s))
		copy(out, s)
		if e.Fix != nil {
			for i := range out {
				e.Fix(unsafe.Pointer(&out[i]))
			}
		}
		*(*S)(p) = out
	}
	o.FixRefs = func(p unsafe.Pointer, out []unsafe.Pointer) []unsafe.Pointer {
		s := *(*S)(p)
		if len(s) == 0 {
			*(*S)(p) = nil // the canonical empty slice
			return out
		}
		cp := make(S, len(s))
		copy(cp, s)
		*(*S)(p) = cp
		out = append(out, unsafe.Pointer(unsafe.SliceData(cp)))
		switch {
		case e.FixRefs != nil:
			for i := range cp {
				out = e.FixRefs(unsafe.Pointer(&cp[i]), out)
			}
		case e.Fix != nil:
			for i := range cp {
				e.Fix(unsafe.Pointer(&cp[i]))
			}
		}
		return out
	}
	if e.Dec != nil {
		o.Dec = func(d *Decoder, p unsafe.Pointer) {
			n := d.count()
			if n == 0 {
				*(*S)(p) = nil
				return
			}
			out := make(S, n)
			for i := range out {
				e.Dec(d, unsafe.Pointer(&out[i]))
			}
			*(*S)(p) = out
		}
	}
	return o
}
