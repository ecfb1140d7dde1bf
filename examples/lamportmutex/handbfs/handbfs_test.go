package handbfs

import (
	"strings"
	"testing"
)

// TestRefuses checks that configurations the search cannot pack are
// refused with a reason, never searched with aliasing keys.
func TestRefuses(t *testing.T) {
	for _, c := range []struct {
		p    Params
		want string
	}{
		{Params{N: 4, MaxClock: 2, MaxNat: 3}, "1 to 3"},
		{Params{N: 0, MaxClock: 2, MaxNat: 3}, "1 to 3"},
		{Params{N: 3, MaxClock: 0, MaxNat: 3}, "maxClock"},
		{Params{N: 3, MaxClock: 4, MaxNat: 3}, "maxClock"},
		{Params{N: 3, MaxClock: 8, MaxNat: 8}, "128"},
	} {
		if _, err := Check(c.p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.p, err, c.want)
		}
	}
}

// TestPackRoundTrip checks that unpack inverts pack on a state with every
// field at its largest, full channels included, at the edges of what
// packs.
func TestPackRoundTrip(t *testing.T) {
	for _, p := range []Params{{N: 2, MaxClock: 3, MaxNat: 4}, {N: 3, MaxClock: 2, MaxNat: 3}, {N: 3, MaxClock: 7, MaxNat: 7}} {
		c, err := newChecker(p)
		if err != nil {
			t.Fatal(err)
		}
		var s state
		for q := 0; q < p.N; q++ {
			s.clock[q] = uint8(p.MaxClock)
			s.req[q][(q+1)%p.N] = uint8(p.MaxClock)
			s.ack[q] = c.all
		}
		s.crit = 1
		s.net[0][1] = channel{n: 3, msg: [chanCap]uint8{reqBase + uint8(p.MaxClock), msgAck, msgRel}}
		s.net[1][0] = channel{n: 1, msg: [chanCap]uint8{msgRel}}
		k, ok := c.pack(&s)
		if !ok {
			t.Fatalf("%+v: state refused", p)
		}
		var back state
		c.unpack(k, &back)
		if back != s {
			t.Errorf("%+v: unpack(pack(s)) = %+v, want %+v", p, back, s)
		}
	}
}
