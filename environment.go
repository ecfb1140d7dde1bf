package execspec

import "fmt"

// Environment declares actions that are the environment's, not the
// system's: a clock tick, a crash, a lost message. The system cannot
// refuse them, so model-based testing never proposes one the model does
// not allow, and a driver that refuses one is failing to drive (an error
// of the test, not a divergence of the implementation). Declare the
// actions first.
func (m *Model[S]) Environment(names ...string) {
	for _, name := range names {
		found := false
		for i := range m.actions {
			if m.actions[i].name == name {
				m.actions[i].environment, found = true, true
			}
		}
		if !found {
			m.errs = append(m.errs, fmt.Errorf("environment action %q is not declared (declare the action first)", name))
		}
	}
}
