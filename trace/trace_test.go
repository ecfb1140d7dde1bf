package trace_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

func rec(fields ...itf.Field) itf.Value    { return itf.Record(fields...) }
func f(name string, v itf.Value) itf.Field { return itf.Field{Name: name, Value: v} }

func ints(ns ...int64) itf.Value {
	vs := make([]itf.Value, len(ns))
	for i, n := range ns {
		vs[i] = itf.Int(n)
	}
	return itf.List(vs...)
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name string
		a, b itf.Value
		want []string
	}{
		{"equal", itf.Int(1), itf.Int(1), nil},
		{"scalar", itf.Int(1), itf.Int(2), []string{"x: 1 -> 2"}},
		{"record field", rec(f("a", itf.Int(1)), f("b", itf.String("s"))), rec(f("a", itf.Int(1)), f("b", itf.String("t"))), []string{`x.b: "s" -> "t"`}},
		{"map entry added and changed", itf.Map(itf.Entry{Key: itf.Int(1), Value: itf.Int(10)}),
			itf.Map(itf.Entry{Key: itf.Int(1), Value: itf.Int(11)}, itf.Entry{Key: itf.Int(2), Value: itf.Int(20)}),
			[]string{"x[1]: 10 -> 11", "x[2]: + 20"}},
		{"map entry removed", itf.Map(itf.Entry{Key: itf.String("k"), Value: itf.Bool(true)}), itf.Map(), []string{`x["k"]: - true`}},
		{"set elements", itf.Set(itf.Int(1), itf.Int(2)), itf.Set(itf.Int(2), itf.Int(3)), []string{"x: - 1", "x: + 3"}},
		{"set order does not matter", itf.Set(itf.Int(1), itf.Int(2)), itf.Set(itf.Int(2), itf.Int(1)), nil},
		{"list grows", itf.List(itf.Int(1)), itf.List(itf.Int(1), itf.Int(2)), []string{"x[1]: + 2"}},
		{"list element", itf.List(itf.Int(1), itf.Int(2)), itf.List(itf.Int(1), itf.Int(5)), []string{"x[1]: 2 -> 5"}},
		{"queue pops its head", ints(5, 6, 7, 8), ints(6, 7, 8), []string{"x[0]: - 5"}},
		{"queue pops and pushes", ints(5, 6, 7), ints(6, 7, 9), []string{"x[0]: - 5", "x[2]: + 9"}},
		{"element inserted in the middle", ints(1, 2, 3), ints(1, 2, 9, 3), []string{"x[2]: + 9"}},
		{"elements removed at both ends", ints(1, 2, 3, 4), ints(2, 3), []string{"x[0]: - 1", "x[3]: - 4"}},
		{"record in a list changed deeply", itf.List(rec(f("actor", itf.Int(1))), rec(f("actor", itf.Int(2)))),
			itf.List(rec(f("actor", itf.Int(1))), rec(f("actor", itf.Int(3)))), []string{"x[1].actor: 2 -> 3"}},
		{"list emptied", ints(1, 2), ints(), []string{"x[0]: - 1", "x[1]: - 2"}},
		{"tuple by index", itf.Tuple(itf.Int(1), itf.Int(2)), itf.Tuple(itf.Int(2), itf.Int(2)), []string{"x[0]: 1 -> 2"}},
		{"variant payload", itf.Some(itf.Int(1)), itf.Some(itf.Int(2)), []string{"x.Some: 1 -> 2"}},
		{"variant tag", itf.Some(itf.Int(1)), itf.None(), []string{"x: Some(1) -> None"}},
		{"kind change", itf.Int(1), itf.String("1"), []string{`x: 1 -> "1"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range trace.Diff("x", tc.a, tc.b) {
				got = append(got, trace.FormatChange(c))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("Diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func sampleTrace() *trace.Trace {
	loop := 1
	return &trace.Trace{
		Vars: []string{"n", "log"},
		Steps: []trace.Step{
			{Action: "init", State: map[string]itf.Value{"n": itf.Int(0), "log": itf.List()}},
			{Action: "inc", Picks: []trace.Pick{{Label: "by", Value: itf.Int(2)}}, State: map[string]itf.Value{"n": itf.Int(2), "log": itf.List(itf.String("inc"))}},
			{Action: "reset", Picks: []trace.Pick{{Label: "who", Value: itf.String("a")}}, State: map[string]itf.Value{"n": itf.Int(0), "log": itf.List(itf.String("inc"))}},
		},
		Loop: &loop,
		Meta: map[string]any{trace.MetaModel: "m"},
	}
}

func TestITFRoundTripWithQuintConventions(t *testing.T) {
	tr := sampleTrace()
	it := tr.ToITF()
	if got := strings.Join(it.Vars, ","); got != "n,log,mbt::actionTaken,mbt::nondetPicks" {
		t.Fatalf("vars %s", got)
	}
	// Every state's picks record has every label, Some where picked.
	picks := it.States[1].Values[itf.NondetPicksVar]
	by, _ := picks.Field("by")
	who, _ := picks.Field("who")
	if !itf.Equal(by, itf.Some(itf.Int(2))) || !itf.Equal(who, itf.None()) {
		t.Fatalf("nondetPicks of step 1: %s", picks)
	}
	var buf bytes.Buffer
	if err := it.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := itf.DecodeBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got, err := trace.FromITF(back)
	if err != nil {
		t.Fatal(err)
	}
	if got.Loop == nil || *got.Loop != 1 || strings.Join(got.Vars, ",") != "n,log" || len(got.Steps) != 3 {
		t.Fatalf("round trip: %+v", got)
	}
	for i, s := range got.Steps {
		w := tr.Steps[i]
		if s.Action != w.Action || len(s.Picks) != len(w.Picks) || len(trace.DiffStates(got.Vars, s.State, w.State)) != 0 {
			t.Fatalf("step %d: %+v, want %+v", i, s, w)
		}
	}
	if got.Meta[trace.MetaModel] != "m" || got.Meta["format"] != "ITF" {
		t.Fatalf("meta %v", got.Meta)
	}
}

func TestPrint(t *testing.T) {
	var b bytes.Buffer
	if err := sampleTrace().Print(&b, trace.PrintOptions{Highlight: 2}); err != nil {
		t.Fatal(err)
	}
	want := `step 0: init
    n = 0
    log = []
-- loop starts here --
step 1: inc  [by=2]
    n: 0 -> 2
    log[0]: + "inc"
step 2: reset  [who="a"]  <--
    n: 2 -> 0
-- back to step 1 --
`
	if b.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	_ = sampleTrace().Print(&b, trace.PrintOptions{FullStates: true, Highlight: -1})
	if strings.Count(b.String(), "    n = ") != 3 {
		t.Fatalf("full states:\n%s", b.String())
	}
}

func TestProject(t *testing.T) {
	p, err := sampleTrace().Project([]string{"n"})
	if err != nil || len(p.Vars) != 1 || len(p.Steps[1].State) != 1 {
		t.Fatalf("Project: %v %+v", err, p)
	}
	if _, err := sampleTrace().Project([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `unknown variable "nope"`) {
		t.Fatalf("unknown variable: %v", err)
	}
}

// Lists too long for an edit script are compared index by index.
func TestDiffLongLists(t *testing.T) {
	var a, b []int64
	for i := int64(0); i < 1100; i++ {
		a = append(a, i)
		b = append(b, i+10000)
	}
	b = append(b, 7)
	got := trace.Diff("x", ints(a...), ints(b...))
	if len(got) != 1101 || trace.FormatChange(got[0]) != "x[0]: 0 -> 10000" || trace.FormatChange(got[1100]) != "x[1100]: + 7" {
		t.Fatalf("%d changes, first %s, last %s", len(got), trace.FormatChange(got[0]), trace.FormatChange(got[len(got)-1]))
	}
}

func TestFormatPicks(t *testing.T) {
	for _, tc := range []struct {
		picks []trace.Pick
		want  string
	}{
		{nil, ""},
		{[]trace.Pick{{Label: "job", Value: itf.String("j1")}}, `job="j1"`},
		{[]trace.Pick{{Label: "n", Value: itf.Int(2)}, {Label: "ok", Value: itf.Bool(true)}, {Label: "s", Value: itf.Set(itf.Int(1), itf.Int(2))}}, `n=2, ok=true, s={1, 2}`},
	} {
		if got := trace.FormatPicks(tc.picks); got != tc.want {
			t.Errorf("FormatPicks(%v) = %q, want %q", tc.picks, got, tc.want)
		}
	}
}
