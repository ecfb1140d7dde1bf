package linearize

// Schedule is the interleaving a controlled run followed: the client the
// scheduler let run at each of its steps (a step ends when the running
// client reaches a yield point, finishes, or blocks). Saved with a failing
// history, it replays the interleaving.
type Schedule struct {
	// Scheduler is the scheduler that chose it ("random" or "pct").
	Scheduler string `json:"scheduler"`
	// Steps are the clients run, one per step.
	Steps []int `json:"steps"`
	// At is, for each step, the yield point the client resumed from
	// ("start" and "operation" are the scheduler's own, before each
	// operation): what a reader of a failure needs to see where the
	// clients were interleaved. Replay reads Steps only.
	At []string `json:"at,omitempty"`
	// Points is how many yield points of the implementation the clients
	// reached (the scheduler's own, between operations, not counted): 0
	// says the build has none (see package mbt/yield's build tag).
	Points int `json:"points"`
}

// Switches returns the indices of Steps where the client changes.
func (s *Schedule) Switches() []int {
	var out []int
	for i := 1; i < len(s.Steps); i++ {
		if s.Steps[i] != s.Steps[i-1] {
			out = append(out, i)
		}
	}
	return out
}
