package core

import (
	"bytes"
	"fmt"
	"runtime/debug"
	"sync"
	"unsafe"

	"github.com/execspec/execspec/itf"
)

// Refinement is the definition of a refinement declared with
// execspec.Refines: the model whose state is S (the low model) implements
// a high model under a mapping from S to the high model's state. The
// property of kind Refinement that holds it carries, as its Formulas, the
// high model's temporal properties and fairness obligations mapped onto S.
type Refinement[S any] struct {
	// High is the high model's name; HighVars its variables.
	High     string
	HighVars []string
	// HighFairness are the high model's fairness declarations; Unverified
	// those of them no formula checks (see Formula.Taken), rendered.
	HighFairness []Fairness
	Unverified   []string
	// New returns a checker for one goroutine.
	New func() RefinementChecker[S]
}

// RefinementChecker checks the low model's initial states and steps
// against the high model. It is not safe for concurrent use.
type RefinementChecker[S any] interface {
	// Init reports whether the mapped state is an initial state of the
	// high model.
	Init(s *S) (RefinementStep, error)
	// Step reports whether the step from -> to maps to a step of the high
	// model or to a stuttering step; with explain, the step says which high
	// action takes it, with its picks.
	Step(from, to *S, explain bool) (RefinementStep, error)
	// Mapped returns the mapped state's variables as ITF values.
	Mapped(s *S) (map[string]itf.Value, error)
}

// RefinementStep is what the high model says of one mapped step (or
// initial state).
type RefinementStep struct {
	OK      bool
	Stutter bool   // the mapped state did not change
	Action  string // the high action that takes the step (with explain)
	Picks   []Pick // its picks (with explain)
}

// Panic is a panic in the mapping of a refinement or in an action of its
// high model, recovered; package machine reports it as a PanicError.
type Panic struct {
	Where string
	Picks []Pick
	Value any
	Stack string
}

func (p *Panic) Error() string { return fmt.Sprintf("panic in %s: %v", p.Where, p.Value) }

// HighRunner runs a high model's init and actions on its own states, for
// the refinement checker: the same semantics as package machine's
// Executor (every execution starts from a deep copy of the state, a
// dropped branch has no effect, a panic is recovered), without its
// optimisations, since package machine, which imports the root package,
// cannot be instantiated by it.
type HighRunner[H, C any] struct {
	def    *Model[H, C]
	setS   func(c *C, s *H)
	ctx    C
	x      Execution
	odo    Odometer
	action int
}

// NewHighRunner returns a runner for def; setS points a Ctx at the state
// an action builds.
func NewHighRunner[H, C any](def *Model[H, C], setS func(c *C, s *H)) *HighRunner[H, C] {
	r := &HighRunner[H, C]{def: def, setS: setS}
	def.Bind(&r.ctx, &r.x)
	return r
}

// initAction is machine.InitAction.
const initAction = -1

// run executes action (or init) once from *from (ignored for init) into
// *to with choices from ch, and reports whether the branch is enabled.
func (r *HighRunner[H, C]) run(action int, from, to *H, ch Choices, record bool) (enabled bool, err error) {
	var f func(*C)
	if action == initAction {
		var zero H
		*to = zero
		f = r.def.Init
	} else {
		*to = *from
		if r.def.Ops.Fix != nil {
			r.def.Ops.Fix(unsafe.Pointer(to))
		}
		f = r.def.Actions[action].Run
	}
	r.x.Record = record
	r.x.Reset(ch)
	r.setS(&r.ctx, to)
	defer func() {
		if v := recover(); v != nil {
			if r.x.Dropped {
				enabled, err = false, nil
				return
			}
			err = &Panic{Where: r.def.Name + " action " + r.name(action), Picks: append([]Pick(nil), r.x.Picks...), Value: v, Stack: string(debug.Stack())}
		}
	}()
	f(&r.ctx)
	return !r.x.Dropped && r.x.Mismatch == "", nil
}

func (r *HighRunner[H, C]) name(action int) string {
	if action == initAction {
		return "init"
	}
	return r.def.Actions[action].Name
}

// each runs every branch of action from *from, calling fn with each
// enabled successor (in *to) and its choices; fn returns false to stop.
func (r *HighRunner[H, C]) each(action int, from, to *H, fn func(path []int) bool) error {
	o := &r.odo
	o.Reset()
	for {
		enabled, err := r.run(action, from, to, o, false)
		if err != nil {
			return err
		}
		used := o.Used()
		if enabled && !fn(r.x.Path) {
			return nil
		}
		if !o.Advance(used) {
			return nil
		}
	}
}

// highMove is one successor of a high state: the actions that produce it
// (a bit per action, up to 64) and the first action's choices.
type highMove struct {
	actions uint64
	action  int
	path    []int
}

// maxCached bounds the successors a refinement checker remembers.
const maxCached = 1 << 18

// refinementChecker is the RefinementChecker of NewRefinementChecker.
type refinementChecker[L, H, C any] struct {
	name    string
	mapping func(*L) H
	run     *HighRunner[H, C]
	vars    []string
	// inits are the encodings of the high model's initial states, computed
	// on first use; succ the successors of the high states met so far, by
	// encoding, and cached their number.
	inits  map[string]bool
	succ   map[string]map[string]*highMove
	cached int
	a, b   H // mapped states
	next   H // the high runner's scratch
	ea, eb []byte
	en     []byte
}

// NewRefinementChecker returns a checker of the refinement name of a low
// model whose states map to def's under mapping.
func NewRefinementChecker[L, H, C any](name string, def *Model[H, C], setS func(*C, *H), mapping func(*L) H) RefinementChecker[L] {
	return &refinementChecker[L, H, C]{name: name, mapping: mapping, run: NewHighRunner(def, setS), vars: def.Vars}
}

// mapInto sets *h to the mapped state of l, recovering a panic in the
// mapping.
func (c *refinementChecker[L, H, C]) mapInto(h *H, l *L) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &Panic{Where: "the mapping of refinement " + c.name, Value: v, Stack: string(debug.Stack())}
		}
	}()
	*h = c.mapping(l)
	return nil
}

func (c *refinementChecker[L, H, C]) enc(b []byte, h *H) []byte {
	return c.run.def.Ops.Enc(b, unsafe.Pointer(h))
}

func (c *refinementChecker[L, H, C]) Init(s *L) (RefinementStep, error) {
	if err := c.mapInto(&c.a, s); err != nil {
		return RefinementStep{}, err
	}
	if c.inits == nil {
		inits := map[string]bool{}
		err := c.run.each(initAction, nil, &c.next, func([]int) bool {
			inits[string(c.enc(nil, &c.next))] = true
			return true
		})
		if err != nil {
			return RefinementStep{}, err
		}
		c.inits = inits
	}
	c.ea = c.enc(c.ea[:0], &c.a)
	return RefinementStep{OK: c.inits[string(c.ea)], Action: "init"}, nil
}

func (c *refinementChecker[L, H, C]) Step(from, to *L, explain bool) (RefinementStep, error) {
	if err := c.mapInto(&c.a, from); err != nil {
		return RefinementStep{}, err
	}
	if err := c.mapInto(&c.b, to); err != nil {
		return RefinementStep{}, err
	}
	c.ea = c.enc(c.ea[:0], &c.a)
	c.eb = c.enc(c.eb[:0], &c.b)
	if bytes.Equal(c.ea, c.eb) {
		return RefinementStep{OK: true, Stutter: true}, nil
	}
	succ, err := c.successors()
	if err != nil {
		return RefinementStep{}, err
	}
	m, ok := succ[string(c.eb)]
	if !ok {
		return RefinementStep{}, nil
	}
	st := RefinementStep{OK: true, Action: c.run.name(m.action)}
	if explain {
		c.run.run(m.action, &c.a, &c.next, ReplayPath(m.path), true)
		st.Picks = append([]Pick(nil), c.run.x.Picks...)
		c.run.x.Record = false
	}
	return st, nil
}

// successors returns the successors of c.a (whose encoding is c.ea).
func (c *refinementChecker[L, H, C]) successors() (map[string]*highMove, error) {
	if s, ok := c.succ[string(c.ea)]; ok {
		return s, nil
	}
	out := map[string]*highMove{}
	for a := range c.run.def.Actions {
		err := c.run.each(a, &c.a, &c.next, func(path []int) bool {
			c.en = c.enc(c.en[:0], &c.next)
			m, ok := out[string(c.en)]
			if !ok {
				m = &highMove{action: a, path: append([]int(nil), path...)}
				out[string(c.en)] = m
			}
			if a < 64 {
				m.actions |= 1 << a
			}
			return true
		})
		if err != nil {
			return nil, err
		}
	}
	if c.succ == nil || c.cached+len(out) > maxCached {
		c.succ, c.cached = map[string]map[string]*highMove{}, 0
	}
	c.succ[string(c.ea)] = out
	c.cached += len(out) + 1
	return out, nil
}

func (c *refinementChecker[L, H, C]) Mapped(s *L) (map[string]itf.Value, error) {
	var h H
	if err := c.mapInto(&h, s); err != nil {
		return nil, err
	}
	rec, err := itf.Marshal(&h)
	if err != nil {
		return nil, fmt.Errorf("refinement %s: mapped state to ITF: %w", c.name, err)
	}
	out := make(map[string]itf.Value, len(c.vars))
	for _, f := range rec.Fields() {
		out[f.Name] = f.Value
	}
	return out, nil
}

// FairnessObligation returns, for a high fairness declaration f (without
// Per) of the refinement checked by the checkers of pool, the state
// predicate "the mapped state enables <<A>>_vars" for A the disjunction of
// f's actions, and the step predicate "the mapped step is an <<A>>_vars
// step". ok is false when the declaration cannot be checked (Per, or an
// action numbered 64 or more).
func FairnessObligation[S any](pool *sync.Pool, actions []int) (enabled func(*S) bool, taken func(from, to *S) bool, ok bool) {
	var mask uint64
	for _, a := range actions {
		if a >= 64 {
			return nil, nil, false
		}
		mask |= 1 << a
	}
	enabled = func(s *S) bool {
		c := pool.Get().(obligationChecker[S])
		defer pool.Put(c)
		return c.enables(s, mask)
	}
	taken = func(from, to *S) bool {
		c := pool.Get().(obligationChecker[S])
		defer pool.Put(c)
		return c.takes(from, to, mask)
	}
	return enabled, taken, true
}

// obligationChecker is what FairnessObligation needs of a checker.
type obligationChecker[S any] interface {
	enables(s *S, mask uint64) bool
	takes(from, to *S, mask uint64) bool
}

// enables reports whether the mapped state of s has a successor other
// than itself by one of the actions in mask. A panic is left to the
// search's own checks of the steps, and counts as not enabled.
func (c *refinementChecker[L, H, C]) enables(s *L, mask uint64) bool {
	if c.mapInto(&c.a, s) != nil {
		return false
	}
	c.ea = c.enc(c.ea[:0], &c.a)
	succ, err := c.successors()
	if err != nil {
		return false
	}
	for e, m := range succ {
		if m.actions&mask != 0 && e != string(c.ea) {
			return true
		}
	}
	return false
}

// takes reports whether the mapped step from -> to is a non-stuttering
// step of one of the actions in mask.
func (c *refinementChecker[L, H, C]) takes(from, to *L, mask uint64) bool {
	if c.mapInto(&c.a, from) != nil || c.mapInto(&c.b, to) != nil {
		return false
	}
	c.ea = c.enc(c.ea[:0], &c.a)
	c.eb = c.enc(c.eb[:0], &c.b)
	if bytes.Equal(c.ea, c.eb) {
		return false
	}
	succ, err := c.successors()
	if err != nil {
		return false
	}
	m, ok := succ[string(c.eb)]
	return ok && m.actions&mask != 0
}
