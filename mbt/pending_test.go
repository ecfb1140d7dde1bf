package mbt_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/linearize"
)

// mix is SplitMix64's finalizer: a fixed, well-spread hash of a step index,
// so that a put's fate depends on the operation alone, not on timing.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// timeouts: one put in three gets no answer, and half of those are
// applied all the same.
func timeouts(i int) (answered, applied bool) {
	h := mix(uint64(i))
	if h%3 != 0 {
		return true, true
	}
	return false, h&8 == 0
}

// losesAckedWrites also acknowledges one put in five it never applies.
func losesAckedWrites(i int) (answered, applied bool) {
	if mix(uint64(i)+1000)%5 == 0 {
		return true, false
	}
	return timeouts(i)
}

// TestRunConcurrentPendingPuts: a store whose puts time out, and sometimes
// apply all the same, is linearizable when it keeps every acknowledged
// write, whether the driver observes the final state or not; one that
// loses acknowledged writes is not.
func TestRunConcurrentPendingPuts(t *testing.T) {
	if testing.Short() {
		t.Skip("needs its 5 runs a seed to meet the lost write; -short divides them to 1")
	}
	for _, tc := range []struct {
		name string
		fate func(int) (bool, bool)
		ok   bool
	}{
		{"timeouts", timeouts, true},
		{"loses acknowledged writes", losesAckedWrites, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				rec := newRecTB(t, "TestPending")
				rep := mbt.RunConcurrent(rec, kvModel(kvKeys[:2]), newKVDriver(tc.fate), mbt.ConcurrentOptions{
					Seed: seed, Clients: 3, Ops: 30, Runs: 5, Outputs: kvOutputs, Dir: t.TempDir(),
				})
				if rep == nil {
					t.Fatalf("seed %d: %s", seed, rec.errors())
				}
				if rep.Pending == 0 {
					t.Fatalf("seed %d: no put went without an answer: %s", seed, rep)
				}
				if tc.ok && rec.Failed() {
					t.Fatalf("seed %d: a correct store with timeouts failed:\n%s", seed, rec.errors())
				}
				if !tc.ok && !rec.Failed() {
					t.Fatalf("seed %d: the lost acknowledged write was not found: %s", seed, rep)
				}
				if !tc.ok && !strings.Contains(rec.errors(), "not linearizable") {
					t.Fatalf("seed %d: %s", seed, rec.errors())
				}
			}
		})
	}
}

// TestCheckPendingOperations: a pending operation may take effect at any
// point after its call, or never; the final state forces neither.
func TestCheckPendingOperations(t *testing.T) {
	put := func(c, v int, call int64) linearize.Operation {
		return linearize.Operation{Client: c, Action: "put", Inputs: []linearize.Arg{arg(t, "key", "a"), arg(t, "v", v)}, Call: call, Return: call + 1}
	}
	pending := func(c, v int, call int64) linearize.Operation {
		op := put(c, v, call)
		op.Pending, op.Return = true, 0
		return op
	}
	get := func(c, v int, call int64) linearize.Operation {
		return linearize.Operation{Client: c, Action: "get", Inputs: []linearize.Arg{arg(t, "key", "a")}, Outputs: []linearize.Arg{arg(t, "value", v)}, Call: call, Return: call + 1}
	}
	mc, err := machine.Compile(kvModel(kvKeys))
	if err != nil {
		t.Fatal(err)
	}
	final := func(a int) map[string]itf.Value {
		v, err := mc.ToITF(&KV{M: map[string]int{"a": a}})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name  string
		ops   []linearize.Operation
		final map[string]itf.Value
		ok    bool
	}{
		{"never took effect", []linearize.Operation{pending(0, 5, 1), get(1, 0, 10)}, nil, true},
		{"took effect", []linearize.Operation{pending(0, 5, 1), get(1, 5, 10)}, nil, true},
		{"took effect late", []linearize.Operation{pending(0, 5, 1), get(1, 0, 10), get(1, 5, 20)}, nil, true},
		{"not before its call", []linearize.Operation{get(1, 5, 1), pending(0, 5, 10)}, nil, false},
		{"not undone", []linearize.Operation{pending(0, 5, 1), get(1, 5, 10), get(1, 0, 20)}, nil, false},
		{"final state without it", []linearize.Operation{put(1, 3, 1), pending(0, 5, 10)}, final(3), true},
		{"final state with it", []linearize.Operation{put(1, 3, 1), pending(0, 5, 10)}, final(5), true},
		{"final state neither", []linearize.Operation{put(1, 3, 1), pending(0, 5, 10)}, final(7), false},
		{"two pending, final the first", []linearize.Operation{pending(0, 5, 1), pending(1, 6, 3)}, final(5), true},
		{"an answered op still must fit", []linearize.Operation{pending(0, 5, 1), put(1, 3, 3), get(2, 4, 10)}, nil, false},
	}
	chk, err := linearize.NewChecker(kvModel(kvKeys), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &linearize.History{Model: "kv", Clients: 3, Ops: tc.ops, Final: tc.final}
			if err := h.Validate(); err != nil {
				t.Fatal(err)
			}
			lin, err := chk.Check(h)
			if err != nil {
				t.Fatal(err)
			}
			if lin.OK != tc.ok {
				t.Fatalf("OK = %v, want %v\n%s", lin.OK, tc.ok, linearize.FormatHistory(h, lin))
			}
		})
	}
	bad := pending(0, 5, 1)
	bad.Return = 4
	if _, err := chk.Check(&linearize.History{Clients: 1, Ops: []linearize.Operation{bad}}); err == nil || !strings.Contains(err.Error(), "pending") {
		t.Errorf("a pending operation with a return: %v", err)
	}
	if err := (&linearize.History{Clients: 1, Ops: []linearize.Operation{bad}}).Validate(); err == nil || !strings.Contains(err.Error(), "pending") {
		t.Errorf("Validate of a pending operation with a return: %v", err)
	}
}
