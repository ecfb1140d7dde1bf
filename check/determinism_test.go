package check_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
)

// chooser writes TLA+'s CHOOSE the tempting Go way: the first key a range
// over a map yields, which Go randomises.
type chooser struct {
	N    int
	Last string
}

func chooserModel() *execspec.Model[chooser] {
	keys := map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true, "f": true, "g": true, "h": true}
	m := execspec.NewModel[chooser]("chooser")
	m.Init(func(c *execspec.Ctx[chooser]) {})
	m.Action("choose", func(c *execspec.Ctx[chooser]) {
		if !c.Assume(c.S.N < 40) {
			return
		}
		c.S.N++
		for k := range keys {
			c.S.Last = k
			break
		}
	})
	m.Invariant("anything", func(*chooser) bool { return true })
	return m
}

// The check catches a nondeterministic action during the search, for every
// strategy, instead of reporting a clean result; turned off, it does not.
func TestNondeterminismDetected(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := run(t, chooserModel(), check.Options{Strategy: strategy, Seed: 3})
		if res.Complete || res.Stopped != findings.StoppedNondeterminism {
			t.Fatalf("%s: complete=%v stopped=%s; want stopped on nondeterminism", strategy, res.Complete, res.Stopped)
		}
		if len(res.Findings) == 0 || res.Findings[0].Kind != findings.Nondeterministic {
			t.Fatalf("%s: findings %+v", strategy, res.Findings)
		}
		var nd *check.NondeterminismError
		if !errors.As(res.Findings[0].Err, &nd) || nd.Action != "choose" {
			t.Fatalf("%s: error %v", strategy, res.Findings[0].Err)
		}
		if len(nd.Changes) == 0 || nd.Changes[0].Path != "Last" {
			t.Errorf("%s: changes %+v; want Last", strategy, nd.Changes)
		}
		if msg := nd.Error(); !strings.Contains(msg, "Go map") {
			t.Errorf("%s: message does not name the likely cause: %s", strategy, msg)
		}
	}
	res := run(t, chooserModel(), check.Options{NoDeterminismCheck: true})
	if res.Stopped == findings.StoppedNondeterminism {
		t.Errorf("NoDeterminismCheck: still checked")
	}
}

// Deterministic models are not flagged: the check re-executes every new
// state's transition and finds the same successor.
func TestDeterministicModelPasses(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := run(t, counterModel(5, false), check.Options{Strategy: strategy, Seed: 1})
		if !res.Complete || res.Stats.Distinct != 6 {
			t.Errorf("%s: complete=%v (%s), %d distinct", strategy, res.Complete, res.Stopped, res.Stats.Distinct)
		}
	}
}

// symChooser's action picks a process the Go way (the first key of a map
// range) and marks it: each pick gives a state that renaming the processes
// maps onto the others, so the fingerprints under symmetry agree. The
// check still sees that the action is not a function of its state.
type symChooser struct {
	N      int
	Marked [3]bool
}

func TestNondeterminismDetectedUnderSymmetry(t *testing.T) {
	procs := map[int]bool{0: true, 1: true, 2: true}
	m := execspec.NewModel[symChooser]("symchooser")
	m.Init(func(c *execspec.Ctx[symChooser]) {})
	m.Action("mark", func(c *execspec.Ctx[symChooser]) {
		if !c.Assume(c.S.N < 30) {
			return
		}
		c.S.N++
		c.S.Marked = [3]bool{}
		for p := range procs {
			c.S.Marked[p] = true
			break
		}
	})
	m.Invariant("anything", func(*symChooser) bool { return true })
	m.Symmetry("procs", 3, func(s *symChooser, perm []int) {
		var r [3]bool
		for i, v := range s.Marked {
			r[perm[i]] = v
		}
		s.Marked = r
	})
	for _, strategy := range check.Strategies() {
		res := run(t, m, check.Options{Strategy: strategy, Seed: 3})
		if res.Stopped != findings.StoppedNondeterminism {
			t.Errorf("%s: complete=%v stopped=%s; want stopped on nondeterminism", strategy, res.Complete, res.Stopped)
		}
	}
}

// stamper's action stamps its successor with a counter kept outside the
// state: every execution gives another state. With the determinism check
// off, the search reports a finding whose path does not replay; that is
// reported as the model's nondeterminism, naming the action and what
// differed, never as an internal error.
type stamper struct {
	N     int
	Stamp int
}

func stamperModel() *execspec.Model[stamper] {
	calls := 0
	m := execspec.NewModel[stamper]("stamper")
	m.Init(func(c *execspec.Ctx[stamper]) {})
	m.Action("step", func(c *execspec.Ctx[stamper]) {
		if !c.Assume(c.S.N < 5) {
			return
		}
		c.S.N++
		calls++
		c.S.Stamp = calls
	})
	m.Invariant("small", func(s *stamper) bool { return s.N < 3 })
	return m
}

func TestUnreplayablePathIsNondeterminism(t *testing.T) {
	for _, strategy := range check.Strategies() {
		res := run(t, stamperModel(), check.Options{Strategy: strategy, NoDeterminismCheck: true, NoShrink: true, Workers: 1})
		if len(res.Findings) != 1 || res.Findings[0].Kind != findings.Nondeterministic || res.Stopped != findings.StoppedNondeterminism || res.Complete {
			t.Fatalf("%s: stopped %s, findings %+v; want one nondeterminism finding", strategy, res.Stopped, res.Findings)
		}
		var nd *check.NondeterminismError
		if !errors.As(res.Findings[0].Err, &nd) || nd.Action != "step" || len(nd.Changes) == 0 || nd.Changes[0].Path != "Stamp" {
			t.Fatalf("%s: error %v", strategy, res.Findings[0].Err)
		}
	}
}
