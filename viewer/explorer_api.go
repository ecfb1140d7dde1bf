package viewer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// servePage serves the explorer's page.
func (e *Explorer[S]) servePage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(e.page)
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
