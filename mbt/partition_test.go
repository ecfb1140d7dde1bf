package mbt_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt/linearize"
)

func TestPartitionBy(t *testing.T) {
	op := linearize.Operation{Inputs: []linearize.Arg{arg(t, "key", "a"), arg(t, "n", 2)}}
	for _, tc := range []struct {
		labels []string
		key    string
		ok     bool
	}{
		{[]string{"key"}, `"a"`, true},
		{[]string{"key", "n"}, `"a",2`, true},
		{[]string{"nope"}, "", false},
		{[]string{"key", "nope"}, "", false},
	} {
		k, ok := linearize.PartitionBy(tc.labels...)(op)
		if k != tc.key || ok != tc.ok {
			t.Errorf("PartitionBy(%q): %q %v, want %q %v", tc.labels, k, ok, tc.key, tc.ok)
		}
	}
}

// corruptRead makes the read at or after op i return a value no put wrote
// there, and reports whether there was one.
func corruptRead(h *linearize.History, i int) bool {
	for j := i; j < len(h.Ops); j++ {
		if h.Ops[j].Action == "get" {
			v, _ := h.Ops[j].Outputs[0].Value.AsInt64()
			h.Ops[j].Outputs[0].Value = itf.Int((v + 1) % kvValues)
			return true
		}
	}
	return false
}

// TestPartitionedCheckAgreesWithWhole: on linearizable key-value histories
// and on the same histories with one read corrupted, with and without the
// final state, checking each key alone gives the verdict of checking the
// history whole, and says which key fails.
func TestPartitionedCheckAgreesWithWhole(t *testing.T) {
	whole, err := linearize.NewChecker(kvModel(kvKeys), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	parted, err := linearize.NewChecker(kvModel(kvKeys), linearize.CheckOptions{Partition: linearize.PartitionBy("key")})
	if err != nil {
		t.Fatal(err)
	}
	verdicts := map[bool]int{}
	for seed := uint64(1); seed <= 40; seed++ {
		h, err := linearize.WalkHistory(kvModel(kvKeys), 1+int(seed%5), 40, seed, kvOutputs)
		if err != nil {
			t.Fatal(err)
		}
		for _, variant := range []string{"walk", "no final", "corrupt read", "corrupt final"} {
			h := cloneHistory(h)
			switch variant {
			case "no final":
				h.Final = nil
			case "corrupt read":
				if !corruptRead(h, int(seed)%len(h.Ops)) {
					continue
				}
			case "corrupt final":
				h.Final["m"] = itf.Map(itf.Entry{Key: itf.String("a"), Value: itf.Int(kvValues + 1)})
			}
			w, err := whole.Check(h)
			if err != nil {
				t.Fatal(err)
			}
			p, err := parted.Check(h)
			if err != nil {
				t.Fatal(err)
			}
			if w.OK != p.OK {
				t.Fatalf("seed %d, %s: whole says %v, partitioned %v\n%s", seed, variant, w.OK, p.OK, linearize.FormatHistory(h, p))
			}
			verdicts[w.OK]++
			if p.Partitions < 2 && variant != "corrupt final" {
				t.Errorf("seed %d, %s: checked in %d partitions", seed, variant, p.Partitions)
			}
			if p.OK {
				if p.Partitions > 1 && !isPermutation(p.Order, len(h.Ops)) {
					t.Errorf("seed %d, %s: order %v is not a permutation of the operations", seed, variant, p.Order)
				}
				continue
			}
			if variant == "corrupt read" && (p.Partition == "" || !strings.Contains(p.Partition, `"`)) {
				t.Errorf("seed %d: the failing partition is %q", seed, p.Partition)
			}
			if variant == "corrupt read" && !strings.Contains(linearize.FormatHistory(h, p), "the partition "+p.Partition+" is not linearizable") {
				t.Errorf("seed %d: the printed history does not name the failing partition:\n%s", seed, linearize.FormatHistory(h, p))
			}
		}
	}
	if verdicts[true] == 0 || verdicts[false] == 0 {
		t.Errorf("verdicts %v: both kinds are needed for the comparison to mean something", verdicts)
	}
}

func isPermutation(order []int, n int) bool {
	s := slices.Clone(order)
	slices.Sort(s)
	for i := range s {
		if s[i] != i {
			return false
		}
	}
	return len(s) == n
}

func cloneHistory(h *linearize.History) *linearize.History {
	out := *h
	out.Ops = nil
	for _, op := range h.Ops {
		op.Outputs = slices.Clone(op.Outputs)
		out.Ops = append(out.Ops, op)
	}
	if h.Final != nil {
		out.Final = map[string]itf.Value{}
		for k, v := range h.Final {
			out.Final[k] = v
		}
	}
	return &out
}

// TestPartitionTestHelpers: the helpers above fail when they should.
func TestPartitionTestHelpers(t *testing.T) {
	h := &linearize.History{Clients: 1, Ops: []linearize.Operation{{Action: "put", Inputs: []linearize.Arg{arg(t, "key", "a"), arg(t, "v", 1)}, Call: 1, Return: 2}}}
	if corruptRead(h, 0) {
		t.Error("corruptRead found a read in a history of one put")
	}
	for _, tc := range []struct {
		order []int
		n     int
		want  bool
	}{{[]int{1, 0, 2}, 3, true}, {[]int{0, 0, 2}, 3, false}, {[]int{0, 1}, 3, false}, {[]int{0, 1, 3}, 3, false}, {nil, 0, true}} {
		if got := isPermutation(tc.order, tc.n); got != tc.want {
			t.Errorf("isPermutation(%v, %d) = %v", tc.order, tc.n, got)
		}
	}
	h.Ops = append(h.Ops, linearize.Operation{Action: "get", Inputs: []linearize.Arg{arg(t, "key", "a")}, Outputs: []linearize.Arg{arg(t, "value", 1)}, Call: 3, Return: 4})
	h.Final = map[string]itf.Value{"m": itf.Int(1)}
	c := cloneHistory(h)
	if !corruptRead(c, 0) {
		t.Fatal("corruptRead found no read")
	}
	c.Final["m"] = itf.Int(2)
	if h.Ops[1].Outputs[0].Value.String() != "1" || h.Final["m"].String() != "1" {
		t.Errorf("changing the clone changed the original: %v, %v", h.Ops[1].Outputs, h.Final)
	}
}
