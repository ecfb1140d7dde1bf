package validate_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/validate"
)

// bank is the test model: an initial pick, actions with picks and guards,
// an Either, and a variable that only some actions touch.
type bank struct {
	Balances map[string]int `itf:"balances"`
	Log      []string       `itf:"log"`
	Mode     string         `itf:"mode"`
}

var users = []string{"alice", "bob"}

func bankModel() *execspec.Model[bank] {
	m := execspec.NewModel[bank]("bank")
	m.Init(func(c *execspec.Ctx[bank]) {
		c.S.Balances = map[string]int{"alice": 0, "bob": 0}
		c.S.Balances["alice"] = execspec.OneOf(c, "start", []int{0, 10})
		c.S.Log = []string{}
		c.S.Mode = "open"
	})
	m.Action("deposit", func(c *execspec.Ctx[bank]) {
		if !c.Assume(c.S.Mode == "open") {
			return
		}
		who := execspec.OneOf(c, "who", users)
		amount := execspec.IntRange(c, "amount", 1, 3)
		c.S.Balances[who] += amount
		c.S.Log = append(c.S.Log, "dep")
	})
	m.Action("withdraw", func(c *execspec.Ctx[bank]) {
		who := execspec.OneOf(c, "who", users)
		amount := execspec.IntRange(c, "amount", 1, 3)
		if !c.Assume(c.S.Balances[who] >= amount) {
			return
		}
		c.S.Balances[who] -= amount
		c.S.Log = append(c.S.Log, "wd")
	})
	m.Action("toggle", func(c *execspec.Ctx[bank]) {
		c.Either("to",
			execspec.Alt("open", func(c *execspec.Ctx[bank]) { c.S.Mode = "open" }),
			execspec.Alt("closed", func(c *execspec.Ctx[bank]) { c.S.Mode = "closed" }))
	})
	return m
}

func compile[S any](t testing.TB, m *execspec.Model[S]) *machine.Machine[S] {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// sampleTrace returns the trace of one simulation sample: a behaviour of
// the model, with every action and pick recorded.
func sampleTrace(t testing.TB, mc *machine.Machine[bank], seed uint64, sample, steps int) *trace.Trace {
	t.Helper()
	tr, _, err := simulate.Replay(mc, simulate.Options{Seed: seed, MaxSteps: steps}, sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Steps) != steps+1 {
		t.Fatalf("sample has %d steps, want %d", len(tr.Steps)-1, steps)
	}
	return tr
}

// clone deep-copies a trace's step list, so that a case can edit it.
func clone(tr *trace.Trace) *trace.Trace {
	out := *tr
	out.Steps = make([]trace.Step, len(tr.Steps))
	for i, s := range tr.Steps {
		ns := s
		ns.Picks = append([]trace.Pick(nil), s.Picks...)
		ns.State = make(map[string]itf.Value, len(s.State))
		for k, v := range s.State {
			ns.State[k] = v
		}
		out.Steps[i] = ns
	}
	out.Vars = append([]string(nil), tr.Vars...)
	return &out
}

// firstStep returns the index of the first step (after init) taken by
// action, or fails.
func firstStep(t *testing.T, tr *trace.Trace, action string) int {
	t.Helper()
	for i := 1; i < len(tr.Steps); i++ {
		if tr.Steps[i].Action == action {
			return i
		}
	}
	t.Fatalf("the sample has no %s step", action)
	return -1
}

func setPick(s *trace.Step, label string, v itf.Value) {
	for i := range s.Picks {
		if s.Picks[i].Label == label {
			s.Picks[i].Value = v
			return
		}
	}
	s.Picks = append(s.Picks, trace.Pick{Label: label, Value: v})
}

func TestTrace(t *testing.T) {
	mc := compile(t, bankModel())
	base := sampleTrace(t, mc, 7, 3, 12)
	dep := firstStep(t, base, "deposit")
	type want struct {
		valid      bool
		step       int
		reason     validate.Reason
		diffPath   string // a path in the diff, when the failure has one
		detail     string // a substring of Summary()
		inferred   bool   // some step was inferred
		ignored    []string
		noteSubstr string
	}
	cases := []struct {
		name string
		edit func(tr *trace.Trace)
		opts validate.Options
		want want
	}{
		{"as recorded", func(tr *trace.Trace) {}, validate.Options{}, want{valid: true}},
		{"no actions", func(tr *trace.Trace) {
			for i := range tr.Steps {
				tr.Steps[i].Action = ""
			}
		}, validate.Options{}, want{valid: true, inferred: true}},
		{"no picks", func(tr *trace.Trace) {
			for i := range tr.Steps {
				tr.Steps[i].Picks = nil
			}
		}, validate.Options{}, want{valid: true}},
		{"neither actions nor picks", func(tr *trace.Trace) {
			for i := range tr.Steps {
				tr.Steps[i].Picks, tr.Steps[i].Action = nil, ""
			}
		}, validate.Options{}, want{valid: true, inferred: true}},
		{"state changed", func(tr *trace.Trace) {
			tr.Steps[dep].State["balances"] = itf.Map(
				itf.Entry{Key: itf.String("alice"), Value: itf.Int(1000)},
				itf.Entry{Key: itf.String("bob"), Value: tr.Steps[dep].State["balances"].Entries()[1].Value})
		}, validate.Options{}, want{step: dep, reason: validate.NoMatch, diffPath: `balances["alice"]`, detail: "no successor of action deposit equals the recorded state"}},
		{"state changed, action not recorded", func(tr *trace.Trace) {
			tr.Steps[dep].State["log"] = itf.List(itf.String("nonsense"))
			tr.Steps[dep].Action, tr.Steps[dep].Picks = "", nil
		}, validate.Options{}, want{step: dep, reason: validate.NoMatch, detail: "no successor of any action"}},
		{"initial state changed", func(tr *trace.Trace) {
			tr.Steps[0].State["mode"] = itf.String("weird")
		}, validate.Options{}, want{step: 0, reason: validate.NoMatch, diffPath: "mode", detail: "not an initial state of the model"}},
		{"initial pick not a candidate", func(tr *trace.Trace) {
			setPick(&tr.Steps[0], "start", itf.Int(5))
		}, validate.Options{}, want{step: 0, reason: validate.PickMismatch, detail: `pick "start": recorded value 5 is not one of the 2 candidates`}},
		{"pick out of range", func(tr *trace.Trace) {
			setPick(&tr.Steps[dep], "amount", itf.Int(99))
		}, validate.Options{}, want{step: dep, reason: validate.PickMismatch, detail: `pick "amount": recorded value 99 is not in 1..3`}},
		{"pick of another kind", func(tr *trace.Trace) {
			setPick(&tr.Steps[dep], "who", itf.Int(1))
		}, validate.Options{}, want{step: dep, reason: validate.PickMismatch, detail: `pick "who"`}},
		{"either branch not an alternative", func(tr *trace.Trace) {
			tr.Steps[1].Action = "toggle"
			tr.Steps[1].Picks = []trace.Pick{{Label: "to", Value: itf.String("ajar")}}
		}, validate.Options{}, want{step: 1, reason: validate.PickMismatch, detail: "recorded branch"}},
		{"action disabled", func(tr *trace.Trace) {
			// Withdrawing more than anyone has right after init.
			tr.Steps[1].Action = "withdraw"
			tr.Steps[1].Picks = []trace.Pick{{Label: "who", Value: itf.String("bob")}, {Label: "amount", Value: itf.Int(3)}}
		}, validate.Options{}, want{step: 1, reason: validate.Disabled, detail: "action withdraw is not enabled in the previous state with the recorded picks"}},
		{"big integer pick", func(tr *trace.Trace) {
			setPick(&tr.Steps[dep], "amount", mustParse(t, `{"#bigint": "123456789012345678901234567890"}`))
		}, validate.Options{}, want{step: dep, reason: validate.PickMismatch, detail: "is not in 1..3"}},
		{"extra variables are ignored", func(tr *trace.Trace) {
			tr.Vars = append(tr.Vars, "zz_extra", "aa_extra")
			for i := range tr.Steps {
				tr.Steps[i].State["zz_extra"] = itf.Int(int64(i))
				tr.Steps[i].State["aa_extra"] = itf.Bool(true)
			}
		}, validate.Options{}, want{valid: true, ignored: []string{"aa_extra", "zz_extra"}}},
		{"recorded pick the model does not make", func(tr *trace.Trace) {
			setPick(&tr.Steps[dep], "colour", itf.String("red"))
		}, validate.Options{}, want{valid: true, noteSubstr: `the trace records pick(s) colour, which deposit does not make`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := clone(base)
			tc.edit(tr)
			rep, err := validate.Trace(context.Background(), mc, tr, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid() != tc.want.valid {
				t.Fatalf("valid = %v, want %v; failure: %v", rep.Valid(), tc.want.valid, rep.Failure)
			}
			if tc.want.valid {
				if len(rep.Steps) != len(tr.Steps) || rep.Transitions() != len(tr.Steps)-1 {
					t.Fatalf("%d steps reported, %d transitions, want %d", len(rep.Steps), rep.Transitions(), len(tr.Steps))
				}
				inferred := false
				for i, s := range rep.Steps {
					inferred = inferred || s.Inferred
					if tr.Steps[i].Action != "" && i > 0 && s.Action != tr.Steps[i].Action {
						t.Errorf("step %d: action %s, want %s", i, s.Action, tr.Steps[i].Action)
					}
				}
				if inferred != tc.want.inferred {
					t.Errorf("inferred = %v, want %v", inferred, tc.want.inferred)
				}
				if strings.Join(rep.IgnoredVars, ",") != strings.Join(tc.want.ignored, ",") {
					t.Errorf("ignored vars %v, want %v", rep.IgnoredVars, tc.want.ignored)
				}
				notes := strings.Join(rep.Notes, "\n")
				if (tc.want.noteSubstr == "") != (notes == "") || !strings.Contains(notes, tc.want.noteSubstr) {
					t.Errorf("notes %q, want %q", notes, tc.want.noteSubstr)
				}
				return
			}
			f := rep.Failure
			if f.Step != tc.want.step || f.Reason != tc.want.reason {
				t.Fatalf("failure at state %d (%s), want state %d (%s): %s", f.Step, f.Reason, tc.want.step, tc.want.reason, f.Describe(""))
			}
			if len(rep.Steps) != f.Step {
				t.Errorf("%d steps reached before the failure at %d", len(rep.Steps), f.Step)
			}
			if !strings.Contains(f.Summary(), tc.want.detail) {
				t.Errorf("summary %q lacks %q", f.Summary(), tc.want.detail)
			}
			if tc.want.diffPath != "" {
				if f.Closest == nil {
					t.Fatalf("no closest successor")
				}
				found := false
				for _, c := range f.Diff {
					found = found || c.Path == tc.want.diffPath
				}
				if !found || len(f.Diff) != 1 {
					t.Errorf("diff %v, want exactly one change at %s", f.Diff, tc.want.diffPath)
				}
				if !strings.Contains(f.Describe("  "), "closest successor:") {
					t.Errorf("Describe lacks the closest successor:\n%s", f.Describe("  "))
				}
			}
			if f.Error() == "" || !strings.Contains(f.Error(), f.Summary()) {
				t.Errorf("Error() = %q", f.Error())
			}
		})
	}
}

func mustParse(t testing.TB, js string) itf.Value {
	t.Helper()
	v, err := itf.ParseValue([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The diff between the recorded state and the closest successor names the
// field that differs, with the recorded value first.
func TestClosestSuccessorDiff(t *testing.T) {
	mc := compile(t, bankModel())
	tr := clone(sampleTrace(t, mc, 7, 3, 12))
	dep := firstStep(t, tr, "deposit")
	bal := tr.Steps[dep].State["balances"]
	alice, _ := bal.Get(itf.String("alice"))
	a, _ := alice.AsInt64()
	tr.Steps[dep].State["balances"] = itf.Map(
		itf.Entry{Key: itf.String("alice"), Value: itf.Int(a + 100)},
		itf.Entry{Key: itf.String("bob"), Value: bal.Entries()[1].Value})
	rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Failure
	if f == nil || len(f.Diff) != 1 {
		t.Fatalf("want one difference, got %+v", f)
	}
	c := f.Diff[0]
	if got, _ := c.New.AsInt64(); got != a+100 {
		t.Errorf("recorded value (New) %s, want %d", c.New, a+100)
	}
	if got, _ := c.Old.AsInt64(); got != a {
		t.Errorf("model value (Old) %s, want %d", c.Old, a)
	}
	if f.Closest.Action != "deposit" {
		t.Errorf("closest action %s", f.Closest.Action)
	}
	want := `balances["alice"]: ` + alice.String() + " -> " + itf.Int(a+100).String()
	if !strings.Contains(f.Describe(""), want) {
		t.Errorf("Describe lacks %q:\n%s", want, f.Describe(""))
	}
}

func TestTraceErrors(t *testing.T) {
	mc := compile(t, bankModel())
	base := sampleTrace(t, mc, 1, 0, 4)
	cases := []struct {
		name string
		edit func(tr *trace.Trace)
		want []string
	}{
		{"unknown action", func(tr *trace.Trace) { tr.Steps[2].Action = "frobnicate" },
			[]string{`state 2`, `unknown action "frobnicate"; valid: deposit, toggle, withdraw`}},
		{"missing variable", func(tr *trace.Trace) {
			tr.Vars = []string{"balances"}
		}, []string{`the trace lacks variable(s) "log", "mode" of model bank`, `the trace's: "balances"`}},
		{"variable missing in one state", func(tr *trace.Trace) { delete(tr.Steps[3].State, "mode") },
			[]string{`state 3: variable "mode" missing`}},
		{"no states", func(tr *trace.Trace) { tr.Steps = nil }, []string{"no states"}},
		{"loop out of range", func(tr *trace.Trace) { n := 9; tr.Loop = &n }, []string{"loop 9 is out of range"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := clone(base)
			tc.edit(tr)
			_, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// Traces written by other tools: integers as plain JSON numbers or
// #bigint, maps in any order, the mbt:: variables of Quint's --mbt with
// Some/None picks.
func TestQuintStyleTrace(t *testing.T) {
	mc := compile(t, bankModel())
	doc := `{
  "#meta": {"format": "ITF", "source": "bank.qnt", "status": "ok"},
  "vars": ["mode", "balances", "log", "mbt::actionTaken", "mbt::nondetPicks"],
  "states": [
    {"#meta": {"index": 0}, "mode": "open", "log": [],
     "balances": {"#map": [["bob", 0], ["alice", {"#bigint": "10"}]]},
     "mbt::actionTaken": "init",
     "mbt::nondetPicks": {"amount": {"tag": "None", "value": {"#tup": []}}, "who": {"tag": "None", "value": {"#tup": []}}}},
    {"#meta": {"index": 1}, "mode": "open", "log": ["dep"],
     "balances": {"#map": [["alice", 10], ["bob", {"#bigint": "3"}]]},
     "mbt::actionTaken": "deposit",
     "mbt::nondetPicks": {"amount": {"tag": "Some", "value": {"#bigint": "3"}}, "who": {"tag": "Some", "value": "bob"}}},
    {"#meta": {"index": 2}, "mode": "open", "log": ["dep", "wd"],
     "balances": {"#map": [["alice", 8], ["bob", 3]]},
     "mbt::actionTaken": "withdraw",
     "mbt::nondetPicks": {"amount": {"tag": "Some", "value": 2}, "who": {"tag": "None", "value": {"#tup": []}}}},
    {"#meta": {"index": 3}, "mode": "closed", "log": ["dep", "wd"],
     "balances": {"#map": [["alice", 8], ["bob", 3]]},
     "mbt::actionTaken": "toggle",
     "mbt::nondetPicks": {"amount": {"tag": "None", "value": {"#tup": []}}, "who": {"tag": "None", "value": {"#tup": []}}}}
  ]
}`
	it, err := itf.DecodeBytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := trace.FromITF(it)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid() {
		t.Fatalf("invalid: %s", rep.Failure.Describe(""))
	}
	// The initial pick, withdraw's "who" and toggle's branch were searched.
	if p := rep.Steps[0].Picks; len(p) != 1 || p[0].Label != "start" || !itf.Equal(p[0].Value, itf.Int(10)) {
		t.Errorf("init picks %v", p)
	}
	if s := rep.Steps[2]; s.Action != "withdraw" || len(s.Picks) != 2 || !itf.Equal(s.Picks[0].Value, itf.String("alice")) {
		t.Errorf("step 2: %+v", s)
	}
	if s := rep.Steps[3]; s.Action != "toggle" || s.Inferred || !itf.Equal(s.Picks[0].Value, itf.String("closed")) {
		t.Errorf("step 3: %+v", s)
	}
}

func modeState(mode string) map[string]itf.Value {
	return map[string]itf.Value{
		"balances": itf.Map(itf.Entry{Key: itf.String("alice"), Value: itf.Int(0)}, itf.Entry{Key: itf.String("bob"), Value: itf.Int(0)}),
		"log":      itf.List(),
		"mode":     itf.String(mode),
	}
}

// A search that runs out of budget is undecided, not a failure of the
// trace: the closest successor so far is still reported.
func TestBudget(t *testing.T) {
	mc := compile(t, bankModel())
	tr := mc.NewTrace()
	tr.Steps = []trace.Step{{State: modeState("open")}, {State: modeState("closed")}}
	rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{MaxExecutions: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Failure
	if f == nil || f.Step != 1 || f.Reason != validate.Incomplete || !strings.Contains(f.Summary(), "budget of 1 executions") || f.Closest == nil {
		t.Fatalf("want an incomplete search at state 1, got %+v", f)
	}
	// deposit and withdraw run 2*3 branches each before toggle's "open"
	// and "closed".
	rep, err = validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil || !rep.Valid() || rep.Steps[1].Action != "toggle" || !rep.Steps[1].Inferred || rep.Steps[1].Executions != 14 {
		t.Fatalf("with the default budget: %v %+v", err, rep.Steps)
	}
}

func TestLasso(t *testing.T) {
	mc := compile(t, bankModel())
	state := modeState
	loop := func(k int) *int { return &k }
	cases := []struct {
		name    string
		modes   []string
		loop    int
		valid   bool
		closing bool
	}{
		{"closes back", []string{"open", "closed"}, 0, true, true},
		{"last equals loop start", []string{"open", "closed", "open"}, 0, true, false},
		{"self loop", []string{"open"}, 0, true, false},
		// From "open" toggle reaches "open" or "closed", so back to 1 is fine.
		{"closes to a later state", []string{"open", "closed", "open"}, 1, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := mc.NewTrace()
			for _, m := range tc.modes {
				tr.Steps = append(tr.Steps, trace.Step{State: state(m)})
			}
			tr.Loop = loop(tc.loop)
			rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid() != tc.valid || (rep.Closing != nil) != tc.closing {
				t.Fatalf("valid %v closing %v, want %v %v: %v", rep.Valid(), rep.Closing, tc.valid, tc.closing, rep.Failure)
			}
		})
	}
	// A lasso whose last state cannot lead back: deposits only grow the log.
	tr := mc.NewTrace()
	s0 := state("open")
	s1 := state("open")
	s1["log"] = itf.List(itf.String("dep"))
	s1["balances"] = itf.Map(itf.Entry{Key: itf.String("alice"), Value: itf.Int(1)}, itf.Entry{Key: itf.String("bob"), Value: itf.Int(0)})
	tr.Steps = []trace.Step{{State: s0}, {State: s1}}
	tr.Loop = loop(0)
	rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Failure
	if f == nil || f.Step != 2 || f.LoopTo != 0 || f.Reason != validate.NoMatch || !strings.Contains(f.Where(), "closing transition (from state 1 back to state 0)") {
		t.Fatalf("want a failing closing transition, got %+v", f)
	}
}

func TestPanickingModel(t *testing.T) {
	type st struct{ N int }
	m := execspec.NewModel[st]("p")
	m.Init(func(c *execspec.Ctx[st]) {})
	m.Action("inc", func(c *execspec.Ctx[st]) {
		if execspec.IntRange(c, "by", 1, 2) == 2 {
			panic("two is not allowed")
		}
		c.S.N++
	})
	mc := compile(t, m)
	tr := mc.NewTrace()
	tr.Steps = []trace.Step{
		{State: map[string]itf.Value{"N": itf.Int(0)}},
		{Action: "inc", Picks: []trace.Pick{{Label: "by", Value: itf.Int(2)}}, State: map[string]itf.Value{"N": itf.Int(2)}},
	}
	rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Failure
	var pe *machine.PanicError
	if f == nil || f.Reason != validate.Panicked || !errors.As(f.Err, &pe) || !strings.Contains(f.Summary(), "two is not allowed") {
		t.Fatalf("want a panic failure, got %+v", f)
	}
	// Without the pick, the other branch is enabled but does not match; the
	// panic is mentioned.
	tr.Steps[1].Picks = nil
	rep, err = validate.Trace(context.Background(), mc, tr, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := rep.Failure; f == nil || f.Reason != validate.NoMatch || f.Err == nil || !strings.Contains(f.Describe(""), "some branches panicked") {
		t.Fatalf("want no match with a panic noted, got %+v", rep.Failure)
	}
}

func TestInterrupted(t *testing.T) {
	mc := compile(t, bankModel())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := validate.Trace(ctx, mc, sampleTrace(t, mc, 1, 0, 3), validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failure == nil || rep.Failure.Reason != validate.Interrupted {
		t.Fatalf("want interrupted, got %+v", rep.Failure)
	}
}

// Our own ITF round trip: write with trace.ToITF, read back, validate.
func TestOwnITFRoundTrip(t *testing.T) {
	mc := compile(t, bankModel())
	for sample := 0; sample < 20; sample++ {
		tr := sampleTrace(t, mc, 99, sample, 8)
		var buf bytes.Buffer
		if err := tr.ToITF().Encode(&buf); err != nil {
			t.Fatal(err)
		}
		it, err := itf.DecodeBytes(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		back, err := trace.FromITF(it)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := validate.Trace(context.Background(), mc, back, validate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Valid() {
			t.Fatalf("sample %d: %s", sample, rep.Failure.Describe(""))
		}
		for i, s := range rep.Steps {
			if !samePicks(s.Picks, back.Steps[i].Picks) {
				t.Errorf("sample %d step %d: picks %v, recorded %v", sample, i, s.Picks, back.Steps[i].Picks)
			}
		}
	}
}

func samePicks(a, b []trace.Pick) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		found := false
		for _, q := range b {
			found = found || (p.Label == q.Label && itf.Equal(p.Value, q.Value))
		}
		if !found {
			return false
		}
	}
	return true
}

func TestReasonString(t *testing.T) {
	if validate.NoMatch.String() != "no_match" || validate.Reason(99).String() != "Reason(99)" {
		t.Fatal(validate.NoMatch.String(), validate.Reason(99).String())
	}
}
