package deployer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"

	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/planner"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

var ips = []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}

// env is a fresh zone, planner and deployer directory.
type env struct {
	t      *testing.T
	dir    string
	store  *wormhole53.Store
	plans  *planner.Planner
	policy Policy
}

func newEnv(t *testing.T, policy Policy, nplans int) *env {
	t.Helper()
	dir := t.TempDir()
	store, err := wormhole53.NewMemory(layout.Zone)
	if err != nil {
		t.Fatal(err)
	}
	var batch []wormhole53.Change
	for _, r := range layout.InitialRecords() {
		batch = append(batch, wormhole53.Change{Action: wormhole53.Create, Record: r})
	}
	if err := store.Apply(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	plans, err := planner.Open(filepath.Join(dir, "plans"), ips)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: dir, store: store, plans: plans, policy: policy}
	for i := range nplans {
		e.plan(map[string]int{ips[i%3]: 100 + i})
	}
	return e
}

func (e *env) plan(w map[string]int) {
	e.t.Helper()
	if _, err := e.plans.Create(w); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) deployer(name string) *Deployer {
	e.t.Helper()
	d, err := Open(e.dir, name, e.policy)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *env) syncDeploy(d *Deployer) int {
	e.t.Helper()
	if err := d.Sync(e.store); err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	id, err := d.Deploy(context.Background(), e.store, e.plans)
	if err != nil {
		e.t.Fatalf("deploy: %v", err)
	}
	return id
}

func (e *env) alias(name string) int {
	e.t.Helper()
	id, err := layout.ReadAlias(e.store, name)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestDeploySuccess(t *testing.T) {
	e := newEnv(t, Policy{}, 2)
	a := e.deployer("deployer-a")
	if got := a.State(); got != InitialState() {
		t.Fatalf("initial state = %+v", got)
	}
	if id, err := a.Deploy(context.Background(), e.store, e.plans); err != nil || id != 1 {
		t.Fatalf("Deploy = %d, %v", id, err)
	}
	want := State{Next: 2, Lock: layout.Lock{Owner: "deployer-a", Epoch: 1}, Root: 1, Rollback: 0}
	if got := a.State(); got != want {
		t.Fatalf("state = %+v, want %+v", got, want)
	}
	if l, _ := layout.ReadLock(e.store); l != want.Lock {
		t.Fatalf("zone lock = %v", l)
	}
	if e.alias(layout.Root) != 1 || e.alias(layout.Rollback) != 0 {
		t.Fatalf("root/rollback = %d/%d", e.alias(layout.Root), e.alias(layout.Rollback))
	}
	if got := e.store.Resolve(layout.Root); !reflect.DeepEqual(got, []wormhole53.Address{{IP: "192.0.2.1", Weight: 100}}) {
		t.Fatalf("root resolves to %v", got)
	}
	// Without a sync in between, the deployer's own lock is still current.
	if id, err := a.Deploy(context.Background(), e.store, e.plans); err != nil || id != 2 {
		t.Fatalf("second Deploy = %d, %v", id, err)
	}
	if e.alias(layout.Root) != 2 || e.alias(layout.Rollback) != 1 {
		t.Fatalf("root/rollback = %d/%d", e.alias(layout.Root), e.alias(layout.Rollback))
	}
	// The state survives a restart.
	if got, want := e.deployer("deployer-a").State(), a.State(); got != want {
		t.Fatalf("reopened state = %+v, want %+v", got, want)
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		plans  int
		setup  func(e *env) *Deployer // returns the deployer whose deploy is tried
		want   error
	}{
		{"nothing to deploy", Policy{}, 0, func(e *env) *Deployer { return e.deployer("deployer-a") }, ErrNothingToDeploy},
		{"lock moved", Policy{}, 2, func(e *env) *Deployer {
			b := e.deployer("deployer-b")
			if err := b.Sync(e.store); err != nil {
				t.Fatal(err)
			}
			e.syncDeploy(e.deployer("deployer-a"))
			return b
		}, ErrLockMoved},
		{"safety check", Policy{}, 5, func(e *env) *Deployer {
			a, c := e.deployer("deployer-a"), e.deployer("deployer-c")
			for range 4 {
				e.syncDeploy(a)
			}
			e.syncDeploy(c) // plan 1, after plan 4
			if _, err := a.Cleanup(context.Background(), e.store); err != nil {
				t.Fatal(err)
			}
			if err := a.Sync(e.store); err != nil {
				t.Fatal(err)
			}
			return a
		}, ErrSafetyCheck},
		{"stale plan (fixed)", Policy{Fixed: true}, 2, func(e *env) *Deployer {
			e.syncDeploy(e.deployer("deployer-a"))
			e.syncDeploy(e.deployer("deployer-a"))
			c := e.deployer("deployer-c")
			if err := c.Sync(e.store); err != nil {
				t.Fatal(err)
			}
			return c
		}, ErrStalePlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.policy, tt.plans)
			d := tt.setup(e)
			before, zone := d.State(), e.store.Records()
			stateFile, err := os.ReadFile(filepath.Join(e.dir, d.Name()+".json"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = d.Deploy(context.Background(), e.store, e.plans)
			if !errors.Is(err, tt.want) || !IsRefusal(err) {
				t.Fatalf("Deploy error = %v, want %v", err, tt.want)
			}
			if d.State() != before || !reflect.DeepEqual(e.store.Records(), zone) {
				t.Fatalf("a refused deploy changed the deployer or the zone")
			}
			if after, _ := os.ReadFile(filepath.Join(e.dir, d.Name()+".json")); string(after) != string(stateFile) {
				t.Fatalf("a refused deploy changed the state file")
			}
		})
	}
}

func TestSafetyCheckMessage(t *testing.T) {
	e := newEnv(t, Policy{}, 5)
	a, c := e.deployer("deployer-a"), e.deployer("deployer-c")
	for range 4 {
		e.syncDeploy(a)
	}
	e.syncDeploy(c)
	if _, err := a.Cleanup(context.Background(), e.store); err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(e.store); err != nil {
		t.Fatal(err)
	}
	_, err := c.Deploy(context.Background(), e.store, e.plans)
	if want := "deployer deployer-c: deploy plan 2: safety check failed: observed root plan-001 missing"; err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
}

func TestCleanup(t *testing.T) {
	tests := []struct {
		name     string
		policy   Policy
		deploys  int   // deployer-a deploys plans 1..deploys
		stale    bool  // then deployer-c deploys plan 1
		want     []int // plans deleted by deployer-a's cleanup
		wantTree []int // plan trees left
	}{
		{"nothing yet", Policy{}, 3, false, nil, []int{1, 2, 3}},
		{"keep 3 of 4", Policy{}, 4, false, []int{1}, []int{2, 3, 4}},
		{"keep 3 of 6", Policy{}, 6, false, []int{1, 2, 3}, []int{4, 5, 6}},
		{"keep 1 of 3", Policy{Keep: 1}, 3, false, []int{1, 2}, []int{3}},
		{"deletes the root (bug)", Policy{}, 4, true, []int{1}, []int{2, 3, 4}},
		{"keeps the root (fixed)", Policy{Fixed: true}, 6, false, []int{1, 2, 3}, []int{4, 5, 6}},
		{"keeps root and rollback (fixed)", Policy{Fixed: true, Keep: 1}, 3, false, []int{1}, []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.policy, tt.deploys)
			a := e.deployer("deployer-a")
			for range tt.deploys {
				e.syncDeploy(a)
			}
			if tt.stale {
				e.syncDeploy(e.deployer("deployer-c"))
			}
			got, err := a.Cleanup(context.Background(), e.store)
			if tt.want == nil {
				if !errors.Is(err, ErrNothingToClean) {
					t.Fatalf("Cleanup = %v, %v; want ErrNothingToClean", got, err)
				}
			} else if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Cleanup = %v, %v; want %v", got, err, tt.want)
			}
			trees, err := layout.ReadTrees(e.store, ips)
			if err != nil {
				t.Fatal(err)
			}
			var left []int
			for id := 1; id <= tt.deploys; id++ {
				if _, ok := trees[id]; ok {
					left = append(left, id)
				}
				if got := len(layout.TreeRecords(e.store, id)); (trees[id] != nil) != (got > 0) {
					t.Fatalf("plan %d: alias present %v but %d records", id, trees[id] != nil, got)
				}
			}
			if !reflect.DeepEqual(left, tt.wantTree) {
				t.Fatalf("trees left = %v, want %v", left, tt.wantTree)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", "none", "../x", "A"} {
		if _, err := Open(dir, name, Policy{}); err == nil {
			t.Errorf("Open accepted name %q", name)
		}
	}
	if _, err := Open(dir, "d", Policy{Keep: -1}); err == nil {
		t.Errorf("Open accepted a negative keep")
	}
	if err := os.WriteFile(filepath.Join(dir, "deployer-a.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, "deployer-a", Policy{}); err == nil {
		t.Errorf("Open accepted a corrupt state file")
	}
}

// TestLiveSkipsToNewest: with Policy.Live, the deployer that the fixed
// policy refuses as stale deploys the newest plan instead, and its counter
// moves past it.
func TestLiveSkipsToNewest(t *testing.T) {
	for _, tt := range []struct {
		name     string
		policy   Policy
		wantID   int
		wantNext int
		wantErr  error
	}{
		{"fixed refuses", Policy{Fixed: true}, 0, 1, ErrStalePlan},
		{"live skips", Policy{Fixed: true, Live: true}, 3, 4, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.policy, 3)
			a := e.deployer("deployer-a")
			e.syncDeploy(a)
			e.syncDeploy(a) // the root points at plan 2
			c := e.deployer("deployer-c")
			if err := c.Sync(e.store); err != nil {
				t.Fatal(err)
			}
			id, err := c.Deploy(context.Background(), e.store, e.plans)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Deploy = %d, %v; want error %v", id, err, tt.wantErr)
			}
			if id != tt.wantID || c.State().Next != tt.wantNext {
				t.Errorf("deployed %d, next %d; want %d, %d", id, c.State().Next, tt.wantID, tt.wantNext)
			}
			if tt.wantErr == nil && e.alias(layout.Root) != tt.wantID {
				t.Errorf("root at %d, want %d", e.alias(layout.Root), tt.wantID)
			}
		})
	}
}

// With the disk full, an operation fails and the deployer is as it was,
// in memory as on disk; a deploy whose zone write landed but whose state
// did not is rolled forward by Reconcile, from the zone, to the state the
// deploy saves when nothing fails.
func TestSaveFailureAndReconcile(t *testing.T) {
	e := newEnv(t, Policy{Fixed: true}, 2)
	a, b := e.deployer("deployer-a"), e.deployer("deployer-b")
	e.syncDeploy(a)
	if err := b.Sync(e.store); err != nil {
		t.Fatal(err)
	}
	full := func(path string) error {
		if filepath.Base(filepath.Dir(path)) == filepath.Base(e.dir) && filepath.Ext(path) == ".json" {
			return syscall.ENOSPC
		}
		return nil
	}
	atomicfile.SetFault(full)
	defer atomicfile.SetFault(nil)

	// A sync that cannot save changes nothing.
	e.plan(map[string]int{ips[0]: 7})
	before := a.State()
	if lag, err := a.Lagging(e.store); err != nil || lag {
		t.Fatalf("Lagging before any failure: %v, %v", lag, err)
	}
	// b deploys its next plan, 1 again: the zone takes it, b's state cannot.
	if _, err := b.Deploy(context.Background(), e.store, e.plans); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("deploy on a full disk: %v", err)
	}
	if err := a.Sync(e.store); !errors.Is(err, syscall.ENOSPC) || a.State() != before {
		t.Errorf("sync on a full disk: %v; state %+v, want %+v unchanged", err, a.State(), before)
	}
	bBefore := b.State()
	if lag, err := b.Lagging(e.store); err != nil || !lag {
		t.Fatalf("b after its deploy's save failed: lagging %v, %v", lag, err)
	}
	if done, err := b.Reconcile(e.store); done || !errors.Is(err, syscall.ENOSPC) || b.State() != bBefore {
		t.Errorf("Reconcile on a full disk: %v, %v; state %+v", done, err, b.State())
	}
	atomicfile.SetFault(nil)
	// A restart reads the old state from disk; Reconcile rolls it forward.
	b2 := e.deployer("deployer-b")
	if b2.State() != bBefore {
		t.Fatalf("state on disk %+v, want %+v", b2.State(), bBefore)
	}
	if done, err := b2.Reconcile(e.store); !done || err != nil {
		t.Fatalf("Reconcile: %v, %v", done, err)
	}
	lock, _ := layout.ReadLock(e.store)
	want := State{Next: 2, Lock: lock, Root: 1, Rollback: 1}
	if b2.State() != want || lock != bBefore.Lock.Next("deployer-b") {
		t.Errorf("reconciled state %+v (zone lock %v), want %+v", b2.State(), lock, want)
	}
	if again, err := e.deployer("deployer-b").Reconcile(e.store); again || err != nil {
		t.Errorf("Reconcile of a saved state: %v, %v", again, err)
	}
	// The others are not lagging, and the next deploy goes through.
	if lag, err := a.Lagging(e.store); err != nil || lag {
		t.Errorf("a lagging: %v, %v", lag, err)
	}
	if id := e.syncDeploy(b2); id != 2 {
		t.Errorf("the deploy after reconciling: plan %d, want 2", id)
	}
}
