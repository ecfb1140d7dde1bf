package execspec

import (
	"fmt"
	"math"
)

// Weight sets how often random walks (simulation, model-based testing's
// random traces) choose action name when it is enabled, relative to the
// other enabled actions: every action weighs 1 unless declared otherwise,
// so a crash or a timer tick declared with weight 0.1 is taken ten times
// less often than an ordinary action when both are enabled. A weight
// changes nothing for exhaustive search, which takes every action. Weights
// must be positive and finite; the action must be declared before.
func (m *Model[S]) Weight(name string, w float64) {
	if w <= 0 || math.IsNaN(w) || math.IsInf(w, 0) {
		m.errs = append(m.errs, fmt.Errorf("weight of action %q is %v: weights must be positive and finite", name, w))
		return
	}
	for i := range m.actions {
		if m.actions[i].name == name {
			m.actions[i].weight = w
			return
		}
	}
	m.errs = append(m.errs, fmt.Errorf("weight for unknown action %q (declare the action first)", name))
}
