package viewer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
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
	e.guarded = localguard.Wrap(http.HandlerFunc(e.serve), opts.Hosts...)
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

// ServeHTTP serves the page and the API, to loopback and ExplorerOptions.Hosts
// names only, same-origin only.
func (e *Explorer[S]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.guarded.ServeHTTP(w, r)
}

func (e *Explorer[S]) serve(w http.ResponseWriter, r *http.Request) {
	route := func(method string, h func(http.ResponseWriter, *http.Request)) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("%s needs %s", r.URL.Path, method))
			return
		}
		if method == http.MethodPost {
			// A JSON content type makes cross-site form posts impossible
			// (they would need a CORS preflight, which is never granted).
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				writeError(w, http.StatusUnsupportedMediaType, errors.New("POST bodies must be JSON (Content-Type: application/json)"))
				return
			}
		}
		h(w, r)
	}
	switch r.URL.Path {
	case "/", "/index.html":
		route(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(e.page)
		})
	case "/api/state":
		route(http.MethodGet, e.serveState)
	case "/api/successors":
		route(http.MethodGet, e.serveSuccessors)
	case "/api/step":
		route(http.MethodPost, e.serveStep)
	case "/api/back":
		route(http.MethodPost, e.serveBack)
	case "/api/jump":
		route(http.MethodPost, e.serveJump)
	case "/api/restart":
		route(http.MethodPost, e.serveRestart)
	case "/api/export.itf.json":
		route(http.MethodGet, e.serveExport)
	case "/view.html":
		route(http.MethodGet, e.serveView)
	default:
		writeError(w, http.StatusNotFound, fmt.Errorf("no such page: %s", r.URL.Path))
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, err error) {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// readBody decodes a JSON request body into v; an empty body leaves v as
// it is.
func readBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && err != io.EOF {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

// stateJSON is the explorer's answer to GET /api/state and to the
// state-changing requests.
type stateJSON struct {
	Model    string   `json:"model"`
	Instance string   `json:"instance"`
	Vars     []string `json:"vars"`
	Version  int      `json:"version"`
	// Depth is the number of states on the path; 0 while choosing an
	// initial state.
	Depth int `json:"depth"`
	// MinDepth is how far back the path can go.
	MinDepth   int                        `json:"minDepth"`
	Path       []pathStep                 `json:"path"`
	State      map[string]json.RawMessage `json:"state"`
	Changes    []change                   `json:"changes"`
	Properties []propStatus               `json:"properties"`
	Successors successorsSummary          `json:"successors"`
	Trace      *savedTraceJSON            `json:"trace"`
}

type pathStep struct {
	Action string     `json:"action"`
	Picks  []pickView `json:"picks"`
	// Violated and Reached name the invariants false and examples true in
	// the state.
	Violated []string `json:"violated"`
	Reached  []string `json:"reached"`
}

type successorsSummary struct {
	Total    int           `json:"total"`
	Actions  []actionRange `json:"actions"`
	PageSize int           `json:"pageSize"`
}

type savedTraceJSON struct {
	// At is the current position on the saved trace, -1 when off it.
	At    int        `json:"at"`
	Steps []pathStep `json:"steps"`
}

func picksJSON(ps []trace.Pick) []pickView {
	out := make([]pickView, len(ps))
	for i, p := range ps {
		out[i] = pickView{Label: p.Label, Value: itf.AppendJSON(nil, p.Value)}
	}
	return out
}

func stepJSON[S any](n *exNode[S]) pathStep {
	ps := pathStep{Action: n.action, Picks: picksJSON(n.picks), Violated: []string{}, Reached: []string{}}
	for _, p := range n.props {
		if p.OK == nil {
			continue
		}
		if p.Kind == "invariant" && !*p.OK {
			ps.Violated = append(ps.Violated, p.Name)
		}
		if p.Kind == "example" && *p.OK {
			ps.Reached = append(ps.Reached, p.Name)
		}
	}
	return ps
}

func (e *Explorer[S]) minDepth() int {
	if len(e.inits) == 1 && e.inits[0].err == "" {
		return 1
	}
	return 0
}

// stateLocked builds the state answer; e.mu is held.
func (e *Explorer[S]) stateLocked() (*stateJSON, error) {
	sc, err := e.successors()
	if err != nil {
		return nil, err
	}
	st := &stateJSON{
		Model: e.mc.Name(), Instance: e.opts.Instance, Vars: e.mc.Vars(), Version: e.version,
		Depth: len(e.path), MinDepth: e.minDepth(), Path: []pathStep{},
		Changes: []change{}, Properties: []propStatus{},
		Successors: successorsSummary{Total: len(sc.all), Actions: sc.byAction, PageSize: e.opts.PageSize},
	}
	for _, n := range e.path {
		st.Path = append(st.Path, stepJSON(n))
	}
	if len(e.path) > 0 {
		cur := e.path[len(e.path)-1]
		st.State = make(map[string]json.RawMessage, len(cur.vals))
		for k, v := range cur.vals {
			st.State[k] = itf.AppendJSON(nil, v)
		}
		if len(e.path) > 1 {
			st.Changes = diffStates(e.mc.Vars(), e.path[len(e.path)-2].vals, cur.vals)
			if st.Changes == nil {
				st.Changes = []change{}
			}
		}
		st.Properties = cur.props
	}
	if e.saved != nil {
		st.Trace = &savedTraceJSON{At: e.at}
		for _, n := range e.saved {
			st.Trace.Steps = append(st.Trace.Steps, stepJSON(n))
		}
	}
	return st, nil
}

func (e *Explorer[S]) serveState(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.respondState(w)
}

func (e *Explorer[S]) respondState(w http.ResponseWriter) {
	st, err := e.stateLocked()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// successorJSON is one successor in a page.
type successorJSON struct {
	Index  int        `json:"index"`
	Action string     `json:"action"`
	Picks  []pickView `json:"picks"`
	// Changes are the first changes the step would make, as text;
	// NChanges counts them all.
	Changes  []changeLine `json:"changes"`
	NChanges int          `json:"nchanges"`
	Violated []string     `json:"violated"`
	Reached  []string     `json:"reached"`
	// OnTrace is true when the successor is the saved trace's next step.
	OnTrace bool   `json:"onTrace,omitempty"`
	Error   string `json:"error,omitempty"`
}

type changeLine struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

type successorPage struct {
	Version  int             `json:"version"`
	Action   string          `json:"action"`
	Total    int             `json:"total"`
	Page     int             `json:"page"`
	Pages    int             `json:"pages"`
	PageSize int             `json:"pageSize"`
	Items    []successorJSON `json:"items"`
}

const previewChanges = 4

func (e *Explorer[S]) serveSuccessors(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, size := 0, e.opts.PageSize
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, fmt.Errorf("page %q: want a non-negative integer", p))
			return
		}
		page = n
	}
	if s := q.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, fmt.Errorf("size %q: want an integer in 1..1000", s))
			return
		}
		size = n
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	sc, err := e.successors()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	start, end := 0, len(sc.all)
	action := q.Get("action")
	if action != "" {
		found := false
		var names []string
		for _, ar := range sc.byAction {
			names = append(names, ar.Name)
			if ar.Name == action {
				start, end, found = ar.start, ar.end, true
			}
		}
		if !found {
			writeError(w, http.StatusBadRequest, fmt.Errorf("unknown action %q; the actions are: %s", action, strings.Join(names, ", ")))
			return
		}
	}
	total := end - start
	pages := (total + size - 1) / size
	first := end // a page past the last is empty; page*size could overflow
	if page < pages {
		first = start + page*size
	}
	res := successorPage{Version: e.version, Action: action, Total: total, Page: page, Pages: pages, PageSize: size, Items: []successorJSON{}}
	var cur *exNode[S]
	if len(e.path) > 0 {
		cur = e.path[len(e.path)-1]
	}
	for i := first; i < end && i < first+size; i++ {
		b := sc.all[i]
		item := successorJSON{Index: i, Action: e.mc.ActionName(b.action), Picks: picksJSON(b.picks), Changes: []changeLine{}, Violated: []string{}, Reached: []string{}, Error: b.err}
		if b.err == "" {
			if _, err := e.exec(b); err != nil {
				item.Error = err.Error()
			} else if n, err := e.newNode(e.scratch, item.Action, nil); err != nil {
				item.Error = err.Error()
			} else {
				ps := stepJSON(n)
				item.Violated, item.Reached = ps.Violated, ps.Reached
				if cur != nil {
					chs := diffStates(e.mc.Vars(), cur.vals, n.vals)
					item.NChanges = len(chs)
					for _, c := range chs[:min(len(chs), previewChanges)] {
						item.Changes = append(item.Changes, changeLine{Op: c.Op, Text: truncate(c.text(), 240)})
					}
				}
				item.OnTrace = e.nextOnTrace(n)
			}
		}
		res.Items = append(res.Items, item)
	}
	writeJSON(w, http.StatusOK, res)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// checkVersion reports whether a request's version (nil: not given)
// matches; if not it answers 409.
func (e *Explorer[S]) checkVersion(w http.ResponseWriter, v *int) bool {
	if v != nil && *v != e.version {
		writeError(w, http.StatusConflict, fmt.Errorf("the page shows version %d of the exploration, the server is at %d: reload", *v, e.version))
		return false
	}
	return true
}

// mutate serves a request that changes the exploration: it decodes the
// body into req, checks the version the page shows (*version, when given)
// under the lock, runs do, and answers with the new state, or with do's
// status and error when it refuses.
func (e *Explorer[S]) mutate(w http.ResponseWriter, r *http.Request, req any, version **int, do func() (int, error)) {
	if err := readBody(w, r, req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.checkVersion(w, *version) {
		return
	}
	if status, err := do(); err != nil {
		writeError(w, status, err)
		return
	}
	e.respondState(w)
}

func (e *Explorer[S]) serveStep(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Index   *int `json:"index"`
		Version *int `json:"version"`
	}
	e.mutate(w, r, &req, &req.Version, func() (int, error) {
		if req.Index == nil {
			return http.StatusBadRequest, errors.New(`step needs {"index": i}, a successor's index`)
		}
		sc, err := e.successors()
		if err != nil {
			return http.StatusInternalServerError, err
		}
		if *req.Index < 0 || *req.Index >= len(sc.all) {
			return http.StatusBadRequest, fmt.Errorf("successor %d does not exist: the current state has %d", *req.Index, len(sc.all))
		}
		if err := e.take(sc.all[*req.Index]); err != nil {
			return http.StatusUnprocessableEntity, err
		}
		return 0, nil
	})
}

func (e *Explorer[S]) serveBack(w http.ResponseWriter, r *http.Request) {
	var req struct {
		To      *int `json:"to"`
		Version *int `json:"version"`
	}
	e.mutate(w, r, &req, &req.Version, func() (int, error) {
		to := len(e.path) - 1
		if req.To != nil {
			to = *req.To
		}
		if to < e.minDepth() || to > len(e.path) {
			return http.StatusBadRequest, fmt.Errorf("cannot go back to depth %d: the path has %d states and goes back to %d", to, len(e.path), e.minDepth())
		}
		if to < len(e.path) {
			e.path = e.path[:to]
			e.changed()
		}
		return 0, nil
	})
}

func (e *Explorer[S]) serveJump(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Step    *int `json:"step"`
		Version *int `json:"version"`
	}
	e.mutate(w, r, &req, &req.Version, func() (int, error) {
		if e.saved == nil {
			return http.StatusBadRequest, errors.New("no saved trace: start the explorer with --itf FILE")
		}
		if req.Step == nil || *req.Step < 0 || *req.Step >= len(e.saved) {
			return http.StatusBadRequest, fmt.Errorf(`jump needs {"step": k} with k in 0..%d`, len(e.saved)-1)
		}
		e.path = append([]*exNode[S](nil), e.saved[:*req.Step+1]...)
		e.changed()
		return 0, nil
	})
}

func (e *Explorer[S]) serveRestart(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Version *int `json:"version"`
	}
	e.mutate(w, r, &req, &req.Version, func() (int, error) {
		e.path = e.path[:min(len(e.path), e.minDepth())]
		e.changed()
		return 0, nil
	})
}

// pathTrace returns the path taken as a trace; e.mu is held.
func (e *Explorer[S]) pathTrace() *trace.Trace {
	t := e.mc.NewTrace()
	t.Meta = map[string]any{
		trace.MetaTool:  "execspec explore",
		trace.MetaModel: e.mc.Name(),
	}
	if e.opts.Instance != "" {
		t.Meta[trace.MetaInstance] = e.opts.Instance
	}
	if e.opts.Source != "" {
		t.Meta["source"] = e.opts.Source
	}
	for _, n := range e.path {
		t.Steps = append(t.Steps, trace.Step{Action: n.action, Picks: n.picks, State: n.vals})
	}
	return t
}

func (e *Explorer[S]) exportName() string {
	name := e.mc.Name()
	if e.opts.Instance != "" {
		name += "-" + e.opts.Instance
	}
	return name + "-explore.itf.json"
}

func (e *Explorer[S]) serveExport(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	t := e.pathTrace()
	e.mu.Unlock()
	if len(t.Steps) == 0 {
		writeError(w, http.StatusConflict, errors.New("nothing to export: choose an initial state first"))
		return
	}
	var buf bytes.Buffer
	if err := t.ToITF().EncodePretty(&buf); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.exportName()}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

func (e *Explorer[S]) serveView(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	t := e.pathTrace()
	e.mu.Unlock()
	if len(t.Steps) == 0 {
		writeError(w, http.StatusConflict, errors.New("nothing to show: choose an initial state first"))
		return
	}
	if err := AnnotateModel(e.mc, t); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	var buf bytes.Buffer
	if err := Write(&buf, t.ToITF(), Options{Title: "explored path: " + e.mc.Name() + " " + e.opts.Instance}); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
