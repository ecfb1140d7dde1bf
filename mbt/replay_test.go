package mbt_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/mbt"
)

const quintFixture = "testdata/quint_bank.itf.json"

// A Quint --mbt trace drives the same driver calls: mbt::actionTaken names
// the action, mbt::nondetPicks gives its picks.
func TestReplayQuintTrace(t *testing.T) {
	mbt.Replay(t, bankModel(), newBankDriver(correct), mbt.Options{}, quintFixture)

	// The fixture interleaves a deposit between begin_add and commit, so it
	// catches the lost update.
	rt := newRecTB(t, "TestReplayQuint")
	mbt.Replay(rt, bankModel(), newBankDriver(lostUpdate), mbt.Options{}, "testdata/quint_*.itf.json")
	msg := rt.errors()
	for _, want := range []string{"after step 4, commit(client=\"c1\")", "balances[\"alice\"]:", "model:          4", "implementation: 3", quintFixture} {
		if !strings.Contains(msg, want) {
			t.Errorf("replay with the lost update: message lacks %q:\n%s", want, msg)
		}
	}
}

// Replay refuses, loudly and precisely, a trace the model does not accept.
func TestReplayRejectsForeignTraces(t *testing.T) {
	data, err := os.ReadFile(quintFixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, old, new, want string }{
		{"state differs", `"version": {"#bigint": "4"}`, `"version": {"#bigint": "5"}`, "state 5, withdraw(account=\"alice\", amount=3): the model's state differs from the trace's"},
		{"unknown action", `"mbt::actionTaken": "commit"`, `"mbt::actionTaken": "comit"`, `unknown action "comit"; valid: begin_add, commit, deposit, withdraw`},
		{"guard fails", `"client": {"tag": "Some", "value": "c1"}}}`, `"client": {"tag": "Some", "value": "c2"}}}`, "state 4, commit(client=\"c2\"): the model does not allow this step (a guard fails)"},
		{"pick out of range", `"value": {"#bigint": "2"}}, "client"`, `"value": {"#bigint": "9"}}, "client"`, `recorded value 9 is not in 1..3`},
		{"missing pick", `"client": {"tag": "Some", "value": "c1"}}}`, `"client": {"tag": "None", "value": {"#tup": []}}}}`, `the model picks "client", which the trace does not record`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := string(data)
			if !strings.Contains(src, tc.old) {
				t.Fatalf("fixture lacks %q", tc.old)
			}
			// Replace the last occurrence, which is the later state.
			i := strings.LastIndex(src, tc.old)
			if tc.name == "pick out of range" {
				i = strings.Index(src, tc.old)
			}
			src = src[:i] + tc.new + src[i+len(tc.old):]
			file := filepath.Join(t.TempDir(), "foreign.itf.json")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			rt := newRecTB(t, "TestForeign")
			mbt.Replay(rt, bankModel(), newBankDriver(correct), mbt.Options{}, file)
			if msg := rt.errors(); !strings.Contains(msg, tc.want) || !strings.Contains(msg, "does not fit model bank") {
				t.Errorf("got:\n%s\nwant it to contain %q", msg, tc.want)
			}
		})
	}
}

// A saved trace that no longer fits the model is reported, naming the
// file; the run does not go on as if nothing happened.
func TestStaleSavedTrace(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "TestStale")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(quintFixture)
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(data), `"mbt::actionTaken": "commit"`, `"mbt::actionTaken": "settle"`, 1)
	file := filepath.Join(sub, "0123456789abcdef.itf.json")
	if err := os.WriteFile(file, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	rt := newRecTB(t, "TestStale")
	rep := mbt.Run(rt, bankModel(), newBankDriver(correct), mbt.Options{Seed: 1, Traces: 10, Dir: dir})
	if msg := rt.errors(); !strings.Contains(msg, file) || !strings.Contains(msg, "no longer fits model bank") || rep.Traces != 0 {
		t.Errorf("stale trace: %d traces run, message:\n%s", rep.Traces, msg)
	}
}

type brokenDriver struct{}

func (brokenDriver) Reset(context.Context, mbt.Step) error { return nil }
func (brokenDriver) Step(context.Context, mbt.Step) error {
	return errors.New("read tcp 127.0.0.1:9: connection reset by peer")
}

// Pick converts a pick to the type asked for, and names what is missing.
func TestPick(t *testing.T) {
	var got mbt.Step
	d := &captureDriver{steps: &[]mbt.Step{}}
	rt := newRecTB(t, "TestPick")
	mbt.Run(rt, bankModel(), func(testing.TB) mbt.Driver[Bank] { return d }, mbt.Options{Seed: 3, Traces: 5, Steps: 20, DisabledRate: -1, Dir: t.TempDir()})
	for _, s := range *d.steps {
		if s.Action == "begin_add" {
			got = s
			break
		}
	}
	if got.Action == "" {
		t.Fatal("no begin_add step")
	}
	n, err := mbt.Pick[int64](got, "amount")
	if err != nil || n < 1 || n > 3 {
		t.Errorf("Pick[int64] amount = %d, %v", n, err)
	}
	if _, err := mbt.Pick[int](got, "colour"); err == nil || !strings.Contains(err.Error(), `has no pick "colour" (it has: client, account, amount)`) {
		t.Errorf("missing pick: %v", err)
	}
	if _, err := mbt.Pick[int](got, "client"); err == nil {
		t.Errorf("a string pick read as an int should fail")
	}
	if s := got.String(); !strings.HasPrefix(s, `begin_add(client="c`) {
		t.Errorf("Step.String() = %s", s)
	}
}

// captureDriver records the steps and performs them on a correct bank.
type captureDriver struct {
	bankDriver
	steps *[]mbt.Step
}

func (d *captureDriver) Step(ctx context.Context, s mbt.Step) error {
	*d.steps = append(*d.steps, s)
	return d.bankDriver.Step(ctx, s)
}
