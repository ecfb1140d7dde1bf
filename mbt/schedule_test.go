package mbt_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/yield"
)

// lockedKV is a store whose every operation holds one real mutex across a
// yield point (yield.Always, so in every build): the client the scheduler
// runs next often blocks on a lock a parked client holds, outside any
// point. It also records the order in which operations took effect.
type lockedKV struct {
	mu    sync.Mutex
	m     map[string]int
	order []string
}

type lockedDriver struct{ s *lockedKV }

func (d *lockedDriver) Reset(context.Context, mbt.Step) error {
	d.s = &lockedKV{m: map[string]int{}}
	return nil
}

func (d *lockedDriver) Do(ctx context.Context, client int, op mbt.Step) ([]mbt.Labelled, error) {
	k, err := mbt.Pick[string](op, "key")
	if err != nil {
		return nil, err
	}
	yield.Always(ctx, "lock")
	d.s.mu.Lock()
	yield.Always(ctx, "locked")
	defer func() {
		d.s.mu.Unlock()
		yield.Always(ctx, "unlocked")
	}()
	d.s.order = append(d.s.order, fmt.Sprintf("c%d %s", client, op.Action))
	if op.Action == "get" {
		return []mbt.Labelled{mbt.Output("value", d.s.m[k])}, nil
	}
	v, err := mbt.Pick[int](op, "v")
	if err != nil {
		return nil, err
	}
	yield.Always(ctx, "write")
	d.s.m[k] = v
	return nil, nil
}

// TestControlledSchedulersAreDeterministic: under the random and PCT
// schedulers, clients that block on a real mutex held by a parked client
// neither deadlock the scheduler nor make it nondeterministic: the same
// seed gives the same interleaving, another seed another one.
func TestControlledSchedulersAreDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("needs its 4 runs a seed for two seeds to differ; -short divides them to 1")
	}
	for _, sched := range []mbt.Scheduler{mbt.RandomScheduler, mbt.PCTScheduler} {
		t.Run(sched.String(), func(t *testing.T) {
			orders := func(seed uint64) string {
				var all []string
				d := &lockedDriver{}
				rec := newRecTB(t, "TestSched")
				rep := mbt.RunConcurrent(rec, kvModel(kvKeys[:2]), func(testing.TB) mbt.ConcurrentDriver[KV] {
					return &orderDriver{lockedDriver: d, all: &all}
				}, mbt.ConcurrentOptions{Seed: seed, Clients: 3, Ops: 12, Runs: 4, Outputs: kvOutputs, Scheduler: sched, Dir: t.TempDir()})
				if rec.Failed() || rep == nil {
					t.Fatalf("seed %d: %s", seed, rec.errors())
				}
				if rep.Points == 0 {
					t.Fatalf("seed %d: no yield point reached: %s", seed, rep)
				}
				return strings.Join(all, "; ")
			}
			a, b, c := orders(3), orders(3), orders(4)
			if a != b {
				t.Errorf("seed 3 interleaved two ways:\n%s\n%s", a, b)
			}
			if a == c {
				t.Errorf("seeds 3 and 4 interleaved alike:\n%s", a)
			}
		})
	}
}

// orderDriver records, at each Reset, the order the last run's operations
// took effect in.
type orderDriver struct {
	*lockedDriver
	all *[]string
}

func (d *orderDriver) Reset(ctx context.Context, s mbt.Step) error {
	if d.s != nil {
		*d.all = append(*d.all, strings.Join(d.s.order, ","))
	}
	return d.lockedDriver.Reset(ctx, s)
}

func TestSchedulerNames(t *testing.T) {
	for s, want := range map[mbt.Scheduler]string{mbt.GoScheduler: "go", mbt.RandomScheduler: "random", mbt.PCTScheduler: "pct", mbt.Scheduler(9): "Scheduler(9)"} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", int(s), s.String(), want)
		}
	}
	rec := newRecTB(t, "TestBadScheduler")
	if rep := mbt.RunConcurrent(rec, kvModel(kvKeys), newKVDriver(nil), mbt.ConcurrentOptions{Scheduler: 9, Dir: t.TempDir()}); rep != nil || !strings.Contains(rec.errors(), "unknown Scheduler 9") {
		t.Errorf("an unknown scheduler: %v, %q", rep, rec.errors())
	}
}
