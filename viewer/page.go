package viewer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/execspec/execspec/internal/atomicfile"
	"github.com/execspec/execspec/itf"
)

// Write writes to w one self-contained HTML page showing the trace t: a
// timeline of the steps (action and picks, when the trace records them as
// Quint's mbt::actionTaken and mbt::nondetPicks do), the state at the
// selected step as a collapsible tree with what changed since the previous
// step highlighted, each variable's history, the per-step property table of
// the trace's #meta (see AnnotateProperties), the lasso's loop, and a
// swimlane per actor. The page loads nothing from the network: its scripts
// and styles are embedded, and so is the trace, as ITF.
//
// The same trace and options always give the same bytes. A trace whose
// JSON exceeds opts.MaxBytes is shown as a window of its steps, the widest
// that fits, ending at the step the page would open at (the divergence, or
// the last step, where findings are), and the page says so; when
// opts.Steps chooses the steps, it is refused with a *TooLargeError.
func Write(w io.Writer, t *itf.Trace, opts Options) error {
	p, err := buildPage(t, opts)
	var tl *TooLargeError
	if errors.As(err, &tl) && opts.Steps == nil {
		p, err = buildWindow(t, opts, tl)
	}
	if err != nil {
		return err
	}
	if err := p.render(w, pageAssets()); err != nil {
		return fmt.Errorf("viewer: writing the page: %w", err)
	}
	return nil
}

// WriteFile writes the page for t to the file at path, atomically (through
// a temporary file in the same directory renamed over path).
func WriteFile(path string, t *itf.Trace, opts Options) error {
	var buf bytes.Buffer
	if err := Write(&buf, t, opts); err != nil {
		return err
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("viewer: %w", err)
	}
	return nil
}

// buildWindow builds the page of the widest window of t's steps whose
// JSON fits opts.MaxBytes, ending at t's focus: a few steps past the
// divergence mbt recorded, or the last step. whole is the error of the
// whole trace.
func buildWindow(t *itf.Trace, opts Options, whole *TooLargeError) (*page, error) {
	n := len(t.States)
	end := n - 1
	if d := divergenceOf(t.Meta, 0, n-1); d != nil {
		end = min(d.Step+windowAfter, n-1)
	}
	// Each state's share of the JSON, from the end backwards, until the
	// window fills most of the cap (the rest is for the layout).
	budget := opts.maxBytes() / 10 * 9
	var buf []byte
	from := end
	for used := int64(0); from >= 0; from-- {
		buf = buf[:0]
		for name, v := range t.States[from].Values {
			if opts.Vars == nil || slices.Contains(opts.Vars, name) || name == itf.ActionTakenVar || name == itf.NondetPicksVar {
				buf = itf.AppendJSON(buf, v)
				buf = append(buf, name...)
			}
		}
		if used += int64(len(buf)) + 16; used > budget {
			break
		}
	}
	from++
	for {
		if from > end {
			return nil, whole // not even one step fits
		}
		o := opts
		o.Steps = &StepRange{From: from, To: end}
		p, err := buildPage(t, o)
		var tl *TooLargeError
		if errors.As(err, &tl) {
			from += max((end-from+1)/2, 1) // the estimate was short: halve the window
			continue
		}
		if err != nil {
			return nil, err
		}
		p.view.Notes = append([]string{fmt.Sprintf("%s: showing the steps %d..%d that lead to step %d; choose others with --steps, or raise the limit with --max-size",
			whole.what(), from, end, end)}, p.view.Notes...)
		return p, nil
	}
}

// windowAfter is how many steps past a divergence a window shows.
const windowAfter = 3

// page is everything a trace page shows: the (filtered) ITF trace, encoded,
// and the view model computed from it.
type page struct {
	itfJSON []byte
	view    pageView
}

// pageView is the view model the page's script reads: what is cheaper or
// safer to compute in Go than in the browser.
type pageView struct {
	Title string `json:"title"`
	// Meta holds the trace's #meta entries worth showing, in a fixed order.
	Meta [][2]string `json:"meta"`
	// Vars are the state variables shown (without Quint's mbt:: ones).
	Vars []string `json:"vars"`
	// Total is the number of states of the unfiltered trace.
	Total int `json:"total"`
	// Loop is the index, among Steps, where the lasso's loop starts.
	Loop *int `json:"loop"`
	// Notes say what was filtered out, and warnings about the input.
	Notes      []string    `json:"notes"`
	Actor      *actorView  `json:"actor"`
	Properties []propView  `json:"properties"`
	Status     *statusView `json:"status"`
	// Start is the step the page opens at: the divergence, the finding
	// (the step the trace's #meta or the property table marks), or 0.
	Start int `json:"start"`
	// Divergence is what model-based testing saw at the step where the
	// implementation departed from the model (a "divergence" in #meta).
	Divergence *divergenceView `json:"divergence"`
	// Steps stays last: encode writes it one step per line.
	Steps []stepView `json:"steps"`
}

type stepView struct {
	// I is the step's index in the unfiltered trace.
	I       int        `json:"i"`
	Action  string     `json:"action"`
	Picks   []pickView `json:"picks"`
	Actor   string     `json:"actor,omitempty"`
	Changes []change   `json:"changes"`
}

type pickView struct {
	Label string          `json:"label"`
	Value json.RawMessage `json:"value"`
}

type actorView struct {
	Label string   `json:"label"`
	Lanes []string `json:"lanes"`
	// Detected is true when the label was chosen automatically.
	Detected bool `json:"detected"`
}

// statusView marks a step the trace's #meta names as violating (or
// reaching) a property when it has no property table: execspec and Quint
// write traces whose last state is the finding.
type statusView struct {
	Step     int    `json:"step"`
	Status   string `json:"status"`
	Property string `json:"property"`
}

// divergenceView is the implementation's departure from the model at one
// step, as mbt writes it into a saved trace's #meta: the fields the model
// expected and the implementation showed, side by side.
type divergenceView struct {
	Step    int         `json:"step"`
	Kind    string      `json:"kind"`
	Summary string      `json:"summary"`
	Fields  []fieldView `json:"fields"`
}

type fieldView struct {
	Path     string          `json:"path"`
	Expected json.RawMessage `json:"expected"` // null: absent
	Observed json.RawMessage `json:"observed"`
}

// divergenceOf reads the "divergence" of a trace's #meta (mbt.MetaDivergence),
// shifted to the page's first step; nil when there is none or it lies
// outside the steps shown.
func divergenceOf(meta map[string]any, from, to int) *divergenceView {
	raw, ok := meta["divergence"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var d divergenceView
	if json.Unmarshal(b, &d) != nil || d.Step < from || d.Step > to {
		return nil
	}
	d.Step -= from
	if d.Fields == nil {
		d.Fields = []fieldView{}
	}
	for i := range d.Fields {
		if len(d.Fields[i].Expected) == 0 {
			d.Fields[i].Expected = json.RawMessage("null")
		}
		if len(d.Fields[i].Observed) == 0 {
			d.Fields[i].Observed = json.RawMessage("null")
		}
	}
	return &d
}

// metaOrder lists the #meta keys the page shows, in order.
var metaOrder = []string{"model", "instance", "property", "formula", "status", "source", "description", "seed", "sample", "strategy", "replay", "error", "tool", "timestamp"}

func buildPage(t *itf.Trace, opts Options) (*page, error) {
	if t == nil {
		return nil, errors.New("viewer: nil trace")
	}
	if len(t.States) == 0 {
		return nil, errors.New("viewer: the trace has no states")
	}
	var userVars, mbtVars []string
	for _, v := range t.Vars {
		if v == itf.ActionTakenVar || v == itf.NondetPicksVar {
			mbtVars = append(mbtVars, v)
		} else {
			userVars = append(userVars, v)
		}
	}
	var notes []string
	vars := userVars
	if opts.Vars != nil {
		keep := map[string]bool{}
		for _, v := range opts.Vars {
			if !slices.Contains(userVars, v) {
				return nil, fmt.Errorf("viewer: unknown variable %q; the trace has: %s", v, strings.Join(userVars, ", "))
			}
			keep[v] = true
		}
		vars = nil
		for _, v := range userVars {
			if keep[v] {
				vars = append(vars, v)
			}
		}
		if len(vars) < len(userVars) {
			notes = append(notes, fmt.Sprintf("showing %d of %d variables (%s)", len(vars), len(userVars), strings.Join(vars, ", ")))
		}
	}

	n := len(t.States)
	from, to := 0, n-1
	if r := opts.Steps; r != nil {
		if r.From >= n {
			return nil, fmt.Errorf("viewer: step range %s: the trace has steps 0..%d", r, n-1)
		}
		from = r.From
		if r.To >= 0 && r.To < to {
			to = r.To
		}
		if from > 0 || to < n-1 {
			notes = append(notes, fmt.Sprintf("showing steps %d..%d of 0..%d", from, to, n-1))
		}
	}

	// The filtered trace, as embedded in the page.
	ft := &itf.Trace{Params: t.Params, Vars: append(slices.Clone(vars), mbtVars...)}
	for i := from; i <= to; i++ {
		src := t.States[i]
		st := itf.State{Meta: src.Meta, Values: make(map[string]itf.Value, len(ft.Vars)+len(t.Params))}
		for _, v := range ft.Vars {
			st.Values[v] = src.Values[v]
		}
		for _, v := range []string{itf.ActionTakenVar, itf.NondetPicksVar} {
			if x, ok := src.Values[v]; ok {
				st.Values[v] = x
			}
		}
		if i == from {
			// Parameters are set in the first state.
			for _, p := range t.Params {
				if v, ok := t.States[0].Values[p]; ok {
					st.Values[p] = v
				}
			}
		}
		ft.States = append(ft.States, st)
	}
	var loop *int
	if t.Loop != nil {
		switch l := *t.Loop; {
		case to == n-1 && l >= from:
			loop = new(int)
			*loop = l - from
		default:
			notes = append(notes, fmt.Sprintf("the trace is a lasso looping back to step %d, outside the steps shown", l))
		}
	}
	ft.Loop = loop
	props, propNotes := properties(t.Meta, n, from, to)
	notes = append(notes, propNotes...)
	ft.Meta = sliceMeta(t.Meta, from, to)

	var buf bytes.Buffer
	lw := &limitWriter{w: &buf, max: opts.maxBytes()}
	if err := ft.EncodePretty(lw); err != nil {
		if lw.over() {
			return nil, &TooLargeError{Size: lw.n, Max: lw.max}
		}
		return nil, fmt.Errorf("viewer: %w", err)
	}
	if lw.over() {
		return nil, &TooLargeError{Size: lw.n, Max: lw.max}
	}

	// The steps' view counts against the cap too: a trace of many small
	// states makes a page many times its JSON.
	size := lw.n
	steps := make([]stepView, 0, min(to-from+1, 1<<16))
	for i := from; i <= to; i++ {
		st := t.States[i]
		sv := stepView{I: i, Picks: []pickView{}, Changes: []change{}}
		sv.Action, _ = itf.ActionTaken(st)
		if picks, ok := itf.NondetPicks(st); ok {
			labels := make([]string, 0, len(picks))
			for l := range picks {
				labels = append(labels, l)
			}
			sort.Strings(labels)
			for _, l := range labels {
				sv.Picks = append(sv.Picks, pickView{Label: l, Value: itf.AppendJSON(nil, picks[l])})
			}
		}
		if i > 0 {
			sv.Changes = diffStates(vars, t.States[i-1].Values, st.Values)
			if sv.Changes == nil {
				sv.Changes = []change{}
			}
		}
		if b, err := json.Marshal(sv); err == nil {
			size += int64(len(b))
		}
		if lw.max >= 0 && size > lw.max {
			return nil, &TooLargeError{Size: size, Max: lw.max, Page: true}
		}
		steps = append(steps, sv)
	}
	actor, err := detectActor(t.States[from:to+1], steps, opts.Actor)
	if err != nil {
		return nil, err
	}

	view := pageView{
		Title:      pageTitle(t.Meta, opts.Title),
		Meta:       metaView(t.Meta),
		Vars:       vars,
		Total:      n,
		Loop:       loop,
		Notes:      notes,
		Actor:      actor,
		Properties: props,
		Steps:      steps,
	}
	if view.Notes == nil {
		view.Notes = []string{}
	}
	if view.Vars == nil {
		view.Vars = []string{}
	}
	if len(props) == 0 && to == n-1 {
		status, _ := t.Meta["status"].(string)
		prop, _ := t.Meta["property"].(string)
		if status == "violation" || status == "example" || status == "error" {
			view.Status = &statusView{Step: to - from, Status: status, Property: prop}
		}
	}
	view.Divergence = divergenceOf(t.Meta, from, to)
	switch {
	case view.Divergence != nil:
		view.Start = view.Divergence.Step
	case view.Status != nil:
		view.Start = view.Status.Step
	default:
		// The first invariant violated; else the example the trace was
		// searched for, where it is reached.
		target, _ := t.Meta["property"].(string)
		first := -1
		for _, p := range props {
			if p.First >= 0 && p.Kind == "invariant" && (first < 0 || p.First < first) {
				first = p.First
			}
		}
		for _, p := range props {
			if first < 0 && p.First >= 0 && p.Kind == "example" && p.Name == target {
				first = p.First
			}
		}
		view.Start = max(first, 0)
	}
	return &page{itfJSON: buf.Bytes(), view: view}, nil
}

// limitWriter writes to w until more than max bytes were written, then
// only counts.
type limitWriter struct {
	w   io.Writer
	n   int64
	max int64 // negative: no limit
}

func (l *limitWriter) over() bool { return l.max >= 0 && l.n > l.max }

func (l *limitWriter) Write(p []byte) (int, error) {
	l.n += int64(len(p))
	if l.over() {
		return len(p), nil
	}
	return l.w.Write(p)
}

func pageTitle(meta map[string]any, title string) string {
	if title != "" {
		return title
	}
	model, _ := meta["model"].(string)
	instance, _ := meta["instance"].(string)
	property, _ := meta["property"].(string)
	t := strings.TrimSpace(model + " " + instance)
	if property != "" {
		if t != "" {
			t += ": "
		}
		t += property
	}
	if t == "" {
		return "ITF trace"
	}
	return t
}

func metaView(meta map[string]any) [][2]string {
	out := [][2]string{}
	for _, k := range metaOrder {
		v, ok := meta[k]
		if !ok || v == nil {
			continue
		}
		var s string
		switch v := v.(type) {
		case string:
			s = v
		default:
			b, err := json.Marshal(v)
			if err != nil {
				continue
			}
			s = string(b)
		}
		out = append(out, [2]string{k, s})
	}
	return out
}

// sliceMeta returns a copy of meta whose property table covers the steps
// from..to.
func sliceMeta(meta map[string]any, from, to int) map[string]any {
	if meta == nil {
		return nil
	}
	out := make(map[string]any, len(meta))
	for k, v := range meta {
		out[k] = v
	}
	table, ok := meta[MetaProperties].(map[string]any)
	if !ok {
		return out
	}
	sliced := make(map[string]any, len(table))
	for name, vals := range table {
		list, ok := toList(vals)
		if !ok || len(list) <= to {
			sliced[name] = vals
			continue
		}
		sliced[name] = list[from : to+1]
	}
	out[MetaProperties] = sliced
	return out
}
