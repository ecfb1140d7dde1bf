package linearize

import (
	"iter"
	"slices"
	"strings"

	"github.com/execspec/execspec/trace"
)

// PartitionBy returns a CheckOptions.Partition (and
// ConcurrentOptions.Partition) that keys each operation by the values of
// its input picks with these labels: PartitionBy("key") for a key-value
// store whose operations on different keys are independent. An operation
// without one of the labels touches every partition.
func PartitionBy(labels ...string) func(Operation) (string, bool) {
	return func(op Operation) (string, bool) {
		var b strings.Builder
		for i, l := range labels {
			found := false
			for _, a := range op.Inputs {
				if a.Label == l {
					if i > 0 {
						b.WriteByte(',')
					}
					b.WriteString(a.Value.String())
					found = true
					break
				}
			}
			if !found {
				return "", false
			}
		}
		return b.String(), true
	}
}

// partitions groups h's operations by c.opts.Partition, in order of each
// partition's first operation; nil when the history must be checked whole.
func (c *Checker[S]) partitions(h *History) (keys []string, parts [][]int) {
	if c.opts.Partition == nil {
		return nil, nil
	}
	at := map[string]int{}
	for i, op := range h.Ops {
		k, ok := c.opts.Partition(op)
		if !ok {
			return nil, nil
		}
		j, seen := at[k]
		if !seen {
			j = len(keys)
			at[k] = j
			keys = append(keys, k)
			parts = append(parts, nil)
		}
		parts[j] = append(parts[j], i)
	}
	if len(parts) < 2 {
		return nil, nil
	}
	return keys, parts
}

// checkPartitions checks each partition of h alone, or h whole.
//
// With an observed final state, a partition's linearization must end in a
// state that agrees with the observed one wherever it differs from the
// initial state (the parts it changed are its own), and every part where
// the observed state differs from the initial one must be changed by some
// partition. When the linearizations found leave such a part unchanged, or
// two partitions change one part (they were not independent after all),
// the history is checked whole.
func (c *Checker[S]) checkPartitions(h *History, ops []checkOp, init, final *S, budget *int) (Linearization, error) {
	keys, parts := c.partitions(h)
	if parts == nil {
		lin, err := c.whole(h, ops, init, final, budget)
		lin.Partitions = 1
		return lin, err
	}
	var end func(*S) ([]trace.Change, error)
	var ends []*S // each partition's end state, with a final state
	if final != nil {
		end = func(s *S) ([]trace.Change, error) {
			own, err := c.cmp.Diff(s, init)
			if err != nil {
				return nil, err
			}
			off, err := c.cmp.Diff(s, final)
			if err != nil {
				return nil, err
			}
			var bad []trace.Change
			for _, ch := range off {
				if overlaps(ch.Path, own) {
					bad = append(bad, ch)
				}
			}
			if len(bad) == 0 {
				ends = append(ends, c.mc.Clone(s))
			}
			return bad, nil
		}
	}
	out := Linearization{OK: true, Partitions: len(parts)}
	before := *budget
	results, err := c.roundRobin(h, ops, parts, init, end, budget)
	out.Nodes = before - *budget
	if err != nil {
		return out, err
	}
	for p, r := range results {
		if r.done && !r.lin.OK {
			// One partition that is not linearizable settles it; the
			// ones still searched were stopped.
			out.OK, out.Partition = false, keys[p]
			out.FinalMismatch, out.FinalDiff = r.lin.FinalMismatch, r.lin.FinalDiff
		}
	}
	for _, r := range results {
		if r.done && r.lin.OK {
			out.Order = append(out.Order, r.lin.Order...)
		}
	}
	for p, r := range results {
		if !out.OK && keys[p] == out.Partition {
			out.Order = append(out.Order, r.lin.Order...)
		}
	}
	if !out.OK {
		return out, nil
	}
	if !out.OK || final == nil {
		return out, nil
	}
	// Every part the observed state changed must be some partition's, and
	// no part two partitions'.
	owner := map[string]int{}
	for p, e := range ends {
		own, err := c.cmp.Diff(e, init)
		if err != nil {
			return out, err
		}
		for _, ch := range own {
			for q, other := range owner {
				if other != p && (q == ch.Path || overlaps(q, []trace.Change{ch})) {
					return c.wholeAfter(out, h, ops, init, final, budget)
				}
			}
			owner[ch.Path] = p
		}
	}
	changed, err := c.cmp.Diff(final, init)
	if err != nil {
		return out, err
	}
	for _, ch := range changed {
		covered := false
		for q := range owner {
			if q == ch.Path || overlaps(q, []trace.Change{ch}) {
				covered = true
				break
			}
		}
		if !covered {
			return c.wholeAfter(out, h, ops, init, final, budget)
		}
	}
	return out, nil
}

// partResult is a partition's search, when done.
type partResult struct {
	lin  Linearization
	done bool
}

// firstSlice is how many nodes each partition's search spends in its
// first turn; each turn doubles it.
const firstSlice = 1000

// roundRobin searches the partitions in turns, a slice of nodes each
// (doubling every turn), until all are done or one is not linearizable:
// a partition that refutes quickly is not held up behind one that takes
// long, as porcupine gets by searching them at once on goroutines. The
// turns are a fixed function of the history, so the verdict and the
// counts are deterministic. Each search is a coroutine (iter.Pull) that
// yields between nodes, never inside the executor.
func (c *Checker[S]) roundRobin(h *History, ops []checkOp, parts [][]int, init *S, end func(*S) ([]trace.Change, error), budget *int) ([]partResult, error) {
	results := make([]partResult, len(parts))
	type turn struct {
		lin    Linearization
		err    error
		paused bool
	}
	nexts := make([]func() (turn, bool), len(parts))
	quota := make([]int, len(parts))
	for p, idx := range parts {
		next, stop := iter.Pull(func(yield func(turn) bool) {
			lin, err := c.search(h, ops, idx, init, end, budget, func() bool {
				quota[p]--
				if quota[p] > 0 {
					return true
				}
				return yield(turn{paused: true}) // the turn is over: wait for the next
			})
			yield(turn{lin: lin, err: err})
		})
		defer stop()
		nexts[p] = next
	}
	live := len(parts)
	for slice := firstSlice; live > 0; slice *= 2 {
		for p := range parts {
			if results[p].done {
				continue
			}
			quota[p] = slice
			t, _ := nexts[p]()
			if t.paused {
				continue
			}
			results[p] = partResult{lin: t.lin, done: true}
			live--
			if t.err != nil {
				return results, t.err
			}
			if !t.lin.OK {
				return results, nil
			}
		}
	}
	return results, nil
}

// wholeAfter checks h whole after its partitions could not settle the
// final state, counting the partitions' nodes.
func (c *Checker[S]) wholeAfter(parts Linearization, h *History, ops []checkOp, init, final *S, budget *int) (Linearization, error) {
	lin, err := c.whole(h, ops, init, final, budget)
	lin.Nodes += parts.Nodes
	lin.Partitions = 1
	return lin, err
}

// overlaps reports whether path is one of the changes' paths, or one is
// inside the other (`m["a"]` and `m["a"].x`).
func overlaps(path string, changes []trace.Change) bool {
	inside := func(p, q string) bool { // p inside q
		return strings.HasPrefix(p, q) && len(p) > len(q) && (p[len(q)] == '.' || p[len(q)] == '[')
	}
	return slices.ContainsFunc(changes, func(ch trace.Change) bool {
		return ch.Path == path || inside(path, ch.Path) || inside(ch.Path, path)
	})
}
