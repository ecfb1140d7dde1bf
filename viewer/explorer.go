package viewer

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"net/http"
	"sync"

	"github.com/execspec/execspec/internal/localguard"
	"github.com/execspec/execspec/machine"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// ExplorerOptions configures an Explorer. The zero value works.
type ExplorerOptions struct {
	// Instance names the model instance, for the page and exported traces.
	Instance string
	// Source names the model package, for exported traces' #meta.
	Source string
	// Trace, when set, is a saved trace the user can jump along; its
	// states must be states of the model.
	Trace *itf.Trace
	// PageSize is the number of successors per page (default 50, at most
	// 1000).
	PageSize int
	// MaxSuccessors caps the successors listed per action at one state
	// (default 100,000); beyond it the list says it is incomplete.
	MaxSuccessors int
	// Hosts are the host names or addresses, besides loopback ones,
	// accepted in requests' Host header: the listen address's host and
	// any the user allows. Requests naming another host (DNS rebinding),
	// with an Origin other than the host, or POSTs without a JSON
	// Content-Type are refused.
	Hosts []string
	_     struct{}
}

// The defaults and bounds of ExplorerOptions, exported so that front ends
// (the CLI's flags) show and apply the same values.
const (
	DefaultPageSize      = 50      // ExplorerOptions.PageSize
	MaxPageSize          = 1000    // the largest ExplorerOptions.PageSize
	DefaultMaxSuccessors = 100_000 // ExplorerOptions.MaxSuccessors
)

func (o *ExplorerOptions) fill() {
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	if o.PageSize > MaxPageSize {
		o.PageSize = MaxPageSize
	}
	if o.MaxSuccessors <= 0 {
		o.MaxSuccessors = DefaultMaxSuccessors
	}
}

// Explorer is an http.Handler serving an interactive state explorer for a
// model: a page where the user picks an initial state, sees every enabled
// action with its picks (paged), steps forward and back, sees invariant and
// example status at each state, jumps along a saved trace and exports the
// path taken as ITF. Its JSON API:
//
//	GET  /api/state                       the path taken, the current state, its changes and properties, successor counts
//	GET  /api/successors?action=A&page=N  one page of successors (of action A, or of all actions), with previews
//	POST /api/step    {"index": i, "version": v}  take successor i of the current state
//	POST /api/back    {"to": depth}       go back to the state at that depth (default: one step back)
//	POST /api/jump    {"step": k}         follow the saved trace up to its step k
//	POST /api/restart                     go back to the start
//	GET  /api/export.itf.json             the path taken, as an ITF trace (download)
//	GET  /view.html                       the path taken, as a trace page
//
// POST bodies are JSON (Content-Type application/json). State-changing
// requests carry the version of the state they were made on, when known;
// a stale version gets 409 Conflict. An Explorer serves one user: its state
// is shared by all requests, under a mutex.
type Explorer[S any] struct {
	guarded http.Handler // serve behind localguard
	mc      *machine.Machine[S]
	opts    ExplorerOptions
	props   []machine.Property[S]
	page    []byte

	mu      sync.Mutex
	ex      *machine.Executor[S]
	scratch *S
	path    []*exNode[S]
	version int
	// inits are the initial states' branches; with a single one, the path
	// never goes back beyond it.
	inits []exBranch
	succ  *exSuccessors
	// saved is the saved trace, as nodes; at is the current position on
	// it, or -1 when the path left it.
	saved []*exNode[S]
	at    int
}

// exNode is one state of the path.
type exNode[S any] struct {
	state  *S
	vals   map[string]itf.Value
	action string
	picks  []trace.Pick
	props  []propStatus
}

// exBranch is one successor: how to re-execute it.
type exBranch struct {
	action int
	path   []int
	picks  []trace.Pick
	err    string
}

// exSuccessors are the successors of the current state, grouped by action
// in action order.
type exSuccessors struct {
	all      []exBranch
	byAction []actionRange
}

type actionRange struct {
	Name       string `json:"name"`
	start, end int
	Count      int  `json:"count"`
	Incomplete bool `json:"incomplete"`
}

type propStatus struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// OK is nil when the predicate panicked.
	OK    *bool  `json:"ok"`
	Error string `json:"error,omitempty"`
}

// NewExplorer returns an Explorer for mc. It enumerates the initial states
// and, when there is exactly one, starts there. A saved trace (opts.Trace)
// whose states are not states of the model is an error.
func NewExplorer[S any](mc *machine.Machine[S], opts ExplorerOptions) (*Explorer[S], error) {
	opts.fill()
	e := &Explorer[S]{mc: mc, opts: opts, ex: mc.NewExecutor(), scratch: new(S), at: -1}
	e.guarded = localguard.Wrap(e.routes(), opts.Hosts...)
	e.ex.Record(true)
	for _, p := range mc.Properties() {
		if p.Kind == machine.Invariant || p.Kind == machine.Example {
			e.props = append(e.props, p)
		}
	}
	if opts.Trace != nil {
		if err := e.loadTrace(opts.Trace); err != nil {
			return nil, err
		}
	}
	var zero S
	var initErr error
	e.ex.Enumerate(machine.InitAction, &zero, e.scratch, func(r machine.Result) bool {
		b := exBranch{action: machine.InitAction, path: append([]int(nil), r.Path...)}
		b.picks, initErr = machine.TracePicks(r.Picks)
		if r.Err != nil {
			b.err = r.Err.Error()
		}
		e.inits = append(e.inits, b)
		return initErr == nil && len(e.inits) < opts.MaxSuccessors
	})
	if initErr != nil {
		return nil, fmt.Errorf("viewer: explorer: init: %w", initErr)
	}
	if len(e.inits) == 0 {
		return nil, errors.New("viewer: explorer: the model has no initial state (every init branch is dropped by a guard)")
	}
	if len(e.inits) == 1 && e.inits[0].err == "" {
		if err := e.take(e.inits[0]); err != nil {
			return nil, err
		}
	}
	title := "explore " + mc.Name()
	if opts.Instance != "" {
		title += " " + opts.Instance
	}
	a := pageAssets()
	var buf bytes.Buffer
	if err := fill(&buf, a.exploreHTML, map[string]string{
		"TITLE": html.EscapeString(title),
		"CSS":   a.css,
		"JS":    a.itfJS + "\n" + a.exploreJS,
	}); err != nil {
		return nil, fmt.Errorf("viewer: explorer page: %w", err)
	}
	e.page = buf.Bytes()
	return e, nil
}

func (e *Explorer[S]) loadTrace(it *itf.Trace) error {
	t, err := trace.FromITF(it)
	if err != nil {
		return fmt.Errorf("viewer: explorer: saved trace: %w", err)
	}
	for i, st := range t.Steps {
		s, err := e.mc.FromITF(st.State)
		if err != nil {
			return fmt.Errorf("viewer: explorer: saved trace, state %d: %w", i, err)
		}
		n, err := e.newNode(&s, st.Action, st.Picks)
		if err != nil {
			return fmt.Errorf("viewer: explorer: saved trace, state %d: %w", i, err)
		}
		if n.action == "" {
			n.action = "(action not recorded)"
			if i == 0 {
				n.action = "init"
			}
		}
		e.saved = append(e.saved, n)
	}
	if len(e.saved) == 0 {
		return errors.New("viewer: explorer: the saved trace has no states")
	}
	return nil
}

func (e *Explorer[S]) newNode(s *S, action string, picks []trace.Pick) (*exNode[S], error) {
	vals, err := e.mc.ToITF(s)
	if err != nil {
		return nil, err
	}
	return &exNode[S]{state: s, vals: vals, action: action, picks: picks, props: e.eval(s)}, nil
}

func (e *Explorer[S]) eval(s *S) []propStatus {
	out := make([]propStatus, len(e.props))
	for i, p := range e.props {
		out[i] = propStatus{Name: p.Name, Kind: p.Kind.String()}
		ok, err := e.mc.Eval(p, s)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		out[i].OK = &ok
	}
	return out
}

// exec re-executes a branch from the current state into e.scratch.
func (e *Explorer[S]) exec(b exBranch) (machine.Result, error) {
	var from *S
	if b.action != machine.InitAction {
		from = e.path[len(e.path)-1].state
	} else {
		from = new(S)
	}
	r := e.ex.Exec(b.action, from, e.scratch, machine.Path(b.path).Choices())
	if r.Err != nil {
		return r, r.Err
	}
	if !r.Enabled {
		return r, errors.New("the branch is not enabled any more (is the model deterministic?)")
	}
	return r, nil
}

// take executes a branch from the current state and appends the successor
// to the path.
func (e *Explorer[S]) take(b exBranch) error {
	if b.err != "" {
		return fmt.Errorf("this branch panics: %s", b.err)
	}
	if _, err := e.exec(b); err != nil {
		return fmt.Errorf("%s: %w", e.mc.ActionName(b.action), err)
	}
	n, err := e.newNode(e.mc.Clone(e.scratch), e.mc.ActionName(b.action), b.picks)
	if err != nil {
		return err
	}
	e.path = append(e.path, n)
	e.changed()
	return nil
}

// nextOnTrace reports whether n, as the next state of the path, is the
// saved trace's next state.
func (e *Explorer[S]) nextOnTrace(n *exNode[S]) bool {
	pos := len(e.path)
	return pos < len(e.saved) && (pos == 0 || e.at == pos-1) && sameStep(e.mc.Vars(), e.saved[pos], n)
}

// locate sets e.at: the path's last index when the whole path follows the
// saved trace, -1 otherwise.
func (e *Explorer[S]) locate() {
	e.at = -1
	if len(e.path) == 0 || len(e.path) > len(e.saved) {
		return
	}
	for i, n := range e.path {
		if n != e.saved[i] && !sameStep(e.mc.Vars(), e.saved[i], n) {
			return
		}
	}
	e.at = len(e.path) - 1
}

func sameStep[S any](vars []string, a, b *exNode[S]) bool {
	for _, v := range vars {
		if !itf.Equal(a.vals[v], b.vals[v]) {
			return false
		}
	}
	return true
}

// changed records a change of the path.
func (e *Explorer[S]) changed() {
	e.version++
	e.succ = nil
	e.locate()
}

// successors returns the successors of the current state (or the initial
// states when the path is empty), enumerating them on first use.
func (e *Explorer[S]) successors() (*exSuccessors, error) {
	if e.succ != nil {
		return e.succ, nil
	}
	if len(e.path) == 0 {
		e.succ = &exSuccessors{all: e.inits, byAction: []actionRange{{Name: "init", start: 0, end: len(e.inits), Count: len(e.inits), Incomplete: len(e.inits) >= e.opts.MaxSuccessors}}}
		return e.succ, nil
	}
	cur := e.path[len(e.path)-1].state
	sc := &exSuccessors{}
	var convErr error
	for a, name := range e.mc.Actions() {
		r := actionRange{Name: name, start: len(sc.all)}
		complete := e.ex.Enumerate(a, cur, e.scratch, func(res machine.Result) bool {
			b := exBranch{action: a, path: append([]int(nil), res.Path...)}
			b.picks, convErr = machine.TracePicks(res.Picks)
			if res.Err != nil {
				b.err = res.Err.Error()
			}
			sc.all = append(sc.all, b)
			return convErr == nil && len(sc.all)-r.start < e.opts.MaxSuccessors
		})
		if convErr != nil {
			return nil, fmt.Errorf("action %s: %w", name, convErr)
		}
		r.end = len(sc.all)
		r.Count = r.end - r.start
		r.Incomplete = !complete
		sc.byAction = append(sc.byAction, r)
	}
	e.succ = sc
	return sc, nil
}
