package check

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/examples/allocator"
	"github.com/execspec/execspec/examples/alternatingbit"
	"github.com/execspec/execspec/examples/diningphilosophers"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/ewd840"
	"github.com/execspec/execspec/examples/realtimehourclock"
	"github.com/execspec/execspec/examples/syncterm"
	"github.com/execspec/execspec/examples/tcp"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/genmodel"
	"github.com/execspec/execspec/internal/longtest"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
)

// The behaviour graph the breadth-first search builds as it goes
// (bfsGraph) must be the graph buildGraph builds by an exploration of its
// own, field by field, with any number of workers: findings, traces and
// output then stay the same.

// graphWorkers are the worker counts each comparison runs.
var graphWorkers = []int{1, 2, 4}

// compareGraphs builds mc's behaviour graph with buildGraph and with the
// breadth-first search (with each of graphWorkers), invariants not
// judged, and reports the differences. It returns false, comparing
// nothing, when buildGraph stops at opts.MaxStates.
func compareGraphs[S any](t *testing.T, mc *machine.Machine[S], opts Options) bool {
	t.Helper()
	opts.NoSymmetry = true
	searcher := func(workers int) *searcher[S] {
		o := opts
		o.Workers = workers
		if _, err := o.fill(); err != nil {
			t.Fatal(err)
		}
		e, err := newSearcher(mc, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.temporal) == 0 {
			t.Fatalf("model %s: no temporal property", mc.Name())
		}
		e.props, e.steps = nil, nil // a clean safety search, whatever the invariants
		return e
	}
	e := searcher(1)
	want, stop, failure, err := buildGraph(t.Context(), e, e.temporalFormulas())
	if err != nil {
		t.Fatal(err)
	}
	if stop != findings.Exhausted {
		return false
	}
	want.classes = slices.Clip(want.classes)
	for _, w := range graphWorkers {
		s, err := runBFS(t.Context(), searcher(w))
		if err != nil {
			t.Fatal(err)
		}
		if s.stopped == findings.StoppedMaxDepth && opts.MaxDepth > 0 {
			continue // states beyond the bound: no graph to compare
		}
		if s.stopped != findings.Exhausted || len(s.findings) > 0 {
			t.Fatalf("workers %d: the search stopped (%s) with %d findings", w, s.stopped, len(s.findings))
		}
		if failure != nil {
			if s.graph != nil {
				t.Errorf("workers %d: a graph, though buildGraph stops at a panic (%v)", w, failure.err)
			}
			continue
		}
		if s.graph == nil {
			t.Fatalf("workers %d: the search built no graph", w)
		}
		if d := graphDiff(want, s.graph); d != "" {
			t.Errorf("workers %d: the graphs differ: %s", w, d)
		}
	}
	return true
}

// graphDiff describes the first difference between two graphs, "" when
// they are the same.
func graphDiff(want, got *graph) string {
	if want.n != got.n || want.npred != got.npred {
		return fmt.Sprintf("%d states, %d predicate bits; want %d, %d", got.n, got.npred, want.n, want.npred)
	}
	if want.rec.n != got.rec.n {
		return fmt.Sprintf("%d records, want %d", got.rec.n, want.rec.n)
	}
	for i := int64(0); i < want.rec.n; i++ {
		if w, g := want.rec.get(i), got.rec.get(i); w != g {
			return fmt.Sprintf("record %d: %+v, want %+v", i, g, w)
		}
	}
	for _, f := range []struct {
		name      string
		want, got []uint32
	}{
		{"off", want.off, got.off}, {"to", want.to, got.to}, {"ord", want.ord, got.ord},
		{"lab", want.lab, got.lab}, {"enabled", want.enabled, got.enabled},
	} {
		if !slices.Equal(f.want, f.got) {
			return fmt.Sprintf("%s: %v, want %v", f.name, head(f.got), head(f.want))
		}
	}
	if !slices.Equal(want.preds, got.preds) {
		return fmt.Sprintf("preds: %x, want %x", head(got.preds), head(want.preds))
	}
	if !slices.Equal(want.drop, got.drop) || (want.drop == nil) != (got.drop == nil) {
		return fmt.Sprintf("drop: %x, want %x", head(got.drop), head(want.drop))
	}
	if !reflect.DeepEqual(want.sets, got.sets) {
		return fmt.Sprintf("sets: %v, want %v", got.sets, want.sets)
	}
	if !slices.Equal(want.classes, got.classes) {
		return fmt.Sprintf("classes: %v, want %v", got.classes, want.classes)
	}
	if want.bytes() != got.bytes() {
		return fmt.Sprintf("%d bytes, want %d", got.bytes(), want.bytes())
	}
	return ""
}

// head is the start of a long slice, for messages.
func head[T any](s []T) []T { return s[:min(len(s), 40)] }

// graphState is the state of the small models below.
type graphState struct {
	X, Y int
	Done bool
}

// graphModels are small models that exercise each part of the graph:
// initial states outside the state constraints, steps an action
// constraint excludes (to states seen before too), stuttering steps,
// fairness per pick and with a condition, more than 64 predicate bits,
// and a refinement's fairness obligations (Taken).
func graphModels() map[string]*execspec.Model[graphState] {
	grid := func(jump bool, init ...int) *execspec.Model[graphState] {
		m := execspec.NewModel[graphState]("grid")
		m.Init(func(c *execspec.Ctx[graphState]) { c.S.X = execspec.OneOf(c, "x0", init) })
		m.Action("jump", func(c *execspec.Ctx[graphState]) {
			if c.Assume(jump) {
				c.S.X = 7 // outside the model
			}
		})
		m.Action("step", func(c *execspec.Ctx[graphState]) {
			if execspec.IntRange(c, "p", 0, 1) == 0 {
				c.S.X = (c.S.X + 1) % 4
			} else {
				c.S.Y = (c.S.Y + 1) % 3
			}
		})
		m.Action("noop", func(c *execspec.Ctx[graphState]) {})
		m.Action("reset", func(c *execspec.Ctx[graphState]) {
			if c.Assume(c.S.X+c.S.Y > 0) {
				c.S.X, c.S.Y = 0, 0
			}
		})
		m.Constraint("x_small", func(s *graphState) bool { return s.X < 4 })
		m.ActionConstraint("no_reset_at_2", func(before, after *graphState) bool {
			return !(before.X == 2 && after.X == 0 && after.Y == 0)
		})
		return m
	}
	models := map[string]*execspec.Model[graphState]{}

	m := grid(true, 0, 5, 1)
	m.WeakFair("step").Per("p")
	m.StrongFair("reset").When("x_is_1", func(s *graphState, _ execspec.Picks) bool { return s.X == 1 })
	m.WeakFair("jump", "noop")
	m.Temporal("x0_often", execspec.AlwaysEventually(func(s *graphState) bool { return s.X == 0 }))
	m.Temporal("y_moves", execspec.LeadsTo(func(s *graphState) bool { return s.Y == 1 }, func(s *graphState) bool { return s.Y == 2 }),
		execspec.EventuallyAlways(func(s *graphState) bool { return s.Y < 3 }))
	models["fairness and constraints"] = m

	m = grid(true, 0, 5, 1)
	m.WeakFair("step")
	var fs []execspec.Formula[graphState]
	for i := range 40 {
		fs = append(fs, execspec.LeadsToAlways(func(s *graphState) bool { return (s.X+i)%4 == 0 }, func(s *graphState) bool { return (s.Y+i)%3 == 1 }).Named(fmt.Sprint(i)))
	}
	m.Temporal("many", fs...)
	models["80 predicate bits"] = m

	m = grid(false, 0)
	m.WeakFair("step", "reset")
	high := execspec.NewModel[graphState]("high")
	high.Init(func(c *execspec.Ctx[graphState]) {})
	high.Action("move", func(c *execspec.Ctx[graphState]) {
		if c.Assume(c.S.X < 3) {
			c.S.X++
		}
	})
	high.Action("back", func(c *execspec.Ctx[graphState]) {
		if c.Assume(c.S.X > 0) {
			c.S.X = 0
		}
	})
	high.WeakFair("back")
	high.StrongFair("move")
	execspec.Refines(m, "abstract", high, func(s *graphState) graphState { return graphState{X: min(s.X, 3)} })
	models["refinement obligations"] = m
	return models
}

func TestBFSGraphEqualsBuildGraph(t *testing.T) {
	t.Run("small", func(t *testing.T) {
		for name, m := range graphModels() {
			t.Run(name, func(t *testing.T) {
				mc, err := machine.Compile(m)
				if err != nil {
					t.Fatal(err)
				}
				if !compareGraphs(t, mc, Options{}) {
					t.Fatal("the graph is incomplete")
				}
			})
		}
	})
	// A depth bound that the state space just fits in: the last level is
	// expanded only to probe for states beyond it, and its edges count.
	t.Run("depth bound", func(t *testing.T) {
		for name, m := range graphModels() {
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Run(t.Context(), mc, Options{Workers: 1, ExploreOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, md := range []int{res.Stats.Depth - 1, res.Stats.Depth} {
				t.Run(fmt.Sprintf("%s/%d", name, md), func(t *testing.T) {
					compareGraphs(t, mc, Options{MaxDepth: md})
				})
			}
		}
	})
	// The examples with temporal properties; of the DNS balancer's, the
	// smaller instance (35,574 states) and, in the long pass, the
	// flagship (148,386).
	t.Run("examples", func(t *testing.T) {
		limit := int64(40000)
		switch {
		case longtest.Enabled():
			limit = 200000
		case testing.Short():
			limit = 5000
		}
		graphExamples(t, allocator.Spec(), limit)
		graphExamples(t, alternatingbit.Spec(), limit)
		graphExamples(t, diningphilosophers.Spec(), limit)
		graphExamples(t, dnsbalancer.Spec(), limit, "n3_5_3_fixed", "n3_5_3_live")
		graphExamples(t, ewd840.Spec(), limit)
		graphExamples(t, realtimehourclock.Spec(), limit)
		graphExamples(t, syncterm.Spec(), limit)
		graphExamples(t, tcp.Spec(), limit)
	})
	t.Run("generated", func(t *testing.T) {
		r := rng.New(2026, 23)
		compared := 0
		for i := 0; compared < 40 && i < 400; i++ {
			data := make([]byte, 16+r.IntN(48))
			for j := range data {
				data[j] = byte(r.IntN(256))
			}
			m, desc := genmodel.Build(data)
			even := func(s *genmodel.State) bool { return s.N%2 == 0 }
			m.Temporal("gen", execspec.AlwaysEventually(even),
				execspec.LeadsTo(func(s *genmodel.State) bool { return len(s.Q) > 0 }, func(s *genmodel.State) bool { return s.N > 0 }),
				execspec.EventuallyAlways(even))
			m.WeakFair("a0").Per("k", "x")
			m.StrongFair("a0").When("x_is_1", func(s *genmodel.State, p execspec.Picks) bool {
				x, _ := execspec.Picked[int](p, "x")
				return x == 1
			})
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				if compareGraphs(t, mc, Options{MaxStates: 2000}) {
					compared++
				}
				if t.Failed() {
					t.Logf("model: %s", desc)
				}
			})
		}
		if compared < 40 {
			t.Errorf("%d generated models compared, want 40", compared)
		}
	})
}

// graphExamples compares the graphs of spec's instances (those named, or
// all) with temporal properties and at most limit states.
func graphExamples[S any](t *testing.T, spec *execspec.Spec[S], limit int64, only ...string) {
	for _, name := range spec.Instances() {
		if len(only) > 0 && !slices.Contains(only, name) {
			continue
		}
		t.Run(spec.Name()+"/"+name, func(t *testing.T) {
			m, err := spec.Model(name)
			if err != nil {
				t.Fatal(err)
			}
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			if len(mc.PropertiesOf(machine.Temporal)) == 0 {
				t.Skip("no temporal property")
			}
			if !compareGraphs(t, mc, Options{MaxStates: limit}) {
				t.Skipf("more than %d states", limit)
			}
		})
	}
}

// TestBFSGraphResults: a search that builds the graph as it goes reports
// what one that builds it after reports (checkpoints make it do that),
// with any number of workers: the same findings, traces and graph
// statistics, a panic in a formula's predicate included.
func TestBFSGraphResults(t *testing.T) {
	models := graphModels()
	m := execspec.NewModel[graphState]("panics")
	m.Init(func(c *execspec.Ctx[graphState]) {})
	m.Action("inc", func(c *execspec.Ctx[graphState]) {
		if c.Assume(c.S.X < 4) {
			c.S.X++
		}
	})
	m.Temporal("fine", execspec.Eventually(func(s *graphState) bool { return s.X == 4 }))
	m.Temporal("broken", execspec.Eventually(func(s *graphState) bool {
		if s.X == 3 {
			panic("three")
		}
		return false
	}))
	models["a predicate panics"] = m
	m = execspec.NewModel[graphState]("starves")
	m.Init(func(c *execspec.Ctx[graphState]) {})
	m.Action("step", func(c *execspec.Ctx[graphState]) {
		if execspec.IntRange(c, "p", 0, 1) == 0 {
			c.S.X = (c.S.X + 1) % 3
		} else {
			c.S.Y = (c.S.Y + 1) % 3
		}
	})
	m.WeakFair("step")
	m.Temporal("y_moves", execspec.AlwaysEventually(func(s *graphState) bool { return s.Y == 2 }))
	models["a violation"] = m
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			mc, err := machine.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Run(t.Context(), mc, Options{Workers: 1, MaxFindings: 3, Checkpoint: CheckpointOptions{Dir: t.TempDir()}})
			if err != nil {
				t.Fatal(err)
			}
			if want.Liveness == nil {
				t.Fatal("no temporal property checked")
			}
			for _, w := range graphWorkers {
				got, err := Run(t.Context(), mc, Options{Workers: w, MaxFindings: 3})
				if err != nil {
					t.Fatal(err)
				}
				if got.Complete != want.Complete || got.Stopped != want.Stopped {
					t.Errorf("workers %d: complete %v (%s), want %v (%s)", w, got.Complete, got.Stopped, want.Complete, want.Stopped)
				}
				if len(got.Findings) != len(want.Findings) {
					t.Fatalf("workers %d: %d findings, want %d", w, len(got.Findings), len(want.Findings))
				}
				for i, f := range got.Findings {
					wf := want.Findings[i]
					if f.Kind != wf.Kind || f.Property != wf.Property || f.Formula != wf.Formula || !reflect.DeepEqual(f.Trace, wf.Trace) {
						t.Errorf("workers %d: finding %d: %s %s #%d, want %s %s #%d, or another trace", w, i, f.Kind, f.Property, f.Formula, wf.Kind, wf.Property, wf.Formula)
					}
				}
				gl, wl := *got.Liveness, *want.Liveness
				gl.Elapsed, wl.Elapsed = 0, 0
				if !reflect.DeepEqual(gl, wl) {
					t.Errorf("workers %d: liveness %+v, want %+v", w, gl, wl)
				}
			}
		})
	}
}
