package tracelog

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Options configures Validate. The zero value works.
type Options struct {
	// MaxStates bounds the candidate states kept after an event (default
	// 100,000); a log that needs more returns ErrIncomplete.
	MaxStates int
	// MaxCandidates bounds the candidates a Failure shows (default 5).
	MaxCandidates int
	_             struct{}
}

// ErrIncomplete is returned (wrapped) when validation stopped at a limit:
// the log was neither accepted nor refuted.
var ErrIncomplete = errors.New("trace validation incomplete")

// Report is the result of Validate.
type Report struct {
	// Events is the number of events in the log.
	Events int
	// Matched is the number of events the model explains, from the first:
	// all of them when the log is valid.
	Matched int
	// Candidates is the number of model states consistent with the events
	// matched (after the last one).
	Candidates int
	// Failure describes the first event no candidate explains; nil when the
	// log is valid.
	Failure *Failure
}

// Valid reports whether the whole log is a behaviour of the model.
func (r *Report) Valid() bool { return r.Failure == nil }

// String summarises the report, with the failure's candidates.
func (r *Report) String() string {
	if r.Failure == nil {
		return fmt.Sprintf("the log's %d events are a behaviour of the model (%d candidate states at the end)", r.Events, r.Candidates)
	}
	return fmt.Sprintf("the log matched %d of %d events; %s", r.Matched, r.Events, r.Failure)
}

// Failure is the first event of a log that the model does not explain.
type Failure struct {
	// Event is the event's index (0: the first).
	Event int
	// Action and Picks are what the event logged ("" and nil: not logged).
	Action string
	Picks  map[string]itf.Value
	// Logged holds the variables the event logged.
	Logged map[string]itf.Value
	// Candidates are some of the model states the earlier events leave
	// possible (all of them for the first event: the initial states), each
	// with its successor closest to the event.
	Candidates []Candidate
	// More counts the candidates left out of Candidates.
	More int
}

// Candidate is a model state consistent with the log before the failing
// event.
type Candidate struct {
	// State is the candidate's variables.
	State map[string]itf.Value
	// Diff is how the closest successor (by the event's action and picks)
	// differs from the logged variables (Old: the model's, New: the log's);
	// nil with Disabled set when no successor exists.
	Diff []trace.Change
	// Disabled is true when the event's action is not enabled from State
	// with the logged picks.
	Disabled bool
}

// String describes the failure: the event, and each candidate's closest
// successor's differences from what the event logged.
func (f *Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "event %d", f.Event)
	if f.Action != "" {
		fmt.Fprintf(&b, " (%s", f.Action)
		var ks []string
		for k := range f.Picks {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for i, k := range ks {
			sep := ", "
			if i == 0 {
				sep = " "
			}
			fmt.Fprintf(&b, "%s%s=%s", sep, k, f.Picks[k])
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, " is explained by none of %d candidate states:", len(f.Candidates)+f.More)
	for i, c := range f.Candidates {
		fmt.Fprintf(&b, "\n  candidate %d:", i+1)
		if c.Disabled {
			b.WriteString(" the action is not enabled")
			continue
		}
		for _, ch := range c.Diff {
			fmt.Fprintf(&b, "\n    %s: model %s, log %s", ch.Path, orAbsent(ch.Old), orAbsent(ch.New))
		}
	}
	if f.More > 0 {
		fmt.Fprintf(&b, "\n  (%d more candidates)", f.More)
	}
	return b.String()
}

func orAbsent(v itf.Value) string {
	if !v.IsValid() {
		return "(absent)"
	}
	return v.String()
}

// Validate checks a log (see ReadLog) against the model m when events log
// only some variables. An event whose action is "init", or the first event
// when it names no action, constrains the initial state; otherwise the log
// starts from every initial state. An event naming no action may be any
// action. A variable the model does not have is an error, as is a model
// panic; a search over MaxStates returns an error wrapping ErrIncomplete.
func Validate[S any](ctx context.Context, m *execspec.Model[S], log *itf.Trace, opts Options) (*Report, error) {
	mc, err := machine.Compile(m)
	if err != nil {
		return nil, fmt.Errorf("tracelog: %w", err)
	}
	if opts.MaxStates <= 0 {
		opts.MaxStates = 100_000
	}
	if opts.MaxCandidates <= 0 {
		opts.MaxCandidates = 5
	}
	known := map[string]bool{}
	for _, v := range mc.Vars() {
		known[v] = true
	}
	for _, v := range log.Vars {
		if !known[v] {
			return nil, fmt.Errorf("tracelog: the log has variable %q, which model %s does not (it has: %s)", v, mc.Name(), strings.Join(mc.Vars(), ", "))
		}
	}
	val := &validator[S]{mc: mc, ex: mc.NewExecutor(), opts: opts}
	rep := &Report{Events: len(log.States)}
	events := log.States
	// The initial candidates.
	var first *event
	if len(events) > 0 {
		e := parseEvent(events[0])
		if e.action == "" || e.action == mc.ActionName(machine.InitAction) {
			first = &e
			events = events[1:]
		}
	}
	var init event
	if first != nil {
		init = *first
	}
	front, err := val.successors(nil, machine.InitAction, init)
	if err != nil {
		return nil, err
	}
	if len(front) == 0 {
		f, err := val.failure(0, init, []*S{nil}, machine.InitAction)
		if err != nil {
			return nil, err
		}
		rep.Failure = f
		return rep, nil
	}
	if first != nil {
		rep.Matched = 1
	}
	for _, st := range events {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("tracelog: %w", err)
		}
		e := parseEvent(st)
		actions := []int{}
		if e.action == "" {
			for a := range mc.Actions() {
				actions = append(actions, a)
			}
		} else {
			a, err := mc.ActionIndex(e.action)
			if err != nil {
				return rep, fmt.Errorf("tracelog: event %d: %w", rep.Matched, err)
			}
			actions = append(actions, a)
		}
		var next []*S
		seen := map[uint64]bool{}
		for _, s := range front {
			for _, a := range actions {
				succ, err := val.successors(s, a, e)
				if err != nil {
					return rep, fmt.Errorf("tracelog: event %d: %w", rep.Matched, err)
				}
				for _, n := range succ {
					fp := val.fingerprint(n)
					if !seen[fp] {
						seen[fp] = true
						next = append(next, n)
					}
				}
			}
			if len(next) > opts.MaxStates {
				return rep, fmt.Errorf("tracelog: event %d: %w: over %d candidate states (Options.MaxStates)", rep.Matched, ErrIncomplete, opts.MaxStates)
			}
		}
		if len(next) == 0 {
			a := -2
			if len(actions) == 1 {
				a = actions[0]
			}
			f, err := val.failure(rep.Matched, e, front, a)
			if err != nil {
				return rep, err
			}
			rep.Failure = f
			rep.Candidates = len(front)
			return rep, nil
		}
		front = next
		rep.Matched++
	}
	rep.Candidates = len(front)
	return rep, nil
}

// event is one parsed log event.
type event struct {
	action string
	picks  map[string]itf.Value
	vars   map[string]itf.Value
}

func parseEvent(st itf.State) event {
	e := event{vars: map[string]itf.Value{}}
	e.action, _ = itf.ActionTaken(st)
	e.picks, _ = itf.NondetPicks(st)
	for k, v := range st.Values {
		if !strings.HasPrefix(k, "mbt::") {
			e.vars[k] = v
		}
	}
	return e
}

type validator[S any] struct {
	mc   *machine.Machine[S]
	ex   *machine.Executor[S]
	opts Options
	enc  []byte
}

func (v *validator[S]) fingerprint(s *S) uint64 {
	v.enc = v.mc.AppendEncoding(v.enc[:0], s)
	return machine.Fingerprint(v.enc)
}

// each runs action a from s (nil for init) with e's picks imposed and
// calls fn with each enabled successor's state and its variables.
func (v *validator[S]) each(s *S, a int, e event, fn func(n *S, vars map[string]itf.Value) error) error {
	v.ex.Direct(e.picks)
	defer v.ex.Direct(nil)
	tmp := new(S)
	var ferr error
	v.ex.Enumerate(a, s, tmp, func(r machine.Result) bool {
		if r.Err != nil {
			ferr = fmt.Errorf("model %s: %w", v.mc.Name(), r.Err)
			return false
		}
		vars, err := v.mc.ToITF(tmp)
		if err != nil {
			ferr = err
			return false
		}
		if err := fn(tmp, vars); err != nil {
			ferr = err
			return false
		}
		return true
	})
	return ferr
}

// successors returns the successors of s by action a that agree with the
// variables e logged.
func (v *validator[S]) successors(s *S, a int, e event) ([]*S, error) {
	var out []*S
	err := v.each(s, a, e, func(n *S, vars map[string]itf.Value) error {
		for k, want := range e.vars {
			if !itf.Equal(vars[k], want) {
				return nil
			}
		}
		out = append(out, v.mc.Clone(n))
		return nil
	})
	return out, err
}

// failure describes event e (index i) that no state of front explains; a
// is the event's action (-2: any action).
func (v *validator[S]) failure(i int, e event, front []*S, a int) (*Failure, error) {
	f := &Failure{Event: i, Action: e.action, Picks: e.picks, Logged: e.vars}
	names := make([]string, 0, len(e.vars))
	for k := range e.vars {
		names = append(names, k)
	}
	sort.Strings(names)
	actions := []int{a}
	if a == -2 {
		actions = actions[:0]
		for k := range v.mc.Actions() {
			actions = append(actions, k)
		}
	}
	for _, s := range front {
		if len(f.Candidates) >= v.opts.MaxCandidates {
			f.More++
			continue
		}
		var c Candidate
		if s != nil {
			st, err := v.mc.ToITF(s)
			if err != nil {
				return nil, err
			}
			c.State = st
		}
		best := -1
		for _, act := range actions {
			err := v.each(s, act, e, func(_ *S, vars map[string]itf.Value) error {
				d := trace.DiffStates(names, vars, e.vars)
				if best < 0 || len(d) < best {
					best, c.Diff = len(d), d
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		c.Disabled = best < 0
		f.Candidates = append(f.Candidates, c)
	}
	return f, nil
}
