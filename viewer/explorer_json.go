package viewer

import (
	"encoding/json"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

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
