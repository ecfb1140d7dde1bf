// Package crosscheck runs the engines and the reference semantics (package
// reference) on one model and lists every way they disagree: each
// exhaustive search configuration (BFS on one and two workers, DFS, random
// DFS; with and without symmetry, the determinism check and the data-pick
// reduction) must store exactly the reference's states (compared by their
// reference keys, not by count), BFS at the reference's depths, with its
// generated count, and report the reference's first finding (a step
// invariant's included); every step of random walks (simulation's
// successor choice, uniform and swarm) must be a step of the reference
// semantics that no action constraint excludes.
//
// The tests of the examples and of generated models call Check; the
// command's `check --reference` calls Compare.
package crosscheck

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/reference"
)

// ErrTooLarge is the error (wrapped) of a model too large for
// Options.MaxStates.
var ErrTooLarge = errors.New("too large to compare with the reference semantics")

// DefaultMaxStates is the default of Options.MaxStates.
const DefaultMaxStates = 50_000

// Options configures Compare. The zero value compares every configuration
// on models of up to DefaultMaxStates states.
type Options struct {
	// Property is the invariant or example whose verdicts are compared
	// (empty: every invariant).
	Property string
	// MaxStates bounds the reference's exploration: a larger model is an
	// error (default DefaultMaxStates).
	MaxStates int
	// Quick compares BFS on one worker and DFS only (with and without the
	// model's symmetry), and fewer walks.
	Quick bool
	// Sample, when not 0, compares BFS on one worker and one other
	// configuration of the full list, number Sample modulo its length:
	// a corpus of models, each with its own Sample, covers every
	// configuration at the cost of two.
	Sample int
	// Walks random walks of WalkSteps steps each are checked step by step
	// (defaults 16 and 40; 4 and 20 when Quick).
	Walks, WalkSteps int
	_                struct{}
}

// Report is what Compare found.
type Report struct {
	// States, Generated and Depth are the reference's figures (without
	// symmetry, with the data-pick reduction).
	States    int
	Generated int64
	Depth     int
	// Configs names the configurations compared.
	Configs []string
	// Problems lists each disagreement, naming its configuration.
	Problems []string
}

// Check runs Compare and reports each problem as a test error, logging
// the configurations compared under -v.
func Check[S any](t testing.TB, mc *machine.Machine[S], opts Options) *Report {
	t.Helper()
	rep, err := Compare(t.Context(), mc, opts)
	if err != nil {
		t.Fatalf("crosscheck %s: %v", mc.Name(), err)
	}
	t.Logf("crosscheck %s: %d states, %d generated, depth %d; %d configurations: %s", mc.Name(), rep.States, rep.Generated, rep.Depth, len(rep.Configs), strings.Join(rep.Configs, "; "))
	for _, p := range rep.Problems {
		t.Errorf("crosscheck %s: %s", mc.Name(), p)
	}
	return rep
}

// config is one exhaustive search configuration.
type config struct {
	name string
	opts check.Options
	sym  bool // compared with the reference under symmetry
	data bool // compared with the reference with the data-pick reduction
}

// Compare runs the reference semantics and the engines on mc and reports
// where they disagree. It returns an error when a run fails outright (a
// model the reference refuses, one too large for MaxStates: ErrTooLarge)
// or ctx ends first (its error).
func Compare[S any](ctx context.Context, mc *machine.Machine[S], opts Options) (*Report, error) {
	if opts.MaxStates <= 0 {
		opts.MaxStates = DefaultMaxStates
	}
	if opts.Walks <= 0 {
		opts.Walks = 16
		if opts.Quick {
			opts.Walks = 4
		}
	}
	if opts.WalkSteps <= 0 {
		opts.WalkSteps = 40
		if opts.Quick {
			opts.WalkSteps = 20
		}
	}
	c := &comparer[S]{ctx: ctx, mc: mc, opts: opts, refs: map[[2]bool]*reference.Result{}, keys: map[[2]string]string{}, rep: &Report{}}
	base, err := c.reference(false, true)
	if err != nil {
		return nil, err
	}
	c.rep.States, c.rep.Generated = len(base.States), base.Generated
	for _, s := range base.States {
		c.rep.Depth = max(c.rep.Depth, s.Depth)
	}
	if len(base.States) == 0 {
		// Nothing to explore (every initial state is disabled or outside
		// the constraints): a search must say so, not report success,
		// whatever it finds on the states outside.
		c.rep.Configs = append(c.rep.Configs, "bfs workers=1")
		if res, err := check.Run(ctx, mc, check.Options{Workers: 1, ExploreOnly: true}); err == nil {
			c.problem("bfs workers=1", "the reference has no state to explore; the search reports %d states, complete %v", res.Stats.Distinct, res.Complete)
		}
		return c.rep, nil
	}
	for _, cf := range c.configs() {
		if _, err := c.reference(cf.sym, cf.data); errors.Is(err, ErrTooLarge) {
			// Without the data-pick reduction, say, the model is too
			// large for the reference: that variant is not compared.
			continue
		}
		c.rep.Configs = append(c.rep.Configs, cf.name)
		if err := c.compareStates(cf); err != nil {
			return nil, err
		}
		if err := c.compareFinding(cf); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			// A search cut short by the context is no disagreement.
			return nil, err
		}
	}
	c.rep.Configs = append(c.rep.Configs, "walks")
	if err := c.compareWalks(); err != nil {
		return nil, err
	}
	return c.rep, ctx.Err()
}

type comparer[S any] struct {
	ctx  context.Context
	mc   *machine.Machine[S]
	opts Options
	refs map[[2]bool]*reference.Result // by (symmetry, data)
	// keys are the reference keys of the encodings the searches stored,
	// by the symmetry and data settings they were keyed with.
	keys map[[2]string]string
	rep  *Report
}

func (c *comparer[S]) problem(cf, format string, args ...any) {
	c.rep.Problems = append(c.rep.Problems, cf+": "+fmt.Sprintf(format, args...))
}

// reference returns the reference's exploration with the given symmetry
// and data-pick reduction, computing it once.
func (c *comparer[S]) reference(sym, data bool) (*reference.Result, error) {
	sym = sym && len(c.mc.Symmetries()) > 0
	data = data && len(c.mc.DataPicks()) > 0
	if r, ok := c.refs[[2]bool{sym, data}]; ok {
		return r, nil
	}
	// The engine sizes the instance first: the reference, slow on purpose,
	// would take long to find out that it is too large. A variant
	// (without the data-pick reduction, say) is compared only when it is
	// at most variantFactor times the base instance.
	limit := c.opts.MaxStates
	if base, ok := c.refs[[2]bool{false, len(c.mc.DataPicks()) > 0}]; ok {
		limit = min(limit, variantFactor*len(base.States)+variantSlack)
	}
	size, err := check.Run(c.ctx, c.mc, check.Options{ExploreOnly: true, NoTemporal: true, NoDeterminismCheck: true, NoSymmetry: !sym, AllData: !data, Workers: 1, MaxStates: int64(limit) + 1})
	if err == nil && !size.Complete && size.Stopped == findings.StoppedMaxStates {
		return nil, c.tooLarge(sym, data, limit)
	}
	r, err := reference.Explore(c.ctx, c.mc, reference.Options{Property: c.opts.Property, Symmetry: sym, Data: data, Deadlock: true, MaxStates: limit + 1})
	if err != nil {
		return nil, err
	}
	if !r.Complete || len(r.States) > limit {
		return nil, c.tooLarge(sym, data, limit)
	}
	c.refs[[2]bool{sym, data}] = r
	return r, nil
}

// fullMatrix is the largest model on which every configuration runs;
// above it, BFS (one and two workers) and DFS run, and the variants on
// BFS with one worker only.
const fullMatrix = 5000

// A variant of the model (under symmetry, without the data-pick
// reduction) is compared when it has at most variantFactor times the base
// instance's states, plus variantSlack.
const (
	variantFactor = 8
	variantSlack  = 200
)

// tooLarge is the error of a model with more states than limit.
func (c *comparer[S]) tooLarge(sym, data bool, limit int) error {
	how := ""
	switch {
	case sym:
		how = " (orbits under symmetry)"
	case !data && len(c.mc.DataPicks()) > 0:
		how = " without the data-pick reduction"
	}
	return fmt.Errorf("model %s has more than %d states%s: %w", c.mc.Name(), limit, how, ErrTooLarge)
}

// configs lists the configurations to compare: each strategy with the
// model's defaults, and the variants without symmetry (when the model
// declares it), without the determinism check and without the data-pick
// reduction (when the model declares data picks).
func (c *comparer[S]) configs() []config {
	all := c.allConfigs()
	if c.opts.Sample == 0 || len(all) <= 2 {
		return all
	}
	return []config{all[0], all[1+(c.opts.Sample-1)%(len(all)-1)]}
}

// allConfigs lists every configuration compared without Options.Sample.
func (c *comparer[S]) allConfigs() []config {
	hasSym := len(c.mc.Symmetries()) > 0
	hasData := len(c.mc.DataPicks()) > 0
	type strategy struct {
		name     string
		opts     check.Options
		variants bool
	}
	strategies := []strategy{
		{"bfs workers=1", check.Options{Strategy: check.BFS, Workers: 1}, true},
		{"bfs workers=2", check.Options{Strategy: check.BFS, Workers: 2}, false},
		// Every level waits in a temporary file (a frontier spilled).
		{"bfs workers=2 spilled", check.Options{Strategy: check.BFS, Workers: 2, Spill: 1}, false},
		{"dfs", check.Options{Strategy: check.DFS}, true},
		{"random-dfs seed=1", check.Options{Strategy: check.RandomDFS, Seed: 1}, false},
		{"random-dfs seed=2", check.Options{Strategy: check.RandomDFS, Seed: 2}, false},
		// 128-bit fingerprints: DFS keeps their halves apart on its stack.
		{"random-dfs seed=3 fp128", check.Options{Strategy: check.RandomDFS, Seed: 3, Fingerprint128: true}, false},
	}
	switch {
	case c.opts.Quick:
		strategies = []strategy{strategies[0], strategies[3]}
	case c.rep.States <= fullMatrix:
		for i := range strategies {
			strategies[i].variants = true
		}
	default:
		// Larger models: each strategy once, the variants on BFS.
		strategies = strategies[:4]
		strategies[3].variants = false
	}
	var out []config
	for _, st := range strategies {
		out = append(out, config{name: st.name, opts: st.opts, sym: hasSym, data: true})
		if hasSym && (st.variants || c.opts.Quick) {
			o := st.opts
			o.NoSymmetry = true
			out = append(out, config{name: st.name + " no-symmetry", opts: o, data: true})
		}
		if !st.variants || c.opts.Quick {
			continue
		}
		o := st.opts
		o.NoDeterminismCheck = true
		out = append(out, config{name: st.name + " no-determinism-check", opts: o, sym: hasSym, data: true})
		if hasData {
			o := st.opts
			o.AllData = true
			out = append(out, config{name: st.name + " all-data", opts: o, sym: hasSym})
		}
	}
	return out
}

// compareStates runs cf exploring only, and compares the states it
// stores with the reference's.
func (c *comparer[S]) compareStates(cf config) error {
	ref, err := c.reference(cf.sym, cf.data)
	if err != nil {
		return err
	}
	sem := reference.New(c.mc, cf.sym, cf.data)
	var mu sync.Mutex
	depths := map[string]int{}
	var twice, bad []string
	// A model the reference finds nothing in is explored judging its
	// properties: the one search then compares both the states and the
	// verdict (compareFinding has nothing left to do).
	judging := !hasFindings(ref)
	opts := cf.opts
	opts.ExploreOnly = !judging
	opts.Property = ""
	if judging {
		opts.Property = c.opts.Property
	}
	opts.NoTemporal = true
	opts.NoRefinement = true // it would turn symmetry off
	dec := c.mc.NewDecoder()
	opts.Visit = func(enc []byte, depth int) {
		mu.Lock()
		defer mu.Unlock()
		// Configurations store the same states, as the same encodings:
		// each is decoded and keyed once.
		k, ok := c.keys[[2]string{fmt.Sprint(cf.sym, cf.data), string(enc)}]
		if !ok {
			var s S
			if err := dec.Decode(enc, &s); err != nil {
				bad = append(bad, err.Error())
				return
			}
			var err error
			if k, err = sem.Key(&s); err != nil {
				bad = append(bad, err.Error())
				return
			}
			c.keys[[2]string{fmt.Sprint(cf.sym, cf.data), string(enc)}] = k
		}
		if _, dup := depths[k]; dup {
			twice = append(twice, k)
		}
		depths[k] = depth
	}
	res, err := check.Run(c.ctx, c.mc, opts)
	if err != nil {
		c.problem(cf.name, "search failed: %v", err)
		return nil
	}
	if !res.Complete {
		c.problem(cf.name, "search stopped (%s) with %d states", res.Stopped, res.Stats.Distinct)
	}
	for _, f := range res.Findings {
		c.problem(cf.name, "reports %s %q (%v); the reference finds nothing", f.Kind, f.Property, f.Err)
	}
	for _, b := range bad {
		c.problem(cf.name, "a stored state does not decode or rename: %s", b)
	}
	if len(twice) > 0 {
		c.problem(cf.name, "%d states stored twice, e.g. %s", len(twice), short(twice[0]))
	}
	var missing, extra, deeper []string
	for _, st := range ref.States {
		d, ok := depths[st.Key]
		switch {
		case !ok:
			missing = append(missing, st.Key)
		case cf.opts.Strategy == check.BFS && d != st.Depth:
			deeper = append(deeper, fmt.Sprintf("%s at depth %d, want %d", short(st.Key), d, st.Depth))
		}
	}
	for k := range depths {
		if _, ok := ref.Index[k]; !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		c.problem(cf.name, "%d of the reference's %d states not reached, e.g. %s", len(missing), len(ref.States), short(missing[0]))
	}
	if len(extra) > 0 {
		c.problem(cf.name, "%d states the reference does not reach, e.g. %s", len(extra), short(extra[0]))
	}
	if len(deeper) > 0 {
		c.problem(cf.name, "%d states at another depth, e.g. %s", len(deeper), deeper[0])
	}
	if res.Stats.Distinct != int64(len(ref.States)) {
		c.problem(cf.name, "%d distinct states, the reference %d", res.Stats.Distinct, len(ref.States))
	}
	if res.Stats.Generated != ref.Generated {
		c.problem(cf.name, "%d states generated, the reference %d", res.Stats.Generated, ref.Generated)
	}
	if cf.opts.Strategy == check.BFS {
		depth := 0
		for _, st := range ref.States {
			depth = max(depth, st.Depth)
		}
		if res.Stats.Depth != depth {
			c.problem(cf.name, "depth %d, the reference %d", res.Stats.Depth, depth)
		}
	}
	return nil
}

// compareFinding runs cf on the property compared, stopping at the first
// finding, and compares it with the reference's: BFS must report the
// reference's first one with a shortest trace; the depth-first
// strategies one of the reference's findings; and a clean search must be
// clean for the reference too.
func (c *comparer[S]) compareFinding(cf config) error {
	ref, err := c.reference(cf.sym, cf.data)
	if err != nil {
		return err
	}
	if !hasFindings(ref) {
		return nil // compared by compareStates
	}
	var want []reference.Finding
	for _, f := range ref.Findings {
		if f.Kind != findings.Deadlocked {
			want = append(want, f)
		}
	}
	opts := cf.opts
	opts.Property = c.opts.Property
	opts.NoTemporal = true
	opts.NoRefinement = true // it would turn symmetry off
	opts.MaxFindings = 1
	// A depth-first finding is shrunk (by re-execution) before it is
	// reported: once, on plain DFS, is enough to compare a shrunk finding.
	opts.NoShrink = cf.name != "dfs"
	res, err := check.Run(c.ctx, c.mc, opts)
	if err != nil {
		c.problem(cf.name, "search for findings failed: %v", err)
		return nil
	}
	if len(res.Findings) == 0 {
		if len(want) > 0 {
			c.problem(cf.name, "no finding; the reference finds %s %s at depth %d", want[0].Kind, want[0].Property, want[0].Depth)
		} else if !res.Complete {
			c.problem(cf.name, "search for findings stopped (%s)", res.Stopped)
		}
		return nil
	}
	f := res.Findings[0]
	if len(want) == 0 {
		c.problem(cf.name, "reports %s %s (%v); the reference finds nothing", f.Kind, f.Property, f.Err)
		return nil
	}
	sem := reference.New(c.mc, cf.sym, cf.data)
	key, err := c.lastKey(sem, f)
	if err != nil {
		c.problem(cf.name, "the %s finding's trace: %v", f.Kind, err)
		return nil
	}
	steps := len(f.Trace.Steps) - 1
	if cf.opts.Strategy == check.BFS {
		w := want[0]
		wantSteps := w.Depth - 1
		if w.Kind == findings.Panicked && w.Property == "" {
			// A panic in init or an action: the trace shows the panicking
			// step on top of the state it ran from (Depth 0 for init).
			wantSteps = w.Depth
		}
		if f.Kind != w.Kind || f.Property != w.Property || key != w.Key || steps != wantSteps {
			c.problem(cf.name, "first finding %s %q in %d steps at %s; the reference's is %s %q in %d steps at %s", f.Kind, f.Property, steps, short(key), w.Kind, w.Property, wantSteps, short(w.Key))
		}
		return nil
	}
	for _, w := range want {
		if f.Kind == w.Kind && f.Property == w.Property && key == w.Key {
			return nil
		}
	}
	c.problem(cf.name, "reports %s %q at %s, which the reference does not find", f.Kind, f.Property, short(key))
	return nil
}

// hasFindings reports whether the reference finds something other than a
// deadlock (which the searches compared do not look for).
func hasFindings(ref *reference.Result) bool {
	for _, f := range ref.Findings {
		if f.Kind != findings.Deadlocked {
			return true
		}
	}
	return false
}

// lastKey returns the reference key of the last state of a finding's
// trace, read back from its ITF values.
func (c *comparer[S]) lastKey(sem *reference.Semantics[S], f findings.Finding) (string, error) {
	if f.Trace == nil || len(f.Trace.Steps) == 0 {
		return "", fmt.Errorf("no trace")
	}
	if f.Kind == findings.Panicked && len(f.Trace.Steps) == 1 && f.Property == "" {
		return "", nil // a panic in init: no state it ran from
	}
	s, err := c.mc.FromITF(f.Trace.Steps[len(f.Trace.Steps)-1].State)
	if err != nil {
		return "", err
	}
	return sem.Key(&s)
}

// compareWalks checks random walks, uniform and swarm, step by step: each
// state reached must be one the reference reaches (for a model without
// constraints, which walks ignore), each step must be the reference
// semantics' step with the same choices, and a walk ends in a deadlock
// only where the reference finds one.
func (c *comparer[S]) compareWalks() error {
	// Walks draw data picks like any other: for a model that declares
	// some, the states they reach are the reference's without the
	// data-pick reduction, which is not explored for them alone; their
	// steps are still checked.
	var ref *reference.Result
	if len(c.mc.DataPicks()) == 0 {
		var err error
		if ref, err = c.reference(false, true); err != nil {
			return err
		}
	}
	deadlocked := map[int]bool{}
	if ref != nil {
		for _, i := range ref.Deadlocked {
			deadlocked[i] = true
		}
	}
	// Walks ignore constraints: they may leave the reference's states.
	bounded := ref == nil || len(c.mc.PropertiesOf(machine.Constraint)) > 0
	sem := reference.New(c.mc, false, true)
	walk := engine.NewWalk(c.mc, 0)
	for w := 0; w < c.opts.Walks; w++ {
		name := fmt.Sprintf("walk %d", w)
		if w%2 == 1 {
			walk.SetChoice(engine.SwarmChoice(len(c.mc.Actions()), 1, uint64(w)))
			name += " (swarm)"
		} else {
			walk.SetChoice(engine.Choice{})
		}
		rnd := rng.New(1, uint64(w))
		res := walk.Start(rnd)
		if res.Err != nil || !res.Enabled {
			continue // init panics or is disabled: the searches report it
		}
		prev := sem.Fresh(walk.State())
		for step := 1; step <= c.opts.WalkSteps; step++ {
			k, err := sem.Key(prev)
			if err != nil {
				return err
			}
			i, known := -1, false
			if ref != nil {
				i, known = ref.Index[k]
			}
			if !known && !bounded {
				c.problem(name, "step %d: a state the reference does not reach: %s", step-1, short(k))
				break
			}
			a, res := walk.Step(rnd)
			if a < 0 {
				// With action constraints, a walk also stops where every
				// step is excluded, which is no deadlock.
				if known && !deadlocked[i] && len(c.mc.ActionConstraints()) == 0 {
					c.problem(name, "step %d: the walk finds no enabled action; the reference's state has successors: %s", step, short(k))
				}
				break
			}
			got, want := sem.Step(prev, a, res.Path)
			if res.Err != nil {
				if want.Err == nil {
					c.problem(name, "step %d: action %s panicked (%v); the reference's step does not", step, c.mc.ActionName(a), res.Err)
				}
				break
			}
			if !want.Enabled {
				c.problem(name, "step %d: action %s with choices %v is disabled for the reference", step, c.mc.ActionName(a), res.Path)
				break
			}
			gk, err := sem.Key(got)
			if err != nil {
				return err
			}
			wk, err := sem.Key(walk.State())
			if err != nil {
				return err
			}
			if gk != wk {
				c.problem(name, "step %d: action %s with choices %v gives %s; the reference's step gives %s", step, c.mc.ActionName(a), res.Path, short(wk), short(gk))
				break
			}
			if ok, _, _ := c.mc.Allowed(prev, got); !ok {
				c.problem(name, "step %d: action %s with choices %v takes a step an action constraint excludes", step, c.mc.ActionName(a), res.Path)
				break
			}
			prev = sem.Fresh(walk.State())
		}
	}
	return nil
}

// short abbreviates a state key for a message.
func short(k string) string {
	if len(k) > 300 {
		return k[:300] + "..."
	}
	return k
}
