package controlplane

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

const root = "clouddb.us-east-1.api.acme"

// prepareOutage plays the story up to the stale deploy: plans 1..4,
// deployer-a deploys them all (next=5), deployer-c syncs and tries to deploy
// plan 1. It returns deployer-c's response.
func prepareOutage(c *client) (int, errorResponse) {
	c.t.Helper()
	c.ok(http.MethodPost, "/mbt/reset", "")
	for i, w := range []string{
		`{"192.0.2.1":100}`,
		`{"192.0.2.2":110,"192.0.2.3":120}`,
		`{"192.0.2.1":101,"192.0.2.2":102,"192.0.2.3":103}`,
		`{"192.0.2.3":104}`,
	} {
		if id := c.plan(w); id != i+1 {
			c.t.Fatalf("plan id = %d, want %d", id, i+1)
		}
	}
	for range 4 {
		c.mustAct("deployer-a", "sync")
		c.mustAct("deployer-a", "deploy")
	}
	if d := c.state().Deployers["deployer-a"]; d.Next != 5 || d.Root != 4 {
		c.t.Fatalf("deployer-a = %+v, want next 5 and root 4", d)
	}
	c.mustAct("deployer-c", "sync")
	return c.act("deployer-c", "deploy")
}

func TestOutage(t *testing.T) {
	c := newClient(t, Config{})
	if status, e := prepareOutage(c); status != http.StatusOK {
		t.Fatalf("deployer-c deploy: %d %s", status, e.Error)
	}
	obs := c.state()
	if obs.Zone.Root != 1 || obs.Zone.Rollback != 4 {
		t.Fatalf("after the stale deploy root/rollback = %d/%d, want 1/4", obs.Zone.Root, obs.Zone.Rollback)
	}
	if got := c.resolve(root).Addresses; len(got) != 1 || got[0].IP != "192.0.2.1" {
		t.Fatalf("clouddb resolves to %v, want plan 1's 192.0.2.1", got)
	}

	// deployer-a cleans up by its own counter: cutoff 5-3=2, so plan 1 goes,
	// and with it the tree the root points at.
	c.mustAct("deployer-a", "cleanup")
	lockC := Lock{Owner: "deployer-c", Epoch: 5}
	want := Observation{
		Plans: []PlanView{
			{ID: 1, Weights: map[string]int{"192.0.2.1": 100}},
			{ID: 2, Weights: map[string]int{"192.0.2.2": 110, "192.0.2.3": 120}},
			{ID: 3, Weights: map[string]int{"192.0.2.1": 101, "192.0.2.2": 102, "192.0.2.3": 103}},
			{ID: 4, Weights: map[string]int{"192.0.2.3": 104}},
		},
		Zone: ZoneView{Lock: lockC, Root: 1, Rollback: 4, Trees: map[int]map[string]int{
			2: {"192.0.2.2": 110, "192.0.2.3": 120},
			3: {"192.0.2.1": 101, "192.0.2.2": 102, "192.0.2.3": 103},
			4: {"192.0.2.3": 104},
		}},
		Deployers: map[string]DeployerView{
			"deployer-a": {Next: 5, Lock: Lock{Owner: "deployer-a", Epoch: 4}, Root: 4, Rollback: 3},
			"deployer-b": {Next: 1, Lock: Lock{Owner: "none", Epoch: 0}, Root: 0, Rollback: 0},
			"deployer-c": {Next: 2, Lock: lockC, Root: 1, Rollback: 4},
		},
	}
	if got := c.state(); !reflect.DeepEqual(got, want) {
		t.Fatalf("state after cleanup:\n got %+v\nwant %+v", got, want)
	}
	if got := c.resolve(root).Addresses; len(got) != 0 {
		t.Fatalf("clouddb resolves to %v, want nothing", got)
	}
	if status, h := c.health(); status != http.StatusServiceUnavailable || h.Status != "degraded" {
		t.Fatalf("healthz = %d %+v, want 503 degraded", status, h)
	}

	// The planner moves on, but no deployer can repair the root: each one
	// observes the missing root and fails its safety check.
	c.plan(`{"192.0.2.1":105}`)
	for round := range 2 {
		for _, d := range DefaultDeployers {
			c.mustAct(d, "sync")
			status, e := c.act(d, "deploy")
			if status != http.StatusConflict || !e.Refused || !strings.Contains(e.Error, "safety check failed: observed root plan-001 missing") {
				t.Fatalf("round %d: %s deploy = %d %+v, want a refused safety check", round, d, status, e)
			}
			c.act(d, "cleanup") // cleanups cannot help either
		}
	}
	if got := c.resolve(root).Addresses; len(got) != 0 {
		t.Fatalf("clouddb resolves to %v, want nothing", got)
	}
	if status, _ := c.health(); status != http.StatusServiceUnavailable {
		t.Fatalf("healthz = %d, want 503", status)
	}
	page := string(c.ok(http.MethodGet, "/", ""))
	for _, s := range []string{"OUTAGE", "plan-001", "MISSING", "deployer-c"} {
		if !strings.Contains(page, s) {
			t.Errorf("status page lacks %q", s)
		}
	}
}

func TestOutageFixed(t *testing.T) {
	c := newClient(t, Config{Fixed: true})
	status, e := prepareOutage(c)
	if status != http.StatusConflict || !e.Refused || !strings.Contains(e.Error, "stale plan") {
		t.Fatalf("deployer-c deploy = %d %+v, want a refused stale plan", status, e)
	}
	c.mustAct("deployer-a", "cleanup")
	obs := c.state()
	if obs.Zone.Root != 4 || obs.Zone.Rollback != 3 {
		t.Fatalf("root/rollback = %d/%d, want 4/3", obs.Zone.Root, obs.Zone.Rollback)
	}
	if _, ok := obs.Zone.Trees[1]; ok {
		t.Fatalf("plan 1 survived cleanup: %v", obs.Zone.Trees)
	}
	want := []wormhole53.Address{{IP: "192.0.2.3", Weight: 104}}
	if got := c.resolve(root).Addresses; !reflect.DeepEqual(got, want) {
		t.Fatalf("clouddb resolves to %v, want %v", got, want)
	}
	if status, h := c.health(); status != http.StatusOK || h.Status != "ok" {
		t.Fatalf("healthz = %d %+v, want 200 ok", status, h)
	}
	// The system keeps making progress.
	c.plan(`{"192.0.2.1":105}`)
	c.mustAct("deployer-a", "sync")
	c.mustAct("deployer-a", "deploy")
	want = []wormhole53.Address{{IP: "192.0.2.1", Weight: 105}}
	if got := c.resolve(root).Addresses; !reflect.DeepEqual(got, want) {
		t.Fatalf("clouddb resolves to %v, want %v", got, want)
	}
}
