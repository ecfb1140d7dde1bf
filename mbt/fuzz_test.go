package mbt_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/mbt"
)

// FuzzBank explores the bank with the fuzzer's input as the trace's
// choices: go test -fuzz FuzzBank ./mbt. Without -fuzz the seed corpus
// runs as a normal test.
func FuzzBank(f *testing.F) {
	m := bankModel()
	for _, seed := range [][]byte{
		{},
		{0, 0, 1, 0, 0, 2, 1, 1, 3, 0},
		[]byte("deposit, withdraw, begin and commit"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		mbt.Fuzz(t, m, newBankDriver(correct), data, mbt.Options{Dir: t.TempDir()})
	})
}

func TestFuzzChoices(t *testing.T) {
	tests := []struct {
		data []byte
		ns   []int
		want []int
	}{
		{nil, []int{5, 300}, []int{0, 0}},
		{[]byte{7, 7}, []int{1, 5, 5}, []int{0, 2, 2}},
		{[]byte{1, 2}, []int{300}, []int{258}},
		{[]byte{255}, []int{256, 2}, []int{255, 0}},
	}
	for _, tc := range tests {
		ch := mbt.NewFuzzChoices(tc.data)
		var got []int
		for _, n := range tc.ns {
			got = append(got, ch.Choose(n))
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || !ch.Done() {
			t.Errorf("choices of %v for %v: %v (done %v), want %v", tc.data, tc.ns, got, ch.Done(), tc.want)
		}
	}
}

func TestFuzzPlanIsDeterministicAndReplays(t *testing.T) {
	mc, err := machine.Compile(bankModel())
	if err != nil {
		t.Fatal(err)
	}
	data := randomBytes(1, 200)
	p1, ok1 := mbt.FuzzPlan(mc, data, 50)
	p2, ok2 := mbt.FuzzPlan(mc, data, 50)
	if !ok1 || !ok2 || fmt.Sprint(p1) != fmt.Sprint(p2) {
		t.Fatalf("two plans of one input differ:\n%v\n%v", p1, p2)
	}
	if len(p1.Steps) == 0 || len(p1.Steps) > 50 {
		t.Fatalf("plan of %d steps", len(p1.Steps))
	}
	ex := mc.NewExecutor()
	cur, nxt := new(Bank), new(Bank)
	if res := ex.Exec(machine.InitAction, nil, cur, machine.Path(p1.Init).Choices()); !res.Enabled {
		t.Fatal("init does not replay")
	}
	for i, st := range p1.Steps {
		if res := ex.Exec(st.Action, cur, nxt, machine.Path(st.Path).Choices()); res.Enabled != st.Enabled {
			t.Fatalf("step %d does not replay on the model", i+1)
		}
		if st.Enabled {
			cur, nxt = nxt, cur
		}
	}
}

func randomBytes(seed uint64, n int) []byte {
	r := rng.New(seed, 0)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint64())
	}
	return b
}

// TestFuzzFindsBugs: random inputs, as the fuzzer would start from, find
// the planted bugs; the divergence is shrunk and saved as ITF.
func TestFuzzFindsBugs(t *testing.T) {
	for _, b := range []bug{offByOne, missingGuard, lostUpdate} {
		t.Run(string(b), func(t *testing.T) {
			m := bankModel()
			dir := t.TempDir()
			for seed := uint64(1); seed <= 200; seed++ {
				rec := newRecTB(t, "FuzzBank")
				mbt.Fuzz(rec, m, newBankDriver(b), randomBytes(seed, 100), mbt.Options{Dir: dir})
				if !rec.Failed() {
					continue
				}
				msg := rec.errors()
				files, err := engine.SavedTraces(engine.TestDir(dir, "FuzzBank"))
				if err != nil || len(files) != 1 {
					t.Fatalf("saved traces %v, %v; message:\n%s", files, err, msg)
				}
				if _, err := os.Stat(files[0]); err != nil || !strings.Contains(msg, strings.SplitAfter(engine.TestCommand("TestX"), " -run ")[0]) {
					t.Fatalf("message:\n%s", msg)
				}
				return
			}
			t.Fatal("200 random inputs found nothing")
		})
	}
}

func TestFuzzReportsItsFailures(t *testing.T) {
	tests := []struct {
		name string
		drv  func(testing.TB) mbt.Driver[Bank]
		opts mbt.Options
		want string
	}{
		{"bad options", newBankDriver(correct), mbt.Options{DisabledRate: 2}, "options"},
		{"driver error", func(testing.TB) mbt.Driver[Bank] { return errDriver{} }, mbt.Options{}, "service down"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecTB(t, "FuzzX")
			tc.opts.Dir = t.TempDir()
			mbt.Fuzz(rec, bankModel(), tc.drv, randomBytes(3, 50), tc.opts)
			if msg := rec.errors(); !strings.Contains(msg, tc.want) {
				t.Errorf("errors %q, want one with %q", msg, tc.want)
			}
		})
	}
}

type errDriver struct{}

func (errDriver) Reset(context.Context, mbt.Step) error { return nil }
func (errDriver) Step(context.Context, mbt.Step) error  { return errors.New("service down") }
