package controlplane

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec/examples/dnscontrol/deployer"
	"github.com/execspec/execspec/examples/dnscontrol/planner"
)

func TestReopenRecoversState(t *testing.T) {
	dir := t.TempDir()
	cp, err := Open(Config{Dir: dir, Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := cp.Plan(map[string]int{DefaultIPs[i]: 100 + i}); err != nil {
			t.Fatal(err)
		}
		if _, err := cp.Deploy(context.Background(), "deployer-b"); err != nil {
			t.Fatal(err)
		}
	}
	if err := cp.Sync(context.Background(), "deployer-c"); err != nil {
		t.Fatal(err)
	}
	if ids, err := cp.Cleanup(context.Background(), "deployer-b"); err != nil || !reflect.DeepEqual(ids, []int{1, 2}) {
		t.Fatalf("Cleanup = %v, %v", ids, err)
	}
	before, err := cp.Observe()
	if err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(Config{Dir: dir, Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	after, err := reopened.Observe()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("reopened state differs:\n got %+v\nwant %+v", after, before)
	}
}

func TestReset(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "operator-notes.txt")
	if err := os.WriteFile(keep, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	cp, err := Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	initial, err := cp.Observe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cp.Plan(map[string]int{"192.0.2.2": 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := cp.Deploy(context.Background(), "deployer-a"); err != nil {
		t.Fatal(err)
	}
	if err := cp.Reset(); err != nil {
		t.Fatal(err)
	}
	if got, err := cp.Observe(); err != nil || !reflect.DeepEqual(got, initial) {
		t.Fatalf("after Reset = %+v, %v; want %+v", got, err, initial)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Fatalf("Reset removed a file it does not own: %v", err)
	}
	if id, err := cp.Plan(map[string]int{"192.0.2.2": 7}); err != nil || id != 1 {
		t.Fatalf("first plan after Reset = %d, %v", id, err)
	}
}

func TestAPIErrors(t *testing.T) {
	cp, err := Open(Config{Dir: t.TempDir(), Deployers: []string{"d1"}, IPs: []string{"10.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.Sync(context.Background(), "deployer-a"); !errors.Is(err, ErrUnknownDeployer) {
		t.Errorf("Sync(unknown) = %v", err)
	}
	if _, err := cp.Plan(map[string]int{"192.0.2.1": 1}); !errors.Is(err, planner.ErrInvalidPlan) {
		t.Errorf("Plan(unknown IP) = %v", err)
	}
	if _, err := cp.Deploy(context.Background(), "d1"); !errors.Is(err, deployer.ErrNothingToDeploy) {
		t.Errorf("Deploy = %v", err)
	}
	for _, cfg := range []Config{
		{},
		{Dir: t.TempDir(), Keep: -1},
		{Dir: t.TempDir(), Deployers: []string{"a", "a"}},
		{Dir: t.TempDir(), Deployers: []string{"Bad Name"}},
		{Dir: t.TempDir(), IPs: []string{"x"}},
	} {
		if _, err := Open(cfg); err == nil {
			t.Errorf("Open(%+v) accepted", cfg)
		}
	}
}

func TestCorruptZoneFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, zoneFile), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Config{Dir: dir}); err == nil {
		t.Fatal("Open accepted a corrupt zone file")
	}
}

// TestConcurrentRequests hammers every endpoint at once; run it with -race.
func TestConcurrentRequests(t *testing.T) {
	c := newClient(t, Config{})
	const workers, rounds = 6, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	deploys := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := DefaultDeployers[w%len(DefaultDeployers)]
			for i := range rounds {
				for _, req := range []struct{ method, path, body string }{
					{"POST", "/mbt/plan", fmt.Sprintf(`{"weights":{"192.0.2.%d":%d}}`, 1+i%3, 100+w)},
					{"POST", "/mbt/deployers/" + d + "/sync", ""},
					{"POST", "/mbt/deployers/" + d + "/deploy", ""},
					{"POST", "/mbt/deployers/" + d + "/cleanup", ""},
					{"GET", "/mbt/state", ""},
					{"GET", "/resolve?name=" + root, ""},
					{"GET", "/healthz", ""},
					{"GET", "/", ""},
				} {
					r := mustRequest(t, req.method, c.srv.URL+req.path, req.body)
					if r == nil {
						return
					}
					resp, err := c.srv.Client().Do(r)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
					switch {
					case resp.StatusCode == http.StatusOK && req.path == "/mbt/deployers/"+d+"/deploy":
						mu.Lock()
						deploys++
						mu.Unlock()
					case resp.StatusCode == http.StatusServiceUnavailable && req.path == "/healthz":
						// The race of the scenario may well happen here.
					case resp.StatusCode >= 500 || resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusNotFound:
						t.Errorf("%s %s: status %d", req.method, req.path, resp.StatusCode)
					}
				}
			}
		}()
	}
	wg.Wait()
	obs := c.state()
	if len(obs.Plans) != workers*rounds {
		t.Fatalf("plans = %d, want %d", len(obs.Plans), workers*rounds)
	}
	// Every successful deploy moved the lock exactly once.
	if obs.Zone.Lock.Epoch != deploys {
		t.Fatalf("lock epoch = %d, successful deploys = %d", obs.Zone.Lock.Epoch, deploys)
	}
}

func mustRequest(t *testing.T, method, url, body string) *http.Request {
	r, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Error(err) // not Fatal: called from worker goroutines
		return r
	}
	r.Header.Set("Content-Type", "application/json")
	return r
}

// A control plane killed between writing a temporary file and renaming it
// leaves the file behind; the next start removes those of its own files,
// and nothing else.
func TestOpenRemovesStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	cp, err := Open(Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cp.Plan(map[string]int{"192.0.2.1": 100}); err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{ // path: removed at start
		"plans/.plan-000002.json.tmp-4242":  true,
		".zone.json.tmp-17":                 true,
		"deployers/.deployer-b.json.tmp-99": true,
		"deployers/.deployer-z.json.tmp-99": false, // not a configured deployer
		".notes.txt.tmp-1":                  false,
		"plans/.plan-000002.json.tmp-draft": false,
		"plans/operator-notes.txt":          false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Open(Config{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	for name, removed := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); (err != nil) != removed {
			t.Errorf("%s: stat error %v, want removed=%v", name, err, removed)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "plans", "plan-000001.json")); err != nil {
		t.Errorf("the plan was removed: %v", err)
	}
}

// TestModes: Live implies Fixed, and the status page names the mode.
func TestModes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		cfg       Config
		wantFixed bool
		wantPage  string
	}{
		{"original", Config{}, false, "original (outage bug)"},
		{"fixed", Config{Fixed: true}, true, "<b>fixed</b>"},
		{"live", Config{Live: true}, true, "live (both fixes)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Dir = t.TempDir()
			c := newClient(t, tc.cfg)
			if got := c.cp.Config(); got.Fixed != tc.wantFixed || got.Live != tc.cfg.Live {
				t.Errorf("config fixed %v live %v; want %v %v", got.Fixed, got.Live, tc.wantFixed, tc.cfg.Live)
			}
			if page := string(c.ok("GET", "/", "")); !strings.Contains(page, tc.wantPage) {
				t.Errorf("the page lacks %q", tc.wantPage)
			}
		})
	}
}
