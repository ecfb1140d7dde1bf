package linearize

import (
	"fmt"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
)

// walkBudget bounds the executions of one step of WalkHistory's walk.
const walkBudget = 10000

// WalkHistory returns a history that is linearizable by construction, for
// benchmarks and tests of the checker: a seeded random walk of ops steps of
// m, dealt round-robin to clients, each operation overlapping the calls of
// the next clients-1 operations, with the values of the picks labelled in
// outputs recorded as observed outputs and the walk's last state as the
// observed final state.
func WalkHistory[S any](m *execspec.Model[S], clients, ops int, seed uint64, outputs []string) (*History, error) {
	if clients <= 0 || ops < 0 {
		return nil, fmt.Errorf("linearize: WalkHistory: %d clients and %d operations", clients, ops)
	}
	mc, err := machine.Compile(m)
	if err != nil {
		return nil, fmt.Errorf("linearize: %w", err)
	}
	out := map[string]bool{}
	for _, l := range outputs {
		out[l] = true
	}
	args := func(picks []machine.Pick, want bool) ([]Arg, error) {
		var as []Arg
		for _, p := range picks {
			if out[p.Label] != want {
				continue
			}
			v, err := itf.Marshal(p.Value)
			if err != nil {
				return nil, fmt.Errorf("linearize: pick %s: %w", p.Label, err)
			}
			as = append(as, Arg{p.Label, v})
		}
		return as, nil
	}
	rnd := rng.New(seed, 0)
	w := engine.NewWalk(mc, walkBudget)
	w.Executor().Record(true)
	res := w.Start(rnd)
	if res.Err != nil || !res.Enabled {
		return nil, fmt.Errorf("linearize: model %s: init cannot run", mc.Name())
	}
	h := &History{Model: mc.Name(), Clients: clients, Seed: seed}
	if h.Init, err = args(res.Picks, false); err != nil {
		return nil, err
	}
	span := int64(3*(clients-1) + 1)
	for k := 0; k < ops; k++ {
		a, res := w.Step(rnd)
		if a < 0 {
			break
		}
		if res.Err != nil {
			return nil, fmt.Errorf("linearize: model %s: %w", mc.Name(), res.Err)
		}
		op := Operation{Client: k % clients, Action: mc.ActionName(a), Call: int64(3 * k), Return: int64(3*k) + span}
		if op.Inputs, err = args(res.Picks, false); err != nil {
			return nil, err
		}
		if op.Outputs, err = args(res.Picks, true); err != nil {
			return nil, err
		}
		h.Ops = append(h.Ops, op)
	}
	if h.Final, err = mc.ToITF(w.State()); err != nil {
		return nil, fmt.Errorf("linearize: final state: %w", err)
	}
	return h, nil
}
