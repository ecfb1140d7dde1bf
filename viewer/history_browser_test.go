package viewer

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt/linearize"
)

// The history page of mbt.RunConcurrent's failures, in a real browser.

// Reg is a register's state, for the history page's test.
type Reg struct {
	V int `itf:"v"`
}

func registerModel() *execspec.Model[Reg] {
	m := execspec.NewModel[Reg]("register")
	m.Init(func(*execspec.Ctx[Reg]) {})
	m.Action("write", func(c *execspec.Ctx[Reg]) { c.S.V = execspec.IntRange(c, "v", 0, 9) })
	m.Action("read", func(c *execspec.Ctx[Reg]) {
		c.Assume(execspec.IntRange(c, "value", 0, 9) == c.S.V)
	})
	return m
}

// staleReadPage saves the page of a history where a write of 2 returns,
// a read then sees 0, and a write of 5 never answers; times are
// nanoseconds since 1970. It returns the page's URL and the history.
func staleReadPage(t *testing.T) (string, *linearize.History) {
	t.Helper()
	arg := func(l string, v int64) linearize.Arg { return linearize.Arg{Label: l, Value: itf.Int(v)} }
	const base = 1_765_000_000_000_000_000
	h := &linearize.History{Model: "register", Clients: 5, Ops: []linearize.Operation{
		{Client: 0, Action: "write", Inputs: []linearize.Arg{arg("v", 2)}, Call: base + 10, Return: base + 250},
		{Client: 1, Action: "read", Outputs: []linearize.Arg{arg("value", 2)}, Call: base + 300, Return: base + 350},
		{Client: 4, Action: "write", Inputs: []linearize.Arg{arg("v", 5)}, Call: base + 320, Pending: true},
		{Client: 1, Action: "read", Outputs: []linearize.Arg{arg("value", 0)}, Call: base + 400, Return: base + 900},
	}}
	chk, err := linearize.NewChecker(registerModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lin, err := chk.Check(h)
	if err != nil || lin.OK {
		t.Fatalf("the history checks as %+v, %v", lin, err)
	}
	exp, err := chk.Explain(h, lin)
	if err != nil {
		t.Fatal(err)
	}
	files, err := linearize.SaveHistory(t.TempDir(), h, lin, exp)
	if err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(files[1])}).String(), h
}

func TestBrowserHistoryPage(t *testing.T) {
	page, h := staleReadPage(t)
	b := startBrowser(t, 1200, 700)
	b.navigate(page)
	b.waitFor(`document.body.dataset.ready === "1"`, "the history page to start")
	detail := func() string { return b.evalString(`document.getElementById("detail").textContent`) }

	// The page opens on the operation that cannot be placed: the second
	// read, with the value the model expected and the state there.
	if s := b.evalString(`document.body.dataset.selected`); s != "3" {
		t.Fatalf("the page opens on operation %s, want the stale read (3)", s)
	}
	for _, want := range []string{"cannot be placed", "would have answered: value=", "model state where the prefix ends", "v = "} {
		if d := detail(); !strings.Contains(d, want) {
			t.Errorf("the red operation's details lack %q:\n%s", want, d)
		}
	}
	b.screenshot("history-stale-read.png")

	// Clicking the first write shows the state after it.
	b.click(`.op[data-i="0"] rect`)
	b.waitFor(`document.body.dataset.selected === "0"`, "a click to select the first write")
	if d := detail(); !strings.Contains(d, "linearized 1st") || !strings.Contains(d, "model state after it:\nv = 2") {
		t.Errorf("the first write's details:\n%s", d)
	}
	// Keyboard: focus the read and press Enter.
	b.eval(`document.querySelector('.op[data-i="1"]').focus()`, nil)
	b.press("Enter")
	b.waitFor(`document.body.dataset.selected === "1"`, "focus and Enter to select the first read")

	// Layout: labels whole and inside the page, the open write running to
	// the end of the timeline, lanes only for clients 0, 1 and 4, and a
	// linearization point per linearized operation.
	var layout struct {
		Labels                        []string
		Lanes                         []string
		Points                        int
		OpenRight, SVGWidth, MaxRight float64
	}
	b.eval(`(function () {
  var svg = document.querySelector("#timeline svg");
  var out = {Labels: [], Lanes: [], Points: document.querySelectorAll(".point").length, MaxRight: 0};
  document.querySelectorAll(".op text.label").forEach(function (t) { out.Labels.push(t.textContent); });
  document.querySelectorAll("text.lane").forEach(function (t) { out.Lanes.push(t.textContent); });
  document.querySelectorAll(".op rect").forEach(function (r) {
    out.MaxRight = Math.max(out.MaxRight, r.x.baseVal.value + r.width.baseVal.value);
  });
  var open = document.querySelector(".op.open rect");
  out.OpenRight = open.x.baseVal.value + open.width.baseVal.value;
  out.SVGWidth = svg.width.baseVal.value;
  return out;
})()`, &layout)
	if got := strings.Join(layout.Labels, ","); got != "write,read,write ?,read" {
		t.Errorf("labels %q", got)
	}
	if got := strings.Join(layout.Lanes, ","); got != "client 0,client 1,client 4" {
		t.Errorf("lanes %q", got)
	}
	if layout.OpenRight != layout.MaxRight || layout.MaxRight > layout.SVGWidth {
		t.Errorf("the open write ends at %v, the timeline at %v, the picture is %v wide", layout.OpenRight, layout.MaxRight, layout.SVGWidth)
	}
	if layout.Points != 3 {
		t.Errorf("%d linearization points, want 3 (both writes, the one without an answer included, and the first read)", layout.Points)
	}
	// Times are from the first call.
	cells := b.evalString(`Array.from(document.querySelectorAll("table tr td:nth-child(4)")).map(function (c) { return c.textContent; }).join(",")`)
	if want := fmt.Sprintf("0,%d,%d,%d", h.Ops[1].Call-h.Ops[0].Call, h.Ops[2].Call-h.Ops[0].Call, h.Ops[3].Call-h.Ops[0].Call); cells != want {
		t.Errorf("call times %q, want %q", cells, want)
	}
	if _, err := strconv.Atoi(strings.Split(cells, ",")[1]); err != nil {
		t.Errorf("call times %q", cells)
	}
}
