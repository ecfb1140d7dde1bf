package mbt_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/linearize"
)

// maxBalance bounds the balance the model's read can return.
const maxBalance = 1000

// concBankModel is the bank with a read: "balance" returns an account's
// balance through its output pick "balance".
func concBankModel() *execspec.Model[Bank] {
	m := bankModel()
	m.Action("balance", func(c *execspec.Ctx[Bank]) {
		a := execspec.OneOf(c, "account", accounts)
		v := execspec.IntRange(c, "balance", 0, maxBalance)
		c.Assume(v == c.S.Balances[a])
	})
	return m
}

var bankOutputs = []string{"balance"}

// concBankDriver drives a bankImpl from several clients at once.
type concBankDriver struct {
	bug  bug
	bank *bankImpl
}

func newConcBank(b bug) func(testing.TB) mbt.ConcurrentDriver[Bank] {
	return func(testing.TB) mbt.ConcurrentDriver[Bank] { return &concBankDriver{bug: b} }
}

func (d *concBankDriver) Reset(context.Context, mbt.Step) error {
	d.bank = newBankImpl(d.bug)
	return nil
}

func (d *concBankDriver) Do(_ context.Context, _ int, op mbt.Step) ([]mbt.Labelled, error) {
	if op.Action == "balance" {
		a, err := mbt.Pick[string](op, "account")
		if err != nil {
			return nil, err
		}
		return []mbt.Labelled{mbt.Output("balance", d.bank.Balance(a))}, nil
	}
	return nil, refusal(applyStep(d.bank, op))
}

func (d *concBankDriver) Observe(context.Context) (Bank, error) { return d.bank.snapshot(), nil }

func TestRunConcurrentCorrectBankIsLinearizable(t *testing.T) {
	for _, clients := range []int{1, 2, 4, 8} {
		rec := newRecTB(t, "TestConcurrent")
		rep := mbt.RunConcurrent(rec, concBankModel(), newConcBank(correct), mbt.ConcurrentOptions{
			Seed: 1, Clients: clients, Ops: 60, Runs: 10, Outputs: bankOutputs, Dir: t.TempDir(),
		})
		if rec.Failed() {
			t.Fatalf("%d clients: %s", clients, rec.errors())
		}
		wantRuns := 10
		if testing.Short() {
			wantRuns = 1 // -short divides the runs by 10
		}
		if rep == nil || rep.Runs != wantRuns || rep.Ops == 0 || rep.Failure != nil {
			t.Fatalf("%d clients: report %+v", clients, rep)
		}
	}
}

// findRace runs RunConcurrent on the racy bank with seeds 1, 2, ... until
// it reports a failure (bounded: a race may need a few runs to show).
func findRace(t *testing.T, dir string) (*recTB, *mbt.ConcurrentReport) {
	t.Helper()
	for seed := uint64(1); seed <= 10; seed++ {
		rec := newRecTB(t, "TestRace")
		rep := mbt.RunConcurrent(rec, concBankModel(), newConcBank(racyDeposit), mbt.ConcurrentOptions{
			Seed: seed, Clients: 4, Ops: 40, Runs: 20, Outputs: bankOutputs, Dir: dir,
		})
		if rec.Failed() {
			return rec, rep
		}
	}
	t.Fatal("the lost update of the racy deposit was not found with seeds 1 to 10")
	return nil, nil
}

func TestRunConcurrentFindsLostUpdate(t *testing.T) {
	dir := t.TempDir()
	rec, rep := findRace(t, dir)
	msg := rec.errors()
	t.Logf("the failure as reported:\n%s", msg)
	for _, want := range []string{"not linearizable", "saved:", "page:", "rerun: " + strings.SplitAfter(engine.TestCommand("TestX"), " -run ")[0] + "'^TestRace$'", "-execspec.seed="} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
	if rep.Failure == nil || len(rep.Files) != 2 {
		t.Fatalf("report: %+v", rep)
	}
	if n := len(rep.Failure.Ops); n == 0 || n > 40 {
		t.Errorf("the shrunk history has %d operations", n)
	}
	// The saved history is a real counterexample: it reads back and the
	// checker refutes it again.
	h, err := linearize.ReadHistory(rep.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if lin, err := chk.Check(h); err != nil || lin.OK {
		t.Fatalf("saved history: %+v, %v", lin, err)
	}
	page, err := os.ReadFile(rep.Files[1])
	if err != nil {
		t.Fatal(err)
	}
	if lane := fmt.Sprintf("client %d", rep.Failure.Ops[0].Client); !strings.Contains(string(page), "<svg") || !strings.Contains(string(page), lane) {
		t.Errorf("the page does not draw the clients:\n%s", page)
	}
	// The next run replays the saved history first: the correct bank passes it.
	rec2 := newRecTB(t, "TestRace")
	rep2 := mbt.RunConcurrent(rec2, concBankModel(), newConcBank(correct), mbt.ConcurrentOptions{
		Seed: 1, Runs: 1, Outputs: bankOutputs, Dir: dir,
	})
	if rec2.Failed() || rep2.Saved != 1 {
		t.Fatalf("replaying the saved history on the correct bank: saved %d, %s", rep2.Saved, rec2.errors())
	}
}

func TestRunConcurrentBadOptions(t *testing.T) {
	for _, o := range []mbt.ConcurrentOptions{{Clients: -1}, {Attempts: -2}, {Ignore: []string{"nosuch"}}} {
		rec := newRecTB(t, "TestBad")
		if rep := mbt.RunConcurrent(rec, concBankModel(), newConcBank(correct), o); rep != nil || !rec.Failed() {
			t.Errorf("options %+v: report %v, errors %q", o, rep, rec.errors())
		}
	}
}

func TestRunConcurrentDriverFailure(t *testing.T) {
	rec := newRecTB(t, "TestBroken")
	mbt.RunConcurrent(rec, concBankModel(), func(testing.TB) mbt.ConcurrentDriver[Bank] { return downDriver{} }, mbt.ConcurrentOptions{Runs: 1, Dir: t.TempDir()})
	if msg := rec.errors(); !strings.Contains(msg, "service down") {
		t.Errorf("a driver error is not reported: %q", msg)
	}
}

type downDriver struct{}

func (downDriver) Reset(context.Context, mbt.Step) error { return nil }
func (downDriver) Do(context.Context, int, mbt.Step) ([]mbt.Labelled, error) {
	return nil, errors.New("service down")
}

// arg makes an Arg of a Go value.
func arg(t *testing.T, label string, v any) linearize.Arg {
	t.Helper()
	val, err := itf.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return linearize.Arg{Label: label, Value: val}
}

func TestCheckHistories(t *testing.T) {
	dep := func(c int, amount int, call, ret int64, refused bool) linearize.Operation {
		return linearize.Operation{Client: c, Action: "deposit", Inputs: []linearize.Arg{arg(t, "account", "alice"), arg(t, "amount", amount)}, Refused: refused, Call: call, Return: ret}
	}
	read := func(c int, v int, call, ret int64) linearize.Operation {
		return linearize.Operation{Client: c, Action: "balance", Inputs: []linearize.Arg{arg(t, "account", "alice")}, Outputs: []linearize.Arg{arg(t, "balance", v)}, Call: call, Return: ret}
	}
	mc, err := machine.Compile(concBankModel())
	if err != nil {
		t.Fatal(err)
	}
	final := func(alice int) map[string]itf.Value {
		s := Bank{Balances: map[string]int{"alice": alice, "bob": 0}, Pending: map[string]Pending{}, Version: 1}
		v, err := mc.ToITF(&s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name  string
		ops   []linearize.Operation
		final map[string]itf.Value
		ok    bool
		order []int
	}{
		{"empty", nil, nil, true, []int{}},
		{"sequential", []linearize.Operation{dep(0, 2, 1, 2, false), read(1, 2, 3, 4)}, nil, true, []int{0, 1}},
		{"stale read after the deposit returned", []linearize.Operation{dep(0, 2, 1, 2, false), read(1, 0, 3, 4)}, nil, false, []int{0}},
		{"concurrent read sees the old value", []linearize.Operation{dep(0, 2, 1, 4, false), read(1, 0, 2, 3)}, nil, true, []int{1, 0}},
		{"concurrent read sees the new value", []linearize.Operation{dep(0, 2, 1, 4, false), read(1, 2, 2, 3)}, nil, true, []int{0, 1}},
		{"reads go back in time", []linearize.Operation{dep(0, 1, 1, 10, false), read(1, 1, 2, 3), read(2, 0, 4, 5)}, nil, false, []int{0, 1}},
		{"refusal over the cap", []linearize.Operation{dep(0, 3, 1, 2, false), dep(1, 3, 3, 4, true)}, nil, true, []int{0, 1}},
		{"refusal the model does not allow", []linearize.Operation{dep(0, 1, 1, 2, true)}, nil, false, nil},
		{"final state observed", []linearize.Operation{dep(0, 2, 1, 2, false)}, final(2), true, []int{0}},
		{"final state lost the deposit", []linearize.Operation{dep(0, 2, 1, 2, false)}, final(1), false, []int{0}},
	}
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &linearize.History{Model: "bank", Clients: 3, Ops: tc.ops, Final: tc.final}
			lin, err := chk.Check(h)
			if err != nil {
				t.Fatal(err)
			}
			if lin.OK != tc.ok {
				t.Fatalf("OK = %v, want %v\n%s", lin.OK, tc.ok, linearize.FormatHistory(h, lin))
			}
			if fmt.Sprint(lin.Order) != fmt.Sprint(tc.order) {
				t.Errorf("order %v, want %v", lin.Order, tc.order)
			}
		})
	}
}

func TestCheckRejectsMalformedHistories(t *testing.T) {
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   linearize.Operation
		want string
	}{
		{"unknown action", linearize.Operation{Action: "teleport", Call: 1, Return: 2}, "teleport"},
		{"return before call", linearize.Operation{Action: "deposit", Call: 2, Return: 1}, "not after its call"},
		{"a time shared with another operation", linearize.Operation{Action: "deposit", Call: 3, Return: 5}, "operations 0 and 1 both have time 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first := linearize.Operation{Action: "deposit", Inputs: []linearize.Arg{arg(t, "account", "alice"), arg(t, "amount", 1)}, Call: 1, Return: 3}
			_, err := chk.Check(&linearize.History{Clients: 1, Ops: []linearize.Operation{first, tc.op}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestCheckBudgetSaysIncomplete(t *testing.T) {
	h, err := linearize.WalkHistory(concBankModel(), 4, 50, 1, bankOutputs)
	if err != nil {
		t.Fatal(err)
	}
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{MaxNodes: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chk.Check(h); !errors.Is(err, linearize.ErrIncomplete) {
		t.Fatalf("error %v, want ErrIncomplete", err)
	}
}

func TestWalkHistoriesAreLinearizable(t *testing.T) {
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, clients := range []int{1, 3, 8} {
		h, err := linearize.WalkHistory(concBankModel(), clients, 300, 7, bankOutputs)
		if err != nil {
			t.Fatal(err)
		}
		lin, err := chk.Check(h)
		if err != nil || !lin.OK || len(lin.Order) != len(h.Ops) {
			t.Fatalf("%d clients: %+v, %v", clients, lin.OK, err)
		}
		// Corrupt the last read: the history is no longer linearizable.
		for i := len(h.Ops) - 1; i >= 0; i-- {
			if h.Ops[i].Action == "balance" {
				h.Ops[i].Outputs[0] = arg(t, "balance", maxBalance)
				break
			}
		}
		if lin, err := chk.Check(h); err != nil || lin.OK {
			t.Fatalf("%d clients, corrupted read: OK %v, %v", clients, lin.OK, err)
		}
	}
}

func TestHistoryFiles(t *testing.T) {
	h, err := linearize.WalkHistory(concBankModel(), 2, 6, 3, bankOutputs)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := linearize.SaveHistory(dir, h, linearize.Linearization{Order: []int{0, 1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v, want 0644: saved files are committed and read by others", f, fi.Mode().Perm())
		}
	}
	back, err := linearize.ReadHistory(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Ops) != len(h.Ops) || back.Ops[1].String() != h.Ops[1].String() {
		t.Errorf("read back %v, want %v", back.Ops, h.Ops)
	}
	if listed, err := linearize.SavedHistories(dir); err != nil || len(listed) != 1 {
		t.Errorf("SavedHistories: %v, %v", listed, err)
	}
	bad := filepath.Join(dir, "bad.history.json")
	op := func(client, call, ret int, more string) string {
		return fmt.Sprintf(`{"client": %d, "action": "deposit", "call": %d, "return": %d%s}`, client, call, ret, more)
	}
	// A saved history is input: each field is checked against its use
	// before anything is allocated by it.
	for _, c := range []struct{ content, want string }{
		{"{", "unexpected end of JSON input"},
		{`{"clients": 0, "ops": []}`, "clients is 0, want at least 1"},
		{`{"clients": 1099511627776, "ops": []}`, "clients is 1099511627776, over the limit of 4096"},
		{`{"clients": 2, "run": -1, "ops": []}`, "run is -1"},
		{`{"clients": 2, "ops": [` + op(2, 0, 1, "") + `]}`, "operation 0: client 2, want 0 to 1"},
		{`{"clients": 2, "ops": [` + op(-1, 0, 1, "") + `]}`, "operation 0: client -1"},
		{`{"clients": 2, "ops": [` + op(0, 3, 3, "") + `]}`, "operation 0: called at 3 and returned at 3"},
		{`{"clients": 2, "ops": [` + op(0, -4, 3, "") + `]}`, "want 0 <= call < return"},
		{`{"clients": 2, "ops": [` + op(0, 5, 9, "") + `, ` + op(1, 2, 3, "") + `]}`, "operation 1: called at 2, before operation 0"},
		{`{"clients": 2, "ops": [` + op(0, 0, 4, "") + `, ` + op(1, 2, 4, "") + `]}`, "operation 1: time 4 is operation 0's too"},
		{`{"clients": 2, "ops": [{"client": 0, "call": 0, "return": 1}]}`, "operation 0: no action"},
		{`{"clients": 2, "ops": [` + op(0, 0, 1, `, "inputs": [{"label": "", "value": 1}]`) + `]}`, "operation 0: input 0: empty label"},
		{`{"clients": 2, "ops": [` + op(0, 0, 1, `, "outputs": [{"label": "x"}]`) + `]}`, `operation 0: output "x": no value`},
		{`{"clients": 2, "init": [{"label": "x"}], "ops": []}`, `init pick "x": no value`},
		{`{"clients": 2, "ops": [], "final": {"x": {"#bigint": "9` + strings.Repeat("9", 200_000) + `"}}}`, "over the limit of 100000"},
	} {
		if err := os.WriteFile(bad, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := linearize.ReadHistory(bad); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadHistory(%.80q): %v, want an error containing %q", c.content, err, c.want)
		}
	}
	if err := os.WriteFile(bad, make([]byte, linearize.MaxHistoryBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := linearize.ReadHistory(bad); err == nil || !strings.Contains(err.Error(), "over the limit of") {
		t.Errorf("ReadHistory of a file over MaxHistoryBytes: %v", err)
	}
	if _, err := linearize.ReadHistory(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("ReadHistory of a missing file succeeded")
	}
	big := &linearize.History{Clients: 1, Ops: make([]linearize.Operation, 5001)}
	if _, err := linearize.WriteHistoryHTML(big, linearize.Linearization{}, nil); err == nil {
		t.Error("a page of 5001 operations was written")
	}
}

func TestRunConcurrentReportsItsFailures(t *testing.T) {
	panicky := func(testing.TB) mbt.ConcurrentDriver[Bank] { return panicDriver{} }
	tests := []struct {
		name  string
		drv   func(testing.TB) mbt.ConcurrentDriver[Bank]
		opts  mbt.ConcurrentOptions
		saved string // content of a saved history, "" for none
		want  string
	}{
		{"client out of range", newConcBank(correct), mbt.ConcurrentOptions{Runs: 1, ClientOf: func(mbt.Step) int { return 9 }}, "", "not a client"},
		{"driver panics", panicky, mbt.ConcurrentOptions{Runs: 1}, "", "panic: boom"},
		{"unreadable saved history", newConcBank(correct), mbt.ConcurrentOptions{Runs: 1}, "{", "history"},
		{"saved history of another model", newConcBank(correct), mbt.ConcurrentOptions{Runs: 1}, `{"clients": 1, "ops": [{"client": 0, "action": "teleport", "call": 1, "return": 2}]}`, "no longer fits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Dir = t.TempDir()
			if tc.saved != "" {
				dir := filepath.Join(tc.opts.Dir, "TestSaved")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "x.history.json"), []byte(tc.saved), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rec := newRecTB(t, "TestSaved")
			mbt.RunConcurrent(rec, concBankModel(), tc.drv, tc.opts)
			if msg := rec.errors(); !strings.Contains(msg, tc.want) {
				t.Errorf("errors %q, want one with %q", msg, tc.want)
			}
		})
	}
}

type panicDriver struct{}

func (panicDriver) Reset(context.Context, mbt.Step) error { return nil }
func (panicDriver) Do(context.Context, int, mbt.Step) ([]mbt.Labelled, error) {
	panic("boom")
}

// scriptRecorder records each client's operations in order.
type scriptRecorder struct {
	concBankDriver
	mu  sync.Mutex
	ops map[int][]string
}

func (r *scriptRecorder) Do(ctx context.Context, client int, op mbt.Step) ([]mbt.Labelled, error) {
	r.mu.Lock()
	r.ops[client] = append(r.ops[client], op.String())
	r.mu.Unlock()
	return r.concBankDriver.Do(ctx, client, op)
}

// TestRunConcurrentScriptsFollowTheSeed: the operations each client
// performs depend on the seed alone; only their interleaving varies.
func TestRunConcurrentScriptsFollowTheSeed(t *testing.T) {
	scripts := func(seed uint64) string {
		rec := newRecTB(t, "TestSeed")
		d := &scriptRecorder{ops: map[int][]string{}}
		mbt.RunConcurrent(rec, concBankModel(), func(testing.TB) mbt.ConcurrentDriver[Bank] { return d }, mbt.ConcurrentOptions{
			Seed: seed, Clients: 3, Ops: 30, Runs: 3, Outputs: bankOutputs, Dir: t.TempDir(),
		})
		if rec.Failed() {
			t.Fatal(rec.errors())
		}
		return fmt.Sprint(d.ops)
	}
	a, b, c := scripts(5), scripts(5), scripts(6)
	if a != b {
		t.Errorf("seed 5 gave two different scripts:\n%s\n%s", a, b)
	}
	if a == c {
		t.Errorf("seeds 5 and 6 gave the same scripts")
	}
}
