package viewer

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// These tests drive a real headless Chromium (see cdp_test.go). They skip,
// loudly, when it is missing, unless $CI is set. Screenshots go to the
// test's artifact directory (go test -artifacts keeps them) and their paths
// are logged.

// writePage writes the page for tr to a temporary file and returns its
// file:// URL.
func writePage(t *testing.T, tr *trace.Trace, opts Options) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trace.html")
	if err := WriteFile(path, tr.ToITF(), opts); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func TestBrowserTraceView(t *testing.T) {
	mc := dnsMachine(t)
	tr := dnsViolation(t, mc)
	if err := AnnotateModel(mc, tr); err != nil {
		t.Fatal(err)
	}
	last := len(tr.Steps) - 1
	b := startBrowser(t, 1400, 900)
	b.navigate(writePage(t, tr, Options{}))
	b.waitFor(`document.body.dataset.ready === "1"`, "the page to start")
	step := func() int {
		n, err := strconv.Atoi(b.evalString(`document.body.dataset.step`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if s := step(); s != last {
		t.Fatalf("the page opens at step %d, want the violation at step %d", s, last)
	}
	if n := b.evalString(`String(document.querySelectorAll("#steps li.step").length)`); n != strconv.Itoa(len(tr.Steps)) {
		t.Errorf("the timeline has %s steps, want %d", n, len(tr.Steps))
	}

	// Keyboard: → and j go forward, k and ← back, End to the last step.
	for _, k := range []struct {
		key  string
		want int
	}{{"Home", 0}, {"ArrowRight", 1}, {"j", 2}, {"j", 3}, {"k", 2}, {"ArrowLeft", 1}, {"End", last}, {"Home", 0}} {
		b.press(k.key)
		b.waitFor(fmt.Sprintf(`document.body.dataset.step === "%d"`, k.want), fmt.Sprintf("key %s to select step %d", k.key, k.want))
	}

	// Click the first deploy in the timeline: the tree highlights what it
	// changed, and the change list says it as `execspec trace` does.
	deploy := -1
	for i, s := range tr.Steps {
		if s.Action == "deploy" {
			deploy = i
			break
		}
	}
	b.click(fmt.Sprintf(`#steps li.step[data-i="%d"]`, deploy))
	b.waitFor(fmt.Sprintf(`document.body.dataset.step === "%d"`, deploy), "a click to select the deploy step")
	var shown []string
	b.eval(`Array.from(document.querySelectorAll("#changes li")).map(function (li) { return li.textContent; })`, &shown)
	var want []string
	for _, c := range trace.DiffStates(tr.Vars, tr.Steps[deploy-1].State, tr.Steps[deploy].State) {
		want = append(want, trace.FormatChange(c))
	}
	if strings.Join(shown, "\n") != strings.Join(want, "\n") {
		t.Errorf("the page lists the changes\n%s\nwant (as execspec trace prints them)\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
	}
	var root struct {
		Label, Value, Was string
	}
	b.eval(`(function () {
  var n = document.querySelector('#tree .node.chg[data-id=\'[["f","zone"],["f","root"]]\']');
  if (!n) return null;
  var r = n.querySelector(".row");
  return {Label: r.querySelector(".lbl").textContent, Value: r.querySelector(".val").textContent, Was: r.querySelector(".was").textContent};
})()`, &root)
	if root.Label != "root" || root.Value != "1" || root.Was != "was 0" {
		t.Errorf("zone.root in the tree: %+v; want it highlighted as changed, 1, was 0", root)
	}
	if n := b.evalString(`String(document.querySelectorAll('#tree .node.add').length)`); n == "0" {
		t.Error("no added node is highlighted (the deploy adds a tree to the zone)")
	}
	b.screenshot("view-deploy.png")

	// The violating step: the property table marks it, and clicking the
	// mark selects it.
	var first struct {
		Cells, Index int
	}
	b.eval(`(function () {
  var row = Array.from(document.querySelectorAll(".proptable tr")).find(function (tr) { return tr.querySelector("th").textContent === "no_inconsistent_root"; });
  var cells = Array.from(row.querySelectorAll("td.pc"));
  return {Cells: cells.length, Index: cells.findIndex(function (td) { return td.classList.contains("first"); })};
})()`, &first)
	if first.Cells != len(tr.Steps) || first.Index != last {
		t.Errorf("property table: %d cells, first violation marked at %d; want %d cells, marked at %d", first.Cells, first.Index, len(tr.Steps), last)
	}
	b.click(`.proptable td.pc.bad.first`)
	b.waitFor(fmt.Sprintf(`document.body.dataset.step === "%d"`, last), "a click on the violation to select its step")
	if s := b.evalString(`document.querySelector("#stepprops .pstat.violated.first").textContent`); !strings.Contains(s, "no_inconsistent_root") || !strings.Contains(s, "first violated here") {
		t.Errorf("the violating step says %q", s)
	}
	if s := b.evalString(`document.querySelector("#steps li.step.sel .badge.violated.first").textContent`); !strings.Contains(s, "no_inconsistent_root") {
		t.Errorf("the timeline marks the violating step with %q", s)
	}
	if s := b.evalString(`document.querySelector('#tree .node.del').textContent`); !strings.Contains(s, "192.0.2.") {
		t.Errorf("the removed tree is shown as %q", s)
	}
	b.screenshot("view-violation.png")

	// History of zone.root, from the tree's history button.
	b.eval(`document.querySelector('#tree .node[data-id=\'[["f","zone"],["f","root"]]\'] .hist').click(), true`, nil)
	b.waitFor(`document.body.dataset.tab === "history"`, "the history tab")
	var hist struct{ Rows, Changed int }
	b.eval(`({Rows: document.querySelectorAll("#history tbody tr").length, Changed: document.querySelectorAll("#history tbody tr.changed").length})`, &hist)
	changes := 0
	for i := 1; i < len(tr.Steps); i++ {
		a, _ := tr.Steps[i-1].State["zone"].Field("root")
		c, _ := tr.Steps[i].State["zone"].Field("root")
		if !itf.Equal(a, c) {
			changes++
		}
	}
	if hist.Rows != len(tr.Steps) || hist.Changed != changes {
		t.Errorf("history of zone.root: %d rows, %d changed; want %d, %d", hist.Rows, hist.Changed, len(tr.Steps), changes)
	}
	if s := b.evalString(`document.getElementById("histpath").textContent`); s != "zone.root" {
		t.Errorf("history path %q, want zone.root", s)
	}
	b.screenshot("view-history.png")

	// Lanes: one per deployer, a box per step that has one.
	b.press("3")
	b.waitFor(`document.body.dataset.tab === "lanes" && document.querySelector(".lanegrid")`, "the lanes tab")
	var lanes []string
	b.eval(`Array.from(document.querySelectorAll(".lanegrid .lh")).map(function (e) { return e.textContent; })`, &lanes)
	if strings.Join(lanes, ",") != "step,deployer-a,deployer-b,deployer-c,(no deployer)" {
		t.Errorf("lane headers %q", lanes)
	}
	withActor := 0
	for _, s := range tr.Steps {
		for _, p := range s.Picks {
			if p.Label == "deployer" {
				withActor++
			}
		}
	}
	if n := b.evalString(`String(document.querySelectorAll(".lanegrid .lbox").length)`); n != strconv.Itoa(len(tr.Steps)) {
		t.Errorf("%s boxes in the lanes, want one per step (%d)", n, len(tr.Steps))
	}
	var perLane []int
	b.eval(`(function () {
  var cols = document.querySelectorAll(".lanegrid .lh").length;
  var cells = Array.from(document.querySelectorAll(".lanegrid .lnum, .lanegrid .lc"));
  var n = []; for (var c = 0; c < cols; c++) n.push(0);
  cells.forEach(function (cell, i) { if (cell.classList.contains("busy")) n[i % cols]++; });
  return n;
})()`, &perLane)
	if len(perLane) != 5 || perLane[1]+perLane[2]+perLane[3] != withActor || perLane[4] != len(tr.Steps)-withActor {
		t.Errorf("boxes per lane %v: want %d in the deployers' lanes and %d in the last", perLane, withActor, len(tr.Steps)-withActor)
	}
	b.screenshot("view-lanes.png")
}

// A model-based testing failure opens at the divergence and shows what the
// model expected beside what the implementation showed.
func TestBrowserDivergence(t *testing.T) {
	mc := dnsMachine(t)
	tr := dnsViolation(t, mc)
	tr.Meta = map[string]any{"status": "divergence", "divergence": map[string]any{
		"step": 3, "kind": "state mismatch", "summary": "the implementation's state differs from the model's",
		"fields": []any{
			map[string]any{"path": "zone.root", "expected": itf.Int(2), "observed": itf.Int(1)},
			map[string]any{"path": "plans[2]", "expected": itf.String("p3")},
		},
	}}
	b := startBrowser(t, 1400, 900)
	b.navigate(writePage(t, tr, Options{}))
	b.waitFor(`document.body.dataset.ready === "1"`, "the page to start")
	if s := b.evalString(`document.body.dataset.step`); s != "3" {
		t.Fatalf("the page opens at step %s, want the divergence at 3", s)
	}
	var rows [][]string
	b.eval(`Array.from(document.querySelectorAll("#divergence table tr")).map(function (tr) { return Array.from(tr.children).map(function (c) { return c.textContent; }); })`, &rows)
	want := [][]string{{"field", "model (expected)", "implementation (observed)"}, {"zone.root", "2", "1"}, {"plans[2]", `"p3"`, "(absent)"}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("the side-by-side table is %q, want %q", rows, want)
	}
	if b.evalString(`String(document.getElementById("divergence").hidden)`) != "false" {
		t.Error("the divergence panel is hidden")
	}
	b.screenshot("view-divergence.png")
}

func TestBrowserLasso(t *testing.T) {
	tr := lassoTrace(t)
	b := startBrowser(t, 1200, 800)
	b.navigate(writePage(t, tr, Options{}) + "#step=3")
	b.waitFor(`document.body.dataset.ready === "1"`, "the page to start")
	if s := b.evalString(`document.body.dataset.step`); s != "3" {
		t.Errorf("#step=3 opens step %s", s)
	}
	// The loop: steps 2..4 are marked, and the way back is drawn.
	var loop struct {
		In   []string
		Back string
	}
	b.eval(`({In: Array.from(document.querySelectorAll("#steps li.inloop")).map(function (li) { return li.dataset.i; }), Back: document.querySelector("#steps li.loopback").textContent})`, &loop)
	if strings.Join(loop.In, ",") != "2,3,4" || loop.Back != "↺ back to step 2" {
		t.Errorf("loop steps %v, back marker %q", loop.In, loop.Back)
	}
	b.click(`#steps li.loopback`)
	b.waitFor(`document.body.dataset.step === "2"`, "the loop's back marker to select step 2")
	// The string with </script> shows as text, and the invariant's first
	// violation (step 3) and the example's first success (step 2) are marked.
	b.press("j")
	b.waitFor(`document.body.dataset.step === "3"`, "step 3")
	if s := b.evalString(`document.querySelector('#tree .node[data-id=\'[["f","note"]]\'] .val').textContent`); s != `"</script><script>alert(1)</script> & <!--"` {
		t.Errorf("the note shows as %q", s)
	}
	var marks []string
	b.eval(`Array.from(document.querySelectorAll(".pc.first")).map(function (td) { return td.title; })`, &marks)
	if len(marks) != 2 || !strings.Contains(marks[0], "no_overdraft at step 3: false — first violation") || !strings.Contains(marks[1], "both_sent at step 2: true — first reached") {
		t.Errorf("first marks %q", marks)
	}
	// Set elements added and removed, and a map in a map.
	var kinds struct{ Add, Del, Chg []string }
	b.eval(`({
  Add: Array.from(document.querySelectorAll("#tree .node.add")).map(function (n) { return n.dataset.id; }),
  Del: Array.from(document.querySelectorAll("#tree .node.del")).map(function (n) { return n.dataset.id; }),
  Chg: Array.from(document.querySelectorAll("#tree .node.chg")).map(function (n) { return n.dataset.id; })})`, &kinds)
	// In canonical order ({from, n, to} records), the new message comes
	// first in the new set and the delivered one first in the old.
	if strings.Join(kinds.Add, " ") != `[["f","inbox"],["e",0]]` || strings.Join(kinds.Del, " ") != `[["f","inbox"],["e",0]]` {
		t.Errorf("set changes: added %v, removed %v", kinds.Add, kinds.Del)
	}
	b.press("ArrowLeft")
	b.waitFor(`document.body.dataset.step === "2"`, "step 2")
	if s := b.evalString(`Array.from(document.querySelectorAll("#tree .node.chg")).map(function (n) { return n.dataset.id; }).join(" ")`); !strings.Contains(s, `[["f","nested"],["k",0],["k",0]]`) {
		t.Errorf("changed nodes at step 2: %s; want nested[1][\"a\"]", s)
	}
	b.screenshot("view-lasso.png")
}

func TestBrowserExplorer(t *testing.T) {
	mc := dnsMachine(t)
	saved := dnsViolation(t, mc)
	ex, err := NewExplorer(mc, ExplorerOptions{Instance: "n3_5_3", Trace: saved.ToITF()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ex)
	t.Cleanup(srv.Close)
	b := startBrowser(t, 1500, 950)
	downloads := t.TempDir()
	progress := b.allowDownloads(downloads)
	b.navigate(srv.URL + "/")
	idle := `document.body.dataset.ready === "1" && document.body.dataset.busy === "0"`
	b.waitFor(idle+` && document.querySelectorAll("#items > li").length === 50`, "the explorer to list successors")
	if s := b.evalString(`Array.from(document.querySelectorAll("#chips .chip")).map(function (c) { return c.textContent; }).join(", ")`); s != "all 10650, plan 10647, sync 3, deploy 0, cleanup 0" {
		t.Errorf("action chips %q", s)
	}
	if s := b.evalString(`document.querySelector("#pagertop .info").textContent`); s != "1–50 of 10650 · page 1/213" {
		t.Errorf("pager %q", s)
	}
	depth := func(d int) {
		t.Helper()
		b.waitFor(fmt.Sprintf(`%s && document.body.dataset.depth === "%d"`, idle, d), fmt.Sprintf("the path to have %d states", d))
	}

	// Page through plan's outcomes, take one from page 2.
	b.click(`#chips .chip[data-action="plan"]`)
	b.waitFor(idle+` && document.querySelector("#chips .chip.on").dataset.action === "plan"`, "the plan filter")
	b.click(`#pagertop button[title^="next page"]`)
	b.waitFor(idle+` && document.body.dataset.page === "1"`, "page 2 of plan")
	if s := b.evalString(`document.querySelector("#items > li").dataset.index`); s != "50" {
		t.Errorf("page 2 starts with successor %s, want 50", s)
	}
	b.click(`#items > li[data-index="50"]`)
	depth(2)
	if s := b.evalString(`document.querySelector("#changes li").textContent`); !strings.HasPrefix(s, "plans[0]: + {id: 1, weights: Map(") {
		t.Errorf("the change of the plan step shows as %q", s)
	}
	if s := b.evalString(`document.querySelector('#tree .node.add').dataset.id`); s != `[["f","plans"],["i",0]]` {
		t.Errorf("highlighted node %s, want plans[0]", s)
	}
	// sync then deploy by deployer-a, with clicks on the chips and items.
	b.click(`#chips .chip[data-action="sync"]`)
	b.waitFor(idle+` && document.querySelectorAll("#items > li").length === 3`, "the sync outcomes")
	b.click(`#items > li[data-action="sync"]`)
	depth(3)
	b.click(`#chips .chip[data-action="deploy"]`)
	b.waitFor(idle+` && document.querySelector("#items > li") && document.querySelector("#items > li").dataset.action === "deploy"`, "the deploy outcomes")
	b.click(`#items > li[data-action="deploy"]`)
	depth(4)
	if s := b.evalString(`document.querySelector('#tree .node.chg[data-id=\'[["f","zone"],["f","root"]]\'] .was').textContent`); s != "was 0" {
		t.Errorf("zone.root after deploy: %q", s)
	}
	b.screenshot("explore-deploy.png")

	// Back with the keyboard, then forward again.
	b.press("ArrowLeft")
	depth(3)
	b.click(`#path #steps li[data-k="1"]`) // back to the state after plan
	depth(2)

	// Export the path: the download is the ITF trace of what was taken.
	b.click(`#export`)
	file := b.waitDownload(downloads, progress)
	ts, err := itf.ReadFile(file)
	if err != nil {
		t.Fatalf("the downloaded export: %v", err)
	}
	got, err := trace.FromITF(ts[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Steps) != 2 || got.Steps[0].Action != "init" || got.Steps[1].Action != "plan" {
		t.Fatalf("exported steps %d (%v), want init, plan", len(got.Steps), got.Steps)
	}
	replayTrace(t, mc, got)

	// Jump along the saved trace to its violation.
	last := len(saved.Steps) - 1
	b.click(fmt.Sprintf(`#saved li[data-k="%d"]`, last))
	depth(last + 1)
	if s := b.evalString(`document.querySelector('#stepprops .pstat.violated').textContent`); s != "✗ no_inconsistent_root" {
		t.Errorf("the violation shows as %q", s)
	}
	if s := b.evalString(`document.querySelector("#saved li.sel").dataset.k`); s != strconv.Itoa(last) {
		t.Errorf("the saved trace's current step is %s, want %d", s, last)
	}
	b.screenshot("explore-violation.png")
	// Back along it with k, forward with j.
	b.press("k")
	depth(last)
	b.press("j")
	depth(last + 1)
}
