package viewer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/localguard/guardtest"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// apiClient talks to an explorer under test.
type apiClient struct {
	t   *testing.T
	srv *httptest.Server
}

func newAPI(t *testing.T, h http.Handler) *apiClient {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &apiClient{t: t, srv: srv}
}

// do sends a request and decodes a JSON answer into out; it returns the
// status code.
func (c *apiClient) do(method, path string, body any, out any) int {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.srv.URL+path, rd)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	if resp.StatusCode >= 300 && out != nil {
		if e, ok := out.(*apiError); ok {
			json.Unmarshal(data, e)
		}
	}
	return resp.StatusCode
}

type apiError struct {
	Error string `json:"error"`
}

// Decoded forms of the API's answers.
type apiState struct {
	Model    string               `json:"model"`
	Version  int                  `json:"version"`
	Depth    int                  `json:"depth"`
	MinDepth int                  `json:"minDepth"`
	Path     []pathStep           `json:"path"`
	State    map[string]itf.Value `json:"state"`
	Changes  []struct {
		Op string `json:"op"`
		P  string `json:"p"`
	} `json:"changes"`
	Properties []propStatus `json:"properties"`
	Successors struct {
		Total   int `json:"total"`
		Actions []struct {
			Name       string `json:"name"`
			Count      int    `json:"count"`
			Incomplete bool   `json:"incomplete"`
		} `json:"actions"`
	} `json:"successors"`
	Trace *struct {
		At    int        `json:"at"`
		Steps []pathStep `json:"steps"`
	} `json:"trace"`
}

type apiPage struct {
	Version int `json:"version"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	Pages   int `json:"pages"`
	Items   []struct {
		Index  int `json:"index"`
		Action string
		Picks  []struct {
			Label string
			Value itf.Value
		}
		Changes  []changeLine
		NChanges int
		Violated []string
		Reached  []string
		OnTrace  bool
		Error    string
	} `json:"items"`
}

func (c *apiClient) state() apiState {
	c.t.Helper()
	var st apiState
	if code := c.do("GET", "/api/state", nil, &st); code != 200 {
		c.t.Fatalf("GET /api/state: %d", code)
	}
	return st
}

func (c *apiClient) page(action string, page int) apiPage {
	c.t.Helper()
	var p apiPage
	path := fmt.Sprintf("/api/successors?page=%d", page)
	if action != "" {
		path += "&action=" + action
	}
	if code := c.do("GET", path, nil, &p); code != 200 {
		c.t.Fatalf("GET %s: %d", path, code)
	}
	return p
}

// stepTo takes the first successor of action whose picks print as picks
// (or the first one when picks is "").
func (c *apiClient) stepTo(action, picks string) apiState {
	c.t.Helper()
	st := c.state()
	for pg := 0; ; pg++ {
		p := c.page(action, pg)
		for _, it := range p.Items {
			if picks == "" || picksString(it.Picks) == picks {
				var next apiState
				if code := c.do("POST", "/api/step", map[string]any{"index": it.Index, "version": st.Version}, &next); code != 200 {
					c.t.Fatalf("POST /api/step %d: %d", it.Index, code)
				}
				return next
			}
		}
		if pg+1 >= p.Pages {
			c.t.Fatalf("no successor of %s with picks %s", action, picks)
		}
	}
}

func picksString(ps []struct {
	Label string
	Value itf.Value
}) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, p.Label+"="+p.Value.String())
	}
	return strings.Join(parts, ", ")
}

func TestExplorerSuccessorsPaging(t *testing.T) {
	mc := dnsMachine(t)
	ex, err := NewExplorer(mc, ExplorerOptions{Instance: "n3_5_3"})
	if err != nil {
		t.Fatal(err)
	}
	c := newAPI(t, ex)
	st := c.state()
	// One initial state: the explorer starts there.
	if st.Depth != 1 || st.MinDepth != 1 || st.Path[0].Action != "init" {
		t.Fatalf("start: depth %d, min %d, path %+v; want the single initial state", st.Depth, st.MinDepth, st.Path)
	}
	counts := map[string]int{}
	for _, a := range st.Successors.Actions {
		counts[a.Name] = a.Count
		if a.Incomplete {
			t.Errorf("action %s listed as incomplete", a.Name)
		}
	}
	// plan: non-empty subsets of 3 IPs, a weight in 100..120 for each:
	// 3·21 + 3·21² + 21³ = 10,647 outcomes; sync: one per deployer.
	if counts["plan"] != 10647 || counts["sync"] != 3 || counts["deploy"] != 0 || counts["cleanup"] != 0 || st.Successors.Total != 10650 {
		t.Fatalf("successor counts %v (total %d), want plan 10647, sync 3, deploy 0, cleanup 0", counts, st.Successors.Total)
	}
	p := c.page("", 0)
	if p.Total != 10650 || p.Pages != 213 || len(p.Items) != 50 || p.Items[0].Index != 0 || p.Items[49].Index != 49 {
		t.Fatalf("page 0: total %d, pages %d, %d items from %d", p.Total, p.Pages, len(p.Items), p.Items[0].Index)
	}
	last := c.page("plan", 212)
	if last.Total != 10647 || len(last.Items) != 47 || last.Items[46].Index != 10646 {
		t.Errorf("last page of plan: total %d, %d items, last index %d; want 10647, 47, 10646", last.Total, len(last.Items), last.Items[len(last.Items)-1].Index)
	}
	sync := c.page("sync", 0)
	if len(sync.Items) != 3 || sync.Items[0].Index != 10647 || picksString(sync.Items[0].Picks) != `deployer="deployer-a"` {
		t.Errorf("sync page: %+v", sync.Items)
	}
	if sync.Items[0].NChanges != 0 {
		t.Errorf("sync in the initial state changes %d things, want none", sync.Items[0].NChanges)
	}
	plan := p.Items[0]
	if plan.Action != "plan" || plan.NChanges != 1 || !strings.HasPrefix(plan.Changes[0].Text, "plans[0]: + {id: 1, weights: Map(") {
		t.Errorf("first plan successor: %+v", plan)
	}
	if beyond := c.page("plan", 500); len(beyond.Items) != 0 {
		t.Errorf("a page past the end has %d items", len(beyond.Items))
	}
	var e apiError
	if code := c.do("GET", "/api/successors?action=nope", nil, &e); code != 400 || !strings.Contains(e.Error, "plan, sync, deploy, cleanup") {
		t.Errorf("unknown action: %d %q, want 400 listing the actions", code, e.Error)
	}
	for _, page := range []string{"9223372036854775807", "4611686018427387904", "1000"} {
		var p successorPage
		if code := c.do("GET", "/api/successors?page="+page, nil, &p); code != 200 || len(p.Items) != 0 {
			t.Errorf("page %s, past the last: %d with %d items, want 200 and none", page, code, len(p.Items))
		}
	}
	if code := c.do("GET", "/api/successors?page=-1", nil, nil); code != 400 {
		t.Errorf("page -1: %d, want 400", code)
	}
	if code := c.do("GET", "/api/successors?size=5000", nil, nil); code != 400 {
		t.Errorf("size 5000: %d, want 400", code)
	}
}

func TestExplorerStepBackExport(t *testing.T) {
	mc := dnsMachine(t)
	ex, err := NewExplorer(mc, ExplorerOptions{Instance: "n3_5_3", Source: "./examples/dnsbalancer"})
	if err != nil {
		t.Fatal(err)
	}
	c := newAPI(t, ex)
	start := c.state()

	st := c.stepTo("plan", `ips={"192.0.2.1"}, weights=Map("192.0.2.1" -> 105)`)
	if st.Depth != 2 || st.Version == start.Version || len(st.Changes) != 1 || st.Changes[0].P != "plans[0]" || st.Changes[0].Op != "add" {
		t.Fatalf("after plan: depth %d, version %d, changes %+v", st.Depth, st.Version, st.Changes)
	}
	// A stale version is refused; so are bodies that are not JSON, wrong
	// methods and unknown successors.
	var e apiError
	if code := c.do("POST", "/api/step", map[string]any{"index": 0, "version": start.Version}, &e); code != http.StatusConflict || !strings.Contains(e.Error, "reload") {
		t.Errorf("stale step: %d %q, want 409", code, e.Error)
	}
	resp, err := http.Post(c.srv.URL+"/api/step", "application/x-www-form-urlencoded", strings.NewReader("index=0"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("form post: %d, want 415", resp.StatusCode)
	}
	if code := c.do("GET", "/api/step", nil, nil); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/step: %d, want 405", code)
	}
	if code := c.do("POST", "/api/step", map[string]any{"index": 1 << 30}, nil); code != 400 {
		t.Errorf("step to a missing successor: %d, want 400", code)
	}
	if code := c.do("POST", "/api/step", map[string]any{"bogus": 1}, nil); code != 400 {
		t.Errorf("step with an unknown field: %d, want 400", code)
	}

	// Deploy it: the root moves to plan 1, which is then checked.
	c.stepTo("sync", `deployer="deployer-a"`)
	st = c.stepTo("deploy", `deployer="deployer-a"`)
	var paths []string
	for _, ch := range st.Changes {
		paths = append(paths, ch.P)
	}
	if got := strings.Join(paths, " "); !strings.Contains(got, "zone.root") || !strings.Contains(got, "zone.trees[1]") {
		t.Errorf("deploy changes %s; want zone.root and zone.trees[1]", got)
	}
	for _, p := range st.Properties {
		if p.Kind == "invariant" && (p.OK == nil || !*p.OK) {
			t.Errorf("invariant %s does not hold after a plain deploy", p.Name)
		}
	}
	// Back one step, then forward again.
	var back apiState
	if code := c.do("POST", "/api/back", map[string]any{}, &back); code != 200 || back.Depth != 3 {
		t.Fatalf("back: %d, depth %d; want 200, 3", code, back.Depth)
	}
	if code := c.do("POST", "/api/back", map[string]any{"to": 0}, &e); code != 400 {
		t.Errorf("back beyond the single initial state: %d, want 400", code)
	}
	c.stepTo("deploy", `deployer="deployer-a"`)
	c.stepTo("plan", "")
	final := c.state()
	if final.Depth != 5 {
		t.Fatalf("depth %d, want 5", final.Depth)
	}

	// Export: an ITF trace of the path, which decodes and replays.
	resp, err = http.Get(c.srv.URL + "/api/export.itf.json")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename=dnsbalancer-n3_5_3-explore.itf.json`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	it, err := itf.DecodeBytes(data)
	if err != nil {
		t.Fatalf("the export does not decode: %v\n%s", err, data)
	}
	if it.Meta["source"] != "./examples/dnsbalancer" || it.Meta["instance"] != "n3_5_3" {
		t.Errorf("export #meta %v", it.Meta)
	}
	tr, err := trace.FromITF(it)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Steps) != 5 {
		t.Fatalf("the export has %d states, want 5", len(tr.Steps))
	}
	replayTrace(t, mc, tr)
	// Its last state is the one the explorer shows.
	for _, v := range mc.Vars() {
		if !itf.Equal(tr.Steps[4].State[v], final.State[v]) {
			t.Errorf("exported last state's %s = %s, explorer shows %s", v, tr.Steps[4].State[v], final.State[v])
		}
	}

	// The path as a trace page.
	resp, err = http.Get(c.srv.URL + "/view.html")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte(`"name":"no_inconsistent_root","kind":"invariant"`)) {
		t.Errorf("/view.html: %d, without the property table", resp.StatusCode)
	}
	// Restart goes back to the initial state.
	var rs apiState
	if code := c.do("POST", "/api/restart", nil, &rs); code != 200 || rs.Depth != 1 {
		t.Errorf("restart: %d, depth %d", code, rs.Depth)
	}
}

// replayTrace re-executes every step of tr with its recorded action and
// picks and checks that the model reaches the recorded states.
func replayTrace[S any](t *testing.T, mc *machine.Machine[S], tr *trace.Trace) {
	t.Helper()
	e := mc.NewExecutor()
	from, to := new(S), new(S)
	for i, st := range tr.Steps {
		action := machine.InitAction
		if i > 0 {
			a, err := mc.ActionIndex(st.Action)
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			action = a
		}
		picks := map[string]itf.Value{}
		for _, p := range st.Picks {
			picks[p.Label] = p.Value
		}
		e.Direct(picks)
		r := e.Exec(action, from, to, machine.Path(nil).Choices())
		if !r.Enabled {
			t.Fatalf("step %d (%s): not enabled on replay: %v", i, st.Action, r)
		}
		vals, err := mc.ToITF(to)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range mc.Vars() {
			if !itf.Equal(vals[v], st.State[v]) {
				t.Errorf("step %d: replayed %s = %s, exported %s", i, v, vals[v], st.State[v])
			}
		}
		from, to = to, from
	}
}

func TestExplorerSavedTrace(t *testing.T) {
	mc := dnsMachine(t)
	saved := dnsViolation(t, mc)
	ex, err := NewExplorer(mc, ExplorerOptions{Instance: "n3_5_3", Trace: saved.ToITF()})
	if err != nil {
		t.Fatal(err)
	}
	c := newAPI(t, ex)
	st := c.state()
	last := len(saved.Steps) - 1
	if st.Trace == nil || len(st.Trace.Steps) != len(saved.Steps) || st.Trace.At != 0 {
		t.Fatalf("saved trace in the state: %+v; want %d steps, at 0 (the initial state is its first)", st.Trace, len(saved.Steps))
	}
	if got := st.Trace.Steps[last].Violated; len(got) != 1 || got[0] != "no_inconsistent_root" {
		t.Errorf("the saved trace's last step violates %v, want [no_inconsistent_root]", got)
	}
	// Jump to the step before the last: the saved trace's next step is
	// marked among the successors.
	var js apiState
	if code := c.do("POST", "/api/jump", map[string]any{"step": last - 1}, &js); code != 200 || js.Depth != last || js.Trace.At != last-1 {
		t.Fatalf("jump: %d, depth %d, at %d", code, js.Depth, js.Trace.At)
	}
	next := saved.Steps[last]
	marked := 0
	for pg := 0; ; pg++ {
		p := c.page(next.Action, pg)
		for _, it := range p.Items {
			if it.OnTrace {
				marked++
				if len(it.Violated) != 1 || it.Violated[0] != "no_inconsistent_root" {
					t.Errorf("the marked successor violates %v", it.Violated)
				}
			}
		}
		if pg+1 >= p.Pages {
			break
		}
	}
	if marked == 0 {
		t.Error("no successor is marked as the saved trace's next step")
	}
	// Jump to the end: the invariant is violated there.
	if code := c.do("POST", "/api/jump", map[string]any{"step": last}, &js); code != 200 {
		t.Fatalf("jump to the end: %d", code)
	}
	for _, p := range js.Properties {
		if p.Name == "no_inconsistent_root" && (p.OK == nil || *p.OK) {
			t.Error("no_inconsistent_root holds at the saved trace's last state")
		}
	}
	// Going back keeps the position on the trace; a step off it leaves.
	if code := c.do("POST", "/api/back", map[string]any{"to": 3}, &js); code != 200 || js.Trace.At != 2 {
		t.Errorf("back to depth 3: at %d, want 2", js.Trace.At)
	}
	if code := c.do("POST", "/api/jump", map[string]any{"step": len(saved.Steps)}, nil); code != 400 {
		t.Errorf("jump past the end: %d, want 400", code)
	}
	// A trace of another model is refused up front.
	bad := saved.ToITF()
	bad.Vars = []string{"x"}
	for i := range bad.States {
		bad.States[i].Values = map[string]itf.Value{"x": itf.Int(1)}
	}
	if _, err := NewExplorer(mc, ExplorerOptions{Trace: bad}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a foreign trace: %v, want an error about a missing variable", err)
	}
}

// choiceState is the state of a small model with several initial states
// and an action that panics on one branch.
type choiceState struct {
	N    int
	Mode string
}

func choiceMachine(t *testing.T) *machine.Machine[choiceState] {
	t.Helper()
	m := execspec.NewModel[choiceState]("choice")
	m.Init(func(c *execspec.Ctx[choiceState]) {
		c.S.Mode = execspec.OneOf(c, "mode", []string{"calm", "wild"})
	})
	m.Action("inc", func(c *execspec.Ctx[choiceState]) {
		by := execspec.IntRange(c, "by", 1, 3)
		if by == 3 && c.S.Mode == "wild" {
			panic("wild increments by 3 are not modelled")
		}
		c.S.N += by
	})
	m.Invariant("small", func(s *choiceState) bool { return s.N < 4 })
	m.Example("two", func(s *choiceState) bool { return s.N == 2 })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

func TestExplorerInitChoiceAndPanics(t *testing.T) {
	ex, err := NewExplorer(choiceMachine(t), ExplorerOptions{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := newAPI(t, ex)
	st := c.state()
	if st.Depth != 0 || st.MinDepth != 0 || st.Successors.Total != 2 || st.Successors.Actions[0].Name != "init" {
		t.Fatalf("start: depth %d, successors %+v; want a choice of 2 initial states", st.Depth, st.Successors)
	}
	if code := c.do("GET", "/api/export.itf.json", nil, nil); code != http.StatusConflict {
		t.Errorf("export before choosing: %d, want 409", code)
	}
	st = c.stepTo("init", `mode="wild"`)
	if st.Depth != 1 || st.Successors.Total != 3 {
		t.Fatalf("after init: depth %d, %d successors", st.Depth, st.Successors.Total)
	}
	p := c.page("inc", 1) // page size 2: the third branch
	if len(p.Items) != 1 || !strings.Contains(p.Items[0].Error, "not modelled") {
		t.Fatalf("the panicking branch: %+v", p.Items)
	}
	var e apiError
	if code := c.do("POST", "/api/step", map[string]any{"index": p.Items[0].Index}, &e); code != http.StatusUnprocessableEntity || !strings.Contains(e.Error, "panics") {
		t.Errorf("stepping into a panic: %d %q, want 422", code, e.Error)
	}
	st = c.stepTo("inc", "by=2")
	for _, pr := range st.Properties {
		if pr.Name == "two" && (pr.OK == nil || !*pr.OK) {
			t.Error("example two not reached at N=2")
		}
	}
	if len(st.Path[1].Reached) != 1 || st.Path[1].Reached[0] != "two" {
		t.Errorf("path step reached %v", st.Path[1].Reached)
	}
	// Back to the choice of initial states.
	var back apiState
	if code := c.do("POST", "/api/back", map[string]any{"to": 0}, &back); code != 200 || back.Depth != 0 {
		t.Errorf("back to the start: %d, depth %d", code, back.Depth)
	}
}

// The explorer answers only to loopback names and its configured hosts
// (DNS rebinding), only same-origin, and only to JSON POSTs.
func TestExplorerRefusesOtherSites(t *testing.T) {
	ex, err := NewExplorer(choiceMachine(t), ExplorerOptions{Hosts: []string{"dev.box"}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		probe guardtest.Probe
		want  int
	}{
		{"page on loopback", guardtest.Probe{Method: "GET", Path: "/", Host: "127.0.0.1:8000"}, http.StatusOK},
		{"page on an allowed host", guardtest.Probe{Method: "GET", Path: "/", Host: "dev.box:8000"}, http.StatusOK},
		{"rebinding", guardtest.Probe{Method: "GET", Path: "/api/state", Host: "evil.example:8000"}, http.StatusForbidden},
		{"cross-site restart", guardtest.Probe{Method: "POST", Path: "/api/restart", Host: "127.0.0.1:8000", Origin: "http://evil.example", ContentType: "application/json"}, http.StatusForbidden},
		{"text/plain restart", guardtest.Probe{Method: "POST", Path: "/api/restart", Host: "127.0.0.1:8000", ContentType: "text/plain"}, http.StatusUnsupportedMediaType},
		{"same-origin restart", guardtest.Probe{Method: "POST", Path: "/api/restart", Host: "127.0.0.1:8000", Origin: "http://127.0.0.1:8000", ContentType: "application/json"}, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			ex.ServeHTTP(w, tc.probe.Request("{}"))
			if w.Code != tc.want {
				t.Errorf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
		})
	}
}

// TestExplorerRoutes: each path answers its method (GET also HEAD), other
// methods get a JSON 405 naming the allowed one, and unknown paths a JSON
// 404; the page is served at / and /index.html only.
func TestExplorerRoutes(t *testing.T) {
	ex, err := NewExplorer(dnsMachine(t), ExplorerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ex)
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		code         int
		allow        string // the Allow header of a 405
		errorPart    string // in the JSON error, when the answer is one
	}{
		{"GET", "/", 200, "", ""},
		{"HEAD", "/", 200, "", ""},
		{"GET", "/index.html", 200, "", ""},
		{"GET", "/api/state", 200, "", ""},
		{"HEAD", "/api/export.itf.json", 200, "", ""},
		{"POST", "/", 405, "GET", "/ needs GET"},
		{"DELETE", "/api/state", 405, "GET", "/api/state needs GET"},
		{"GET", "/api/restart", 405, "POST", "/api/restart needs POST"},
		{"PUT", "/api/step", 405, "POST", "/api/step needs POST"},
		{"GET", "/api/nothing", 404, "", "no such page: /api/nothing"},
		{"GET", "/index.htm", 404, "", "no such page"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.method != "GET" && tc.method != "HEAD" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.code, body)
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			if tc.errorPart != "" {
				var e apiError
				if err := json.Unmarshal(body, &e); err != nil || !strings.Contains(e.Error, tc.errorPart) {
					t.Errorf("body %s, want a JSON error with %q", body, tc.errorPart)
				}
			}
		})
	}
}
