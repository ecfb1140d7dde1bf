package viewer

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// lassoTrace is a small hand-made trace with what the page must show: picks
// with an actor, sets of records, maps of maps, a variant, a loop and a
// property table. Step 3 violates no_overdraft first; step 2 reaches
// both_paid first; the loop starts at step 2.
func lassoTrace(t *testing.T) *trace.Trace {
	t.Helper()
	i := itf.Int
	s := itf.String
	rec := func(kv ...any) itf.Value {
		var fs []itf.Field
		for j := 0; j < len(kv); j += 2 {
			fs = append(fs, itf.Field{Name: kv[j].(string), Value: kv[j+1].(itf.Value)})
		}
		return itf.Record(fs...)
	}
	balances := func(p1, p2 int64) itf.Value {
		return itf.Map(itf.Entry{Key: s("p1"), Value: i(p1)}, itf.Entry{Key: s("p2"), Value: i(p2)})
	}
	nested := func(x int64) itf.Value {
		return itf.Map(
			itf.Entry{Key: i(1), Value: itf.Map(itf.Entry{Key: s("a"), Value: i(x)}, itf.Entry{Key: s("b"), Value: i(2)})},
			itf.Entry{Key: i(2), Value: itf.Map(itf.Entry{Key: s("c"), Value: i(3)})},
		)
	}
	msg := func(from, to string, n int64) itf.Value { return rec("from", s(from), "to", s(to), "n", i(n)) }
	state := func(b itf.Value, inbox itf.Value, mode itf.Value, nest itf.Value, note string) map[string]itf.Value {
		return map[string]itf.Value{"balances": b, "inbox": inbox, "mode": mode, "nested": nest, "note": s(note)}
	}
	pick := func(l string, v itf.Value) trace.Pick { return trace.Pick{Label: l, Value: v} }
	loop := 2
	tr := &trace.Trace{
		Vars: []string{"balances", "inbox", "mode", "nested", "note"},
		Loop: &loop,
		Meta: map[string]any{"model": "bank", "instance": "two", "property": "no_overdraft", "status": "violation", "replay": "execspec replay ./bank --instance two --seed 1 --sample 0"},
		Steps: []trace.Step{
			{Action: "init", State: state(balances(5, 5), itf.Set(), itf.None(), nested(1), "")},
			{Action: "send", Picks: []trace.Pick{pick("process", s("p1")), pick("amount", i(3))},
				State: state(balances(2, 5), itf.Set(msg("p1", "p2", 3)), itf.Some(s("busy")), nested(1), "")},
			{Action: "send", Picks: []trace.Pick{pick("process", s("p2")), pick("amount", i(4))},
				State: state(balances(2, 1), itf.Set(msg("p1", "p2", 3), msg("p2", "p1", 4)), itf.Some(s("busy")), nested(7), "")},
			{Action: "send", Picks: []trace.Pick{pick("process", s("p1")), pick("amount", i(9))},
				State: state(balances(-7, 1), itf.Set(msg("p2", "p1", 4), msg("p1", "p2", 9)), itf.Some(s("overdrawn")), nested(7), "</script><script>alert(1)</script> & <!--")},
			{Action: "deliver", Picks: []trace.Pick{pick("process", s("p2"))},
				State: state(balances(-7, 1), itf.Set(msg("p2", "p1", 4)), itf.None(), nested(7), "")},
		},
	}
	if err := AnnotateProperties(tr, []string{"no_overdraft"}, [][]bool{{true, true, true, false, false}}); err != nil {
		t.Fatal(err)
	}
	// An example, with its kind.
	tr.Meta[MetaProperties].(map[string]any)["both_sent"] = []any{false, false, true, true, true}
	tr.Meta[MetaPropertyKinds] = map[string]any{"both_sent": "example"}
	return tr
}

func readFixture(t *testing.T, name string) *itf.Trace {
	t.Helper()
	ts, err := itf.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return ts[0]
}

// stubAssets keep golden files about the page's data and skeleton; the
// scripts are checked by the browser tests.
func stubAssets() assetSet {
	a := pageAssets()
	a.css, a.itfJS, a.viewJS, a.exploreJS = "/* viewer.css */", "/* itf.js */", "/* view.js */", "/* explore.js */"
	return a
}

func renderWith(t *testing.T, it *itf.Trace, opts Options, a assetSet) []byte {
	t.Helper()
	p, err := buildPage(it, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.render(&buf, a); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	steps := StepRange{From: 1, To: 2}
	tail := StepRange{From: 2, To: -1}
	cases := []struct {
		name  string
		trace func(t *testing.T) *itf.Trace
		opts  Options
	}{
		{"lasso", func(t *testing.T) *itf.Trace { return lassoTrace(t).ToITF() }, Options{}},
		{"lasso_tail", func(t *testing.T) *itf.Trace { return lassoTrace(t).ToITF() }, Options{Steps: &tail, Vars: []string{"balances", "mode"}}},
		{"quint", func(t *testing.T) *itf.Trace { return readFixture(t, "quint_bank.itf.json") }, Options{}},
		{"quint_filtered", func(t *testing.T) *itf.Trace { return readFixture(t, "quint_bank.itf.json") }, Options{Vars: []string{"balances"}, Steps: &steps, Title: "filtered", Actor: NoActor}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := renderWith(t, c.trace(t), c.opts, stubAssets())
			again := renderWith(t, c.trace(t), c.opts, stubAssets())
			if !bytes.Equal(got, again) {
				t.Fatal("two renderings of the same trace differ")
			}
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("page differs from %s (run go test -run TestGolden -update if the change is intended):\n%s", path, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return ""
}

func TestPageSelfContained(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, lassoTrace(t).ToITF(), Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	a := pageAssets()
	for name, text := range map[string]string{"viewer.css": a.css, "itf.js": a.itfJS, "view.js": a.viewJS} {
		if !strings.Contains(page, text) {
			t.Errorf("the page does not inline %s", name)
		}
		if strings.Contains(strings.ToLower(text), "</script") || strings.Contains(strings.ToLower(text), "</style") {
			t.Errorf("%s contains a closing tag that would end its element early", name)
		}
	}
	// Nothing is loaded from elsewhere: no src or href attributes, no CSS
	// imports or remote urls.
	for _, re := range []string{`(?i)<script[^>]+src=`, `(?i)<link[^>]+href=`, `(?i)@import`, `(?i)url\(\s*['"]?https?:`, `(?i)<img[^>]+src=["']?https?:`} {
		if regexp.MustCompile(re).MatchString(page) {
			t.Errorf("the page refers to an external resource (%s)", re)
		}
	}
	// Three script elements (two JSON, one code) and exactly three
	// closing tags: the trace's "</script>" string is escaped.
	if n := strings.Count(strings.ToLower(page), "</script"); n != 3 {
		t.Errorf("the page has %d </script sequences, want 3: the embedded JSON is not escaped", n)
	}
	if strings.Contains(page, "<!--") {
		t.Error("the page contains <!--, which the embedded JSON must escape")
	}
}

// TestEmbeddedTraceRoundTrips checks that the ITF embedded in the page is
// the trace, escapes included.
func TestEmbeddedTraceRoundTrips(t *testing.T) {
	tr := lassoTrace(t)
	var buf bytes.Buffer
	if err := Write(&buf, tr.ToITF(), Options{}); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="itf-data">(.*?)</script>`).FindSubmatch(buf.Bytes())
	if m == nil {
		t.Fatal("no itf-data script in the page")
	}
	back, err := itf.DecodeBytes(m[1])
	if err != nil {
		t.Fatalf("the embedded trace does not decode: %v", err)
	}
	got, err := trace.FromITF(back)
	if err != nil {
		t.Fatal(err)
	}
	for k, st := range tr.Steps {
		for _, v := range tr.Vars {
			if !itf.Equal(st.State[v], got.Steps[k].State[v]) {
				t.Errorf("step %d, %s: embedded %s, want %s", k, v, got.Steps[k].State[v], st.State[v])
			}
		}
	}
	if got.Loop == nil || *got.Loop != 2 {
		t.Errorf("embedded loop %v, want 2", got.Loop)
	}
}

func TestSizeCap(t *testing.T) {
	it := readFixture(t, "quint_bank.itf.json")
	var whole bytes.Buffer
	if err := it.EncodePretty(&whole); err != nil {
		t.Fatal(err)
	}
	size := int64(whole.Len())
	n := len(it.States)

	// Steps chosen by the caller that do not fit are refused.
	err := Write(&bytes.Buffer{}, it, Options{MaxBytes: size - 1, Steps: &StepRange{From: 0, To: -1}})
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("Write over the cap: got %v, want a *TooLargeError", err)
	}
	if tl.Size != size || tl.Max != size-1 || tl.Page {
		t.Errorf("TooLargeError{Size: %d, Max: %d, Page: %v}, want {%d, %d, false}", tl.Size, tl.Max, tl.Page, size, size-1)
	}
	for _, hint := range []string{"--vars", "--steps", "--max-size"} {
		if !strings.Contains(err.Error(), hint) {
			t.Errorf("the error %q does not suggest %s", err, hint)
		}
	}
	// Otherwise the page shows a window ending at the last step, and says so.
	for _, max := range []int64{size - 1, size * 3 / 4} {
		var page bytes.Buffer
		if err := Write(&page, it, Options{MaxBytes: max}); err != nil {
			t.Fatalf("Write with a window under %d bytes: %v", max, err)
		}
		p, err := buildPage(it, Options{MaxBytes: max})
		if !errors.As(err, &tl) {
			t.Fatalf("buildPage over the cap: %v", err)
		}
		p, err = buildWindow(it, Options{MaxBytes: max}, tl)
		if err != nil {
			t.Fatal(err)
		}
		steps := p.view.Steps
		if len(steps) == 0 || len(steps) >= n || steps[len(steps)-1].I != n-1 {
			t.Errorf("cap %d: a window of %d steps, the last %d; want fewer than %d, ending at %d", max, len(steps), steps[len(steps)-1].I, n, n-1)
		}
		if len(p.view.Notes) == 0 || !strings.Contains(p.view.Notes[0], fmt.Sprintf("showing the steps %d..%d that lead to step %d", steps[0].I, n-1, n-1)) {
			t.Errorf("cap %d: notes %q", max, p.view.Notes)
		}
		if int64(len(p.itfJSON)) > max {
			t.Errorf("cap %d: the window's JSON is %d bytes", max, len(p.itfJSON))
		}
	}
	// Nothing fits: the whole trace's error.
	if err := Write(&bytes.Buffer{}, it, Options{MaxBytes: 10}); !errors.As(err, &tl) || tl.Size != size {
		t.Errorf("Write under a 10-byte cap: %v", err)
	}
	if err := Write(&bytes.Buffer{}, it, Options{MaxBytes: -1}); err != nil {
		t.Errorf("Write without a cap: %v", err)
	}
	// The page's view of the steps counts too.
	if _, err := buildPage(it, Options{MaxBytes: size}); !errors.As(err, &tl) || !tl.Page || !strings.Contains(err.Error(), "page takes more than") {
		t.Errorf("a cap the JSON fits, the page not: %v", err)
	}
}

func TestParseSteps(t *testing.T) {
	for _, c := range []struct {
		in   string
		want StepRange
	}{
		{"10..40", StepRange{10, 40}}, {"3..", StepRange{3, -1}}, {"..7", StepRange{0, 7}},
		{"5", StepRange{5, 5}}, {" 2 .. 4 ", StepRange{2, 4}}, {"0..0", StepRange{0, 0}},
	} {
		got, err := ParseSteps(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSteps(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "a..b", "-1..3", "5..2", "1...3", "1..2..3", "x"} {
		if r, err := ParseSteps(in); err == nil {
			t.Errorf("ParseSteps(%q) = %v, want an error", in, r)
		} else if !strings.Contains(err.Error(), "10..40") {
			t.Errorf("ParseSteps(%q): error %q does not show the syntax", in, err)
		}
	}
	if _, err := ParseVars(" , "); err == nil {
		t.Error("ParseVars of an empty list: want an error")
	}
	if got, _ := ParseVars("a, b,,c "); strings.Join(got, "|") != "a|b|c" {
		t.Errorf("ParseVars = %q", got)
	}
	for in, want := range map[string]int64{"50MB": 50 << 20, "50MiB": 50 << 20, "1.5kb": 1536, "200": 200, "1G": 1 << 30, "0": 0} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if _, err := ParseBytes("lots"); err == nil {
		t.Error("ParseBytes(lots): want an error")
	}
}

func TestFilterErrors(t *testing.T) {
	it := readFixture(t, "quint_bank.itf.json")
	err := Write(&bytes.Buffer{}, it, Options{Vars: []string{"balances", "nope"}})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "balances, ledger, pending, phase") {
		t.Errorf("unknown variable: got %v, want an error naming it and listing the variables", err)
	}
	err = Write(&bytes.Buffer{}, it, Options{Steps: &StepRange{From: 9, To: -1}})
	if err == nil || !strings.Contains(err.Error(), "0..3") {
		t.Errorf("steps past the end: got %v, want an error giving the range 0..3", err)
	}
	err = Write(&bytes.Buffer{}, it, Options{Actor: "deployer"})
	if err == nil || !strings.Contains(err.Error(), "amount, process") {
		t.Errorf("unknown actor: got %v, want an error listing the picks", err)
	}
	if err := Write(&bytes.Buffer{}, &itf.Trace{Vars: []string{"x"}}, Options{}); err == nil {
		t.Error("a trace without states: want an error")
	}
}

func TestFilteredView(t *testing.T) {
	tr := lassoTrace(t)
	// Steps 1..4 keep the loop (it starts inside and the range reaches the
	// end); the first kept step's changes are still those since step 0.
	p, err := buildPage(tr.ToITF(), Options{Steps: &StepRange{From: 1, To: -1}})
	if err != nil {
		t.Fatal(err)
	}
	v := p.view
	if len(v.Steps) != 4 || v.Steps[0].I != 1 || v.Total != 5 {
		t.Fatalf("steps %d, first %d, total %d; want 4, 1, 5", len(v.Steps), v.Steps[0].I, v.Total)
	}
	if v.Loop == nil || *v.Loop != 1 {
		t.Errorf("loop %v, want 1 (step 2 among steps 1..4)", v.Loop)
	}
	if len(v.Steps[0].Changes) == 0 {
		t.Error("the first kept step shows no change since the step before it")
	}
	if len(v.Properties) != 2 || v.Properties[0].Name != "no_overdraft" || v.Properties[0].First != 2 || len(v.Properties[0].Values) != 4 {
		t.Errorf("properties %+v: want no_overdraft first violated at index 2 of 4", v.Properties)
	}
	if v.Properties[1].Name != "both_sent" || v.Properties[1].Kind != "example" || v.Properties[1].First != 1 {
		t.Errorf("example row %+v: want both_sent reached first at index 1", v.Properties[1])
	}
	// Steps 0..3 cut the loop's end: it is dropped, with a note.
	p, err = buildPage(tr.ToITF(), Options{Steps: &StepRange{From: 0, To: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if p.view.Loop != nil || !strings.Contains(strings.Join(p.view.Notes, "\n"), "lasso") {
		t.Errorf("loop %v, notes %q: want no loop and a note", p.view.Loop, p.view.Notes)
	}
	// Parameters stay in the first kept state.
	it := tr.ToITF()
	it.Params = []string{"N"}
	it.States[0].Values["N"] = itf.Int(2)
	if _, err := buildPage(it, Options{Steps: &StepRange{From: 2, To: -1}}); err != nil {
		t.Errorf("a trace with parameters, from step 2: %v", err)
	}
}

func TestActorDetection(t *testing.T) {
	it := lassoTrace(t).ToITF()
	p, err := buildPage(it, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := p.view.Actor
	if a == nil || a.Label != "process" || !a.Detected || strings.Join(a.Lanes, ",") != "p1,p2" {
		t.Fatalf("actor %+v, want process detected with lanes p1, p2", a)
	}
	if p.view.Steps[0].Actor != "" || p.view.Steps[1].Actor != "p1" || p.view.Steps[4].Actor != "p2" {
		t.Errorf("step actors %q %q %q", p.view.Steps[0].Actor, p.view.Steps[1].Actor, p.view.Steps[4].Actor)
	}
	p, _ = buildPage(it, Options{Actor: "amount"})
	if p.view.Actor == nil || p.view.Actor.Detected || strings.Join(p.view.Actor.Lanes, ",") != "3,4,9" {
		t.Errorf("actor by amount: %+v, want lanes 3, 4, 9 in numeric order", p.view.Actor)
	}
	p, _ = buildPage(it, Options{Actor: NoActor})
	if p.view.Actor != nil {
		t.Errorf("NoActor: got %+v", p.view.Actor)
	}
	plain := &itf.Trace{Vars: []string{"x"}, States: []itf.State{{Values: map[string]itf.Value{"x": itf.Int(1)}}}}
	p, err = buildPage(plain, Options{})
	if err != nil || p.view.Actor != nil {
		t.Errorf("a trace without picks: actor %+v, %v; want none", p.view.Actor, err)
	}
}

func TestAnnotateProperties(t *testing.T) {
	tr := lassoTrace(t)
	if err := AnnotateProperties(tr, []string{"a"}, nil); err == nil {
		t.Error("mismatched names and values: want an error")
	}
	if err := AnnotateProperties(tr, []string{"a"}, [][]bool{{true}}); err == nil || !strings.Contains(err.Error(), "1 values for 5 steps") {
		t.Errorf("too few values: got %v", err)
	}
	if err := AnnotateProperties(tr, []string{"a", "a"}, [][]bool{make([]bool, 5), make([]bool, 5)}); err == nil {
		t.Error("a name twice: want an error")
	}
	// A malformed table in a file is shown with a note, not refused.
	it := lassoTrace(t).ToITF()
	it.Meta[MetaProperties] = map[string]any{"short": []any{true}, "odd": []any{1, 2, 3, 4, 5}}
	p, err := buildPage(it, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.view.Properties) != 0 || len(p.view.Notes) != 2 {
		t.Errorf("properties %+v, notes %q: want none and two notes", p.view.Properties, p.view.Notes)
	}
}
