package linearize

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// maxPageOps caps the operations drawn on a history page: a page of more
// helps nobody, and shrinking makes failing histories small.
const maxPageOps = 5000

// WriteHistoryHTML is SaveHistory's page as a string: a self-contained
// HTML page (inline SVG and a few lines of script, no network) drawing one
// timeline per client that has operations, each operation a bar from its
// call to its return (open to the right when it got no answer), spaced by
// the order of events, with times shown from the first call. The
// operations of lin's longest linearizable prefix are green, numbered, and
// marked at a linearization point; the operation that cannot be placed is
// red. Selecting an operation (hover, click, or Tab and Enter) shows its
// inputs and outcome, and with exp the model's state after it, or for the
// red one what the model would have allowed instead.
func WriteHistoryHTML(h *History, lin Linearization, exp *Explanation) (string, error) {
	var b bytes.Buffer
	err := writeHistoryHTML(&b, h, lin, exp)
	return b.String(), err
}

type pageOp struct {
	X, Y, W, H  float64
	Index       int
	Client      int
	Label       string
	Class       string
	Order       int
	PointX      float64
	Call, Ret   string
	Text        string
	Open        bool
	LabelInside bool
}

type pageLane struct {
	Y      float64
	Client int
}

// pageDetail is what the page's script shows for an operation.
type pageDetail struct {
	Text    string            `json:"text"`
	Time    string            `json:"time"`
	Verdict string            `json:"verdict"`
	State   string            `json:"state,omitempty"`
	Allowed string            `json:"allowed,omitempty"`
	Inputs  map[string]string `json:"inputs,omitempty"`
}

const (
	laneH    = 46.0
	pageLeft = 80.0
	charW    = 7.0 // the width of a character of the bars' 11px monospace
)

func writeHistoryHTML(w *bytes.Buffer, h *History, lin Linearization, exp *Explanation) error {
	if len(h.Ops) > maxPageOps {
		return fmt.Errorf("history page: %d operations, over the limit of %d", len(h.Ops), maxPageOps)
	}
	order := map[int]int{}
	for i, op := range lin.Order {
		order[op] = i + 1
	}
	// x follows the order of events, not their times: times may be
	// logical or nanoseconds since 1970, and bars must stay readable.
	var times []int64
	for _, op := range h.Ops {
		times = append(times, op.Call)
		if !op.Pending {
			times = append(times, op.Return)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	rank := func(t int64) float64 {
		i, _ := slices.BinarySearch(times, t)
		return float64(i)
	}
	end := float64(len(times)) + 1 // where open operations end
	// A unit wide enough that every bar holds its action's name.
	unit := 18.0
	for _, op := range h.Ops {
		span := end - rank(op.Call)
		if !op.Pending {
			span = rank(op.Return) - rank(op.Call)
		}
		need := (float64(len([]rune(opLabel(op))))*charW + 8) / max(span, 1)
		unit = max(unit, min(need, 60))
	}
	var t0 int64
	if len(times) > 0 {
		t0 = times[0]
	}
	// Lanes for the clients that have operations (shrinking leaves some
	// without), in order.
	var clients []int
	for _, op := range h.Ops {
		if !slices.Contains(clients, op.Client) {
			clients = append(clients, op.Client)
		}
	}
	slices.Sort(clients)
	laneOf := map[int]int{}
	data := struct {
		Model, Verdict, Final string
		Width, Height         float64
		Lanes                 []pageLane
		Ops                   []pageOp
		Details               template.JS
	}{Model: h.Model, Width: pageLeft + (end+1)*unit + 20, Height: float64(len(clients))*laneH + 20}
	for i, c := range clients {
		laneOf[c] = i
		data.Lanes = append(data.Lanes, pageLane{Y: float64(i)*laneH + 10, Client: c})
	}
	stuck := -1
	if exp != nil {
		stuck = exp.Stuck
	}
	switch {
	case lin.OK:
		data.Verdict = fmt.Sprintf("linearizable: %d operations, %d clients; the numbers give an order the model explains", len(h.Ops), len(clients))
	case lin.FinalMismatch:
		data.Verdict = fmt.Sprintf("not linearizable: every one of the %d operations fits some order, but none ends in the observed final state", len(h.Ops))
		data.Final = strings.TrimRight(lin.FinalDiff, "\n")
	default:
		data.Verdict = fmt.Sprintf("not linearizable: the longest linearizable prefix found explains %d of %d operations (numbered, green)", len(lin.Order), len(h.Ops))
		if stuck >= 0 {
			data.Verdict += fmt.Sprintf("; operation #%d (red) cannot be placed after it", stuck)
		}
	}
	if lin.Partition != "" {
		data.Verdict += fmt.Sprintf(" (checked by partition; the failing one is %s)", lin.Partition)
	}
	points := linearizationPoints(h, lin.Order, rank)
	details := make([]pageDetail, len(h.Ops))
	for i, op := range h.Ops {
		x0 := rank(op.Call)
		x1 := end
		ret := "no answer"
		if !op.Pending {
			x1 = rank(op.Return)
			ret = fmt.Sprint(op.Return - t0)
		}
		p := pageOp{
			X: pageLeft + x0*unit, Y: float64(laneOf[op.Client])*laneH + 14,
			W: (x1 - x0) * unit, H: laneH - 12,
			Index: i, Client: op.Client, Label: opLabel(op), Class: "other", Open: op.Pending,
			Call: fmt.Sprint(op.Call - t0), Ret: ret, Text: op.String(),
		}
		p.LabelInside = float64(len([]rune(p.Label)))*charW+6 <= p.W
		d := pageDetail{Text: fmt.Sprintf("#%d %s", i, op), Time: fmt.Sprintf("called at %s, returned at %s (from the first call)", p.Call, ret)}
		if n, ok := order[i]; ok {
			p.Class, p.Order = "ok", n
			p.PointX = pageLeft + points[i]*unit
			d.Verdict = fmt.Sprintf("linearized %s of the prefix", ordinal(n))
			if exp != nil && n-1 < len(exp.States) {
				d.State = formatState(exp.States[n-1])
			}
		} else {
			switch {
			case i == stuck:
				p.Class = "bad"
				d.Verdict = "cannot be placed after the prefix"
				switch {
				case !exp.StuckEnabled && !op.Refused:
					d.Allowed = "the model does not allow this operation in the state the prefix ends in; it would have to be refused"
				case exp.StuckEnabled && op.Refused:
					d.Allowed = "the model allows this operation in the state the prefix ends in: it must not be refused"
				case len(exp.Allowed) > 0:
					var alts []string
					for _, a := range exp.Allowed {
						alts = append(alts, formatArgs(a))
					}
					d.Allowed = "the model would have answered: " + strings.Join(alts, " or ")
				}
				d.State = formatState(lastState(exp))
			case op.Pending:
				d.Verdict = "no answer, and not placed: it may never have taken effect"
			case lin.OK:
			default:
				d.Verdict = "not placed by the longest prefix"
			}
		}
		data.Ops = append(data.Ops, p)
		details[i] = d
	}
	js, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("history page: %w", err)
	}
	data.Details = template.JS(js)
	return historyPage.Execute(w, data)
}

// opLabel is what a bar says: the action, and ✗ when refused, ? when it
// got no answer.
func opLabel(op Operation) string {
	switch {
	case op.Refused:
		return op.Action + " ✗"
	case op.Pending:
		return op.Action + " ?"
	}
	return op.Action
}

// linearizationPoints places each operation of order at a point within
// its call and return (on the event-rank axis): the earliest point after
// the previous operation's, which a linearization always allows.
func linearizationPoints(h *History, order []int, rank func(int64) float64) map[int]float64 {
	pts := map[int]float64{}
	last := -1.0
	for _, i := range order {
		op := h.Ops[i]
		lo := rank(op.Call) + 0.2
		p := max(lo, last+0.2)
		if !op.Pending {
			p = min(p, rank(op.Return)-0.1)
		}
		pts[i], last = p, p
	}
	return pts
}

func lastState(exp *Explanation) map[string]itf.Value {
	if len(exp.States) > 0 {
		return exp.States[len(exp.States)-1]
	}
	return exp.Init
}

// formatState prints a state one variable a line.
func formatState(s map[string]itf.Value) string {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s = %s\n", n, s[n])
	}
	return strings.TrimRight(b.String(), "\n")
}

// formatArgs formats arguments as trace.FormatPicks formats picks.
func formatArgs(as []Arg) string {
	ps := make([]trace.Pick, len(as))
	for i, a := range as {
		ps[i] = trace.Pick{Label: a.Label, Value: a.Value}
	}
	return trace.FormatPicks(ps)
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

var historyPage = template.Must(template.New("history").Parse(strings.TrimSpace(`
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Model}}: concurrent history</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1em; }
#timeline { overflow-x: auto; }
.op rect { stroke-width: 1.5; }
.ok rect { fill: #d4f4d4; stroke: #2a7a2a; }
.bad rect { fill: #f8d0d0; stroke: #b02020; stroke-width: 2.5; }
.other rect { fill: #eeeeee; stroke: #888888; }
.op.open rect { stroke-dasharray: 5 3; }
.op:hover rect, .op.selected rect, .op:focus rect { stroke-width: 3; }
.op:focus { outline: none; }
.point { fill: #2a7a2a; }
text { font: 11px monospace; }
.lane { font: bold 12px system-ui, sans-serif; }
#detail { position: sticky; top: 0; background: #fffbe6; border: 1px solid #d8c98a; padding: 6px 10px; min-height: 3em; white-space: pre-wrap; font: 12px monospace; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { padding: 2px 8px; text-align: left; }
tr.ok td { background: #eef9ee; }
tr.bad td { background: #fbeaea; }
</style></head><body>
<h1>{{.Model}}: concurrent history</h1>
<p id="verdict">{{.Verdict}}.</p>
{{if .Final}}<pre id="final">{{.Final}}</pre>{{end}}
<p>Time runs left to right in the order of the calls and returns (times below are counted from the first call); a dot marks where the prefix places an operation (✗: refused, ?: no answer, dashed: open-ended). Hover over, click or tab to an operation for its inputs, its outcome and the model's state.</p>
<div id="detail">Select an operation.</div>
<div id="timeline"><svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}">
{{range .Lanes}}<text class="lane" x="4" y="{{.Y}}" dy="24">client {{.Client}}</text>
{{end}}{{range .Ops}}<g class="op {{.Class}}{{if .Open}} open{{end}}" data-i="{{.Index}}" tabindex="0"><title>{{.Text}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="3"></rect>{{if .Order}}<circle class="point" cx="{{.PointX}}" cy="{{.Y}}" r="3.5"></circle><text x="{{.PointX}}" y="{{.Y}}" dx="4" dy="11">{{.Order}}</text>{{end}}<text class="label" x="{{.X}}" y="{{.Y}}" dx="3" dy="{{if .LabelInside}}26{{else}}-3{{end}}">{{.Label}}</text></g>
{{end}}</svg></div>
<table><tr><th>#</th><th>order</th><th>client</th><th>call</th><th>return</th><th>operation</th></tr>
{{range .Ops}}<tr class="{{.Class}}" data-i="{{.Index}}"><td>{{.Index}}</td><td>{{if .Order}}{{.Order}}{{else}}-{{end}}</td><td>{{.Client}}</td><td>{{.Call}}</td><td>{{.Ret}}</td><td><code>{{.Text}}</code></td></tr>
{{end}}</table>
<script>
(function () {
  var details = {{.Details}};
  var panel = document.getElementById("detail");
  function show(i) {
    var d = details[i];
    var lines = [d.text, d.time];
    if (d.verdict) lines.push(d.verdict);
    if (d.allowed) lines.push(d.allowed);
    if (d.state) lines.push("model state" + (d.allowed ? " where the prefix ends" : " after it") + ":\n" + d.state);
    panel.textContent = lines.join("\n");
    document.querySelectorAll(".op.selected").forEach(function (g) { g.classList.remove("selected"); });
    var g = document.querySelector('.op[data-i="' + i + '"]');
    if (g) g.classList.add("selected");
    document.body.dataset.selected = String(i);
  }
  document.querySelectorAll(".op").forEach(function (g) {
    var i = Number(g.dataset.i);
    g.addEventListener("mouseenter", function () { show(i); });
    g.addEventListener("click", function () { show(i); });
    g.addEventListener("focus", function () { show(i); });
    g.addEventListener("keydown", function (e) { if (e.key === "Enter") show(i); });
  });
  var bad = document.querySelector(".op.bad");
  if (bad) show(Number(bad.dataset.i));
  document.body.dataset.ready = "1";
})();
</script>
</body></html>
`)))
