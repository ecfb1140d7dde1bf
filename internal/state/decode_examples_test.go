package state_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/bcastbyz"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/paxos"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/examples/twophase/packed"
	"github.com/execspec/execspec/examples/voting"
	"github.com/execspec/execspec/machine"
)

// roundTrips walks the model at random from its initial state and checks,
// on every state reached, that decoding its encoding gives a state with
// the same encoding, and that the decoded state steps like the original.
func roundTrips[S any](t *testing.T, m *execspec.Model[S], walks, steps int) {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex, dc := mc.NewExecutor(), mc.NewDecoder()
	rng := rand.New(rand.NewPCG(1, 2))
	var cur, next, got S
	var enc, again []byte
	states := 0
	for w := 0; w < walks; w++ {
		if r, _, _ := ex.Random(machine.InitAction, nil, &cur, rng, 0); !r.Enabled {
			t.Fatal("no initial state")
		}
		for i := 0; i < steps; i++ {
			enc = mc.AppendEncoding(enc[:0], &cur)
			if err := dc.Decode(enc, &got); err != nil {
				t.Fatalf("walk %d step %d: %v", w, i, err)
			}
			again = mc.AppendEncoding(again[:0], &got)
			if !bytes.Equal(enc, again) {
				t.Fatalf("walk %d step %d: decoded state encodes differently", w, i)
			}
			states++
			a := rng.IntN(len(mc.Actions()))
			r, _, _ := ex.Random(a, &cur, &next, rng, 0)
			if !r.Enabled {
				continue
			}
			// The decoded state must allow the same step to the same state.
			var viaDecoded S
			if r2 := ex.Exec(a, &got, &viaDecoded, machine.Path(append([]int(nil), r.Path...)).Choices()); !r2.Enabled ||
				!bytes.Equal(mc.AppendEncoding(nil, &viaDecoded), mc.AppendEncoding(nil, &next)) {
				t.Fatalf("walk %d step %d: action %s from the decoded state differs", w, i, mc.ActionName(a))
			}
			cur, next = next, cur
		}
	}
	if states < walks*steps/2 {
		t.Fatalf("only %d states checked", states)
	}
}

// Decoding is checked on random states of the examples' own types: maps of
// structs, nested maps and slices (dnsbalancer), arrays and packed state
// (twophase), Sets of sum types and VSets of Sets (paxos), Sets of structs
// (bcastbyz).
func TestDecodeExampleStates(t *testing.T) {
	walks, steps := 40, 60
	if testing.Short() {
		walks = 10
	}
	t.Run("dnsbalancer", func(t *testing.T) { roundTrips(t, dnsbalancer.New(dnsbalancer.Instance(5, 3, false)), walks, steps) })
	t.Run("twophase", func(t *testing.T) { roundTrips(t, twophase.New(4), walks, steps) })
	t.Run("twophase packed", func(t *testing.T) { roundTrips(t, packed.New(4), walks, steps) })
	t.Run("paxos", func(t *testing.T) { roundTrips(t, paxos.New(voting.MC()), walks, steps) })
	t.Run("voting", func(t *testing.T) { roundTrips(t, voting.New(voting.MC()), walks, steps) })
	t.Run("bcastbyz", func(t *testing.T) { roundTrips(t, bcastbyz.New(bcastbyz.Config{N: 4, T: 1, F: 1}), walks, steps) })
}

// FuzzDecodeDNSState feeds arbitrary bytes to the decoder: it must fail
// cleanly or produce a state whose encoding decodes to itself again (the
// encoding of a decoded state is canonical: map entries sorted).
func FuzzDecodeDNSState(f *testing.F) {
	mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(5, 3, false)))
	if err != nil {
		f.Fatal(err)
	}
	ex := mc.NewExecutor()
	var s, n dnsbalancer.State
	ex.Exec(machine.InitAction, nil, &s, machine.Path(nil).Choices())
	f.Add(mc.AppendEncoding(nil, &s))
	for a := range mc.Actions() {
		if r := ex.Exec(a, &s, &n, machine.Path(nil).Choices()); r.Enabled {
			f.Add(mc.AppendEncoding(nil, &n))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dc := mc.NewDecoder()
		var got, again dnsbalancer.State
		if dc.Decode(b, &got) != nil {
			return
		}
		enc := mc.AppendEncoding(nil, &got)
		if err := dc.Decode(enc, &again); err != nil {
			t.Fatalf("the encoding of a decoded state does not decode: %v", err)
		}
		if !bytes.Equal(mc.AppendEncoding(nil, &again), enc) {
			t.Fatal("decode(encode(decode(b))) encodes differently")
		}
	})
}
