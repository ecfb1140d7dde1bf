package linearize

import (
	"fmt"
	"math"

	"github.com/execspec/execspec/internal/core"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
)

// Explanation is what a history's page shows beyond the verdict: the
// model's state at each linearization point of the longest linearizable
// prefix, and what the model would have allowed for the operation that
// cannot be placed after it.
type Explanation struct {
	// Init is the model's initial state, and States[i] its state after
	// the i-th operation of the Linearization's Order (ITF, by variable).
	Init   map[string]itf.Value
	States []map[string]itf.Value
	// Stuck is the operation (an index into History.Ops) that cannot be
	// placed after the prefix: the unplaced answered operation that
	// returned first (in the failing partition, with partitions); -1 when
	// every operation was placed (the final state differs) or the history
	// is linearizable.
	Stuck int
	// StuckEnabled says whether the model allows Stuck's action with its
	// inputs at the end of the prefix; Allowed lists, when it does, the
	// values of Stuck's outputs each of the model's branches would have
	// produced (distinct, at most maxAllowed).
	StuckEnabled bool
	Allowed      [][]Arg
}

// maxAllowed bounds the alternatives an Explanation lists.
const maxAllowed = 20

// Explain replays lin's order on the model to give the state after each
// operation, and says what the model would have allowed for the first
// operation it could not place. lin must come from Check on h.
func (c *Checker[S]) Explain(h *History, lin Linearization) (*Explanation, error) {
	ops, err := c.prepare(h)
	if err != nil {
		return nil, err
	}
	init, err := c.initial(h)
	if err != nil {
		return nil, err
	}
	exp := &Explanation{Stuck: -1}
	if exp.Init, err = c.mc.ToITF(init); err != nil {
		return nil, fmt.Errorf("linearize: model %s: %w", c.mc.Name(), err)
	}
	// Follow the order, backtracking over the branches of nondeterministic
	// operations until one path takes every operation.
	path := []*S{init}
	var walk func(k int) (bool, error)
	walk = func(k int) (bool, error) {
		if k == len(lin.Order) {
			return true, nil
		}
		s := path[len(path)-1]
		succs, err := c.successors(ops[lin.Order[k]], s, c.fingerprint(s))
		if err != nil {
			return false, err
		}
		for _, sc := range succs {
			path = append(path, sc.s)
			if ok, err := walk(k + 1); ok || err != nil {
				return ok, err
			}
			path = path[:len(path)-1]
		}
		return false, nil
	}
	ok, err := walk(0)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("linearize: the order given is not a behaviour of model %s", c.mc.Name())
	}
	for _, s := range path[1:] {
		v, err := c.mc.ToITF(s)
		if err != nil {
			return nil, fmt.Errorf("linearize: model %s: %w", c.mc.Name(), err)
		}
		exp.States = append(exp.States, v)
	}
	if lin.OK {
		return exp, nil
	}
	exp.Stuck = c.stuck(h, lin)
	if exp.Stuck >= 0 {
		exp.StuckEnabled, exp.Allowed, err = c.allowed(h.Ops[exp.Stuck], ops[exp.Stuck], path[len(path)-1])
		if err != nil {
			return nil, err
		}
	}
	return exp, nil
}

// stuck returns the unplaced answered operation that returned first, in
// lin's failing partition; -1 when there is none.
func (c *Checker[S]) stuck(h *History, lin Linearization) int {
	placed := make(map[int]bool, len(lin.Order))
	for _, i := range lin.Order {
		placed[i] = true
	}
	best, at := -1, int64(math.MaxInt64)
	for i, op := range h.Ops {
		if placed[i] || op.Pending || op.Return >= at {
			continue
		}
		if lin.Partition != "" && c.opts.Partition != nil {
			if k, _ := c.opts.Partition(op); k != lin.Partition {
				continue
			}
		}
		best, at = i, op.Return
	}
	return best
}

// allowed runs op's action at s with its inputs only, and returns whether
// any branch is enabled and the values of op's output labels each enabled
// branch picks.
func (c *Checker[S]) allowed(rec Operation, op checkOp, s *S) (bool, [][]Arg, error) {
	d := map[string]itf.Value{core.TerseLabel: {}}
	for _, a := range rec.Inputs {
		d[a.Label] = a.Value
	}
	outs := map[string]bool{}
	for _, a := range rec.Outputs {
		outs[a.Label] = true
	}
	c.ex.Direct(d)
	c.ex.Record(true)
	defer func() { c.ex.Direct(nil); c.ex.Record(false) }()
	tmp := new(S)
	enabled := false
	var alts [][]Arg
	seen := map[string]bool{}
	var perr error
	c.ex.Enumerate(op.action, s, tmp, func(r machine.Result) bool {
		if r.Err != nil {
			perr = r.Err
			return false
		}
		enabled = true
		var alt []Arg
		for _, p := range r.Picks {
			if !outs[p.Label] {
				continue
			}
			v, err := itf.Marshal(p.Value)
			if err != nil {
				perr = err
				return false
			}
			alt = append(alt, Arg{p.Label, v})
		}
		key := fmt.Sprint(alt)
		if len(alt) > 0 && !seen[key] {
			seen[key] = true
			alts = append(alts, alt)
		}
		return len(alts) < maxAllowed
	})
	if perr != nil {
		return false, nil, fmt.Errorf("linearize: model %s: %w", c.mc.Name(), perr)
	}
	return enabled, alts, nil
}
