package autopilot

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/execspec/execspec/examples/dnscontrol/controlplane"
)

const root = "clouddb.us-east-1.api.acme"

// fakeClock jumps forward by d whenever the autopilot waits, so a run takes
// no real time and is fully deterministic.
type fakeClock struct {
	now   time.Time
	waits int
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.waits++
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// run is the result of driving a fresh control plane for n events.
type run struct {
	log                []string
	obs                controlplane.Observation
	outageAt           int // first event after which clouddb resolved to nothing; -1 if never
	deploysAfterOutage int
	waits              int
}

func drive(t *testing.T, seed uint64, fixed bool, slow string, n int) run {
	t.Helper()
	cp, err := controlplane.Open(controlplane.Config{Dir: t.TempDir(), Fixed: fixed})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Date(2025, 10, 20, 6, 48, 0, 0, time.UTC)}
	cfg := DefaultConfig(controlplane.DefaultDeployers, controlplane.DefaultIPs)
	cfg.Slow = slow
	ap, err := New(cp, cfg, clock, rand.New(rand.NewPCG(seed, 2025)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := run{outageAt: -1}
	err = ap.Run(ctx, func(ev Event) {
		r.log = append(r.log, ev.String())
		if r.outageAt >= 0 && ev.Step == StepDeploy && ev.Err == nil {
			r.deploysAfterOutage++
		}
		obs, err := cp.Observe()
		if err != nil {
			t.Fatal(err)
		}
		if r.outageAt < 0 && obs.Zone.Root != 0 && len(cp.Resolve(root)) == 0 {
			r.outageAt = len(r.log)
		}
		if len(r.log) == n {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if r.obs, err = cp.Observe(); err != nil {
		t.Fatal(err)
	}
	r.waits = clock.waits
	return r
}

func TestDeterministic(t *testing.T) {
	const n = 300
	first := drive(t, 7, false, "deployer-c", n)
	second := drive(t, 7, false, "deployer-c", n)
	if len(first.log) != n {
		t.Fatalf("ran %d events, want %d", len(first.log), n)
	}
	if !reflect.DeepEqual(first.log, second.log) || !reflect.DeepEqual(first.obs, second.obs) {
		t.Fatalf("two runs with seed 7 differ")
	}
	if first.waits == 0 || len(first.obs.Plans) == 0 {
		t.Fatalf("the run never waited on the clock (%d) or made no plan (%d)", first.waits, len(first.obs.Plans))
	}
	if other := drive(t, 8, false, "deployer-c", n); reflect.DeepEqual(first.log, other.log) {
		t.Fatalf("seeds 7 and 8 gave the same run")
	}
}

// TestOutageInProduction lets the slow deployer fall behind until its stale
// deploy meets a cleanup: the outage of the scenario, with no recovery. The
// fixed control plane runs the same schedule without losing clouddb.
func TestOutageInProduction(t *testing.T) {
	const n = 600
	for _, seed := range []uint64{1, 2} {
		bug := drive(t, seed, false, "deployer-c", n)
		if bug.outageAt < 0 {
			t.Fatalf("seed %d: no outage in %d events", seed, n)
		}
		if bug.deploysAfterOutage != 0 {
			t.Fatalf("seed %d: %d deploys succeeded after the outage", seed, bug.deploysAfterOutage)
		}
		if len(bug.obs.Plans) <= bug.obs.Zone.Root+3 {
			t.Fatalf("seed %d: plans %d, root %d: the planner did not move on", seed, len(bug.obs.Plans), bug.obs.Zone.Root)
		}
		fixed := drive(t, seed, true, "deployer-c", n)
		if fixed.outageAt >= 0 {
			t.Fatalf("seed %d: fixed control plane lost clouddb at event %d", seed, fixed.outageAt)
		}
		if got, want := fixed.obs.Zone.Root, len(fixed.obs.Plans); got < want-1 {
			t.Fatalf("seed %d: fixed root %d lags the %d plans", seed, got, want)
		}
		if healthy := drive(t, seed, false, "", n); healthy.outageAt >= 0 {
			t.Fatalf("seed %d: outage at event %d without a slow deployer", seed, healthy.outageAt)
		}
	}
}

// blockedClock never fires.
type blockedClock struct{}

func (blockedClock) Now() time.Time                       { return time.Unix(0, 0) }
func (blockedClock) After(time.Duration) <-chan time.Time { return nil }

func TestRunStopsOnCancel(t *testing.T) {
	ap, err := New(failing{}, DefaultConfig([]string{"d"}, []string{"192.0.2.1"}), blockedClock{}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- ap.Run(ctx, nil) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
}

// failing is an Actions whose steps fail with an I/O-like error.
type failing struct{}

var errDisk = errors.New("disk on fire")

func (failing) Plan(map[string]int) (int, error)               { return 0, errDisk }
func (failing) Sync(context.Context, string) error             { return errDisk }
func (failing) Deploy(context.Context, string) (int, error)    { return 0, errDisk }
func (failing) Cleanup(context.Context, string) ([]int, error) { return nil, errDisk }

func TestRunStopsOnFailure(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	ap, err := New(failing{}, DefaultConfig([]string{"d"}, []string{"192.0.2.1"}), clock, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var events []Event
	err = ap.Run(context.Background(), func(ev Event) { events = append(events, ev) })
	if !errors.Is(err, errDisk) || len(events) != 1 {
		t.Fatalf("Run = %v after %d events, want errDisk after 1", err, len(events))
	}
}

func TestConfigValidation(t *testing.T) {
	base := DefaultConfig([]string{"d"}, []string{"192.0.2.1"})
	tests := []struct {
		name   string
		mutate func(*Config)
	}{
		{"no deployers", func(c *Config) { c.Deployers = nil }},
		{"no IPs", func(c *Config) { c.IPs = nil }},
		{"negative duration", func(c *Config) { c.Think = -time.Second }},
		{"bad weights", func(c *Config) { c.MinWeight, c.MaxWeight = 5, 4 }},
		{"unknown slow deployer", func(c *Config) { c.Slow = "x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.mutate(&cfg)
			if _, err := New(failing{}, cfg, blockedClock{}, rand.New(rand.NewPCG(1, 1))); err == nil {
				t.Fatal("New accepted the config")
			}
		})
	}
	// Zero durations and weights take the defaults.
	if _, err := New(failing{}, Config{Deployers: []string{"d"}, IPs: []string{"192.0.2.1"}}, blockedClock{}, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatalf("New with zero fields: %v", err)
	}
}
