package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/execspec/execspec/examples/dnscontrol/controlplane"
	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
)

// envServe makes the test binary run as the acme service (see TestMain),
// so that the crash test can kill -9 a real process without building one.
const envServe = "ACME_TEST_SERVE"

// envKillBetween makes the service kill itself with SIGKILL when it is
// about to write a deployer's state right after writing the zone: between
// the two writes of a deploy.
const envKillBetween = "ACME_TEST_KILL_BETWEEN"

// envFullDisk makes the service's writes fail as on a full disk: "all" of
// them, or those of the "deployers" states only (the zone and the plans
// still written), to reach the state between a deploy's two writes.
const envFullDisk = "ACME_TEST_FULL_DISK"

func TestMain(m *testing.M) {
	if os.Getenv(envServe) == "1" {
		if os.Getenv(envKillBetween) == "1" {
			var mu sync.Mutex
			last := ""
			atomicfile.SetFault(func(path string) error {
				mu.Lock()
				defer mu.Unlock()
				if filepath.Base(filepath.Dir(path)) == "deployers" && filepath.Base(last) == "zone.json" {
					if self, err := os.FindProcess(os.Getpid()); err == nil {
						_ = self.Kill() // SIGKILL, on Unix
					}
					select {} // the kill is on its way
				}
				last = path
				return nil
			})
		}
		switch full := os.Getenv(envFullDisk); full {
		case "all", "deployers":
			atomicfile.SetFault(func(path string) error {
				if full == "all" || filepath.Base(filepath.Dir(path)) == "deployers" {
					return syscall.ENOSPC
				}
				return nil
			})
		}
		if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "acme:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// service is a running acme process.
type service struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
}

// startService starts acme on dir, on a free loopback port, with env added
// to its environment, and waits for its listening message.
func startService(t *testing.T, dir string, env ...string) *service {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-dir", dir)
	cmd.Env = append(append(os.Environ(), envServe+"=1"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil {
		t.Fatalf("acme did not start: %v: %s", err, line)
	}
	_, rest, ok := strings.Cut(line, "http://")
	host, _, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		t.Fatalf("no address in %q", line)
	}
	go io.Copy(io.Discard, stderr) // keep the pipe drained
	return &service{cmd: cmd, base: "http://" + host}
}

// kill9 kills the service with SIGKILL and reaps it.
func (s *service) kill9() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// op is one operation of the load: a plan or a deployer action.
type op struct {
	path    string
	weights map[string]int // for /mbt/plan
}

func (o op) String() string {
	if o.weights != nil {
		return fmt.Sprintf("plan %v", o.weights)
	}
	return o.path
}

func randomOp(r *rand.Rand) op {
	if r.IntN(4) == 0 {
		w := map[string]int{}
		for _, ip := range controlplane.DefaultIPs {
			if r.IntN(2) == 0 {
				w[ip] = 1 + r.IntN(100)
			}
		}
		if len(w) == 0 {
			w[controlplane.DefaultIPs[0]] = 100
		}
		return op{path: "/mbt/plan", weights: w}
	}
	d := controlplane.DefaultDeployers[r.IntN(len(controlplane.DefaultDeployers))]
	action := []string{"sync", "deploy", "deploy", "cleanup"}[r.IntN(4)]
	return op{path: "/mbt/deployers/" + d + "/" + action}
}

// send performs o on the service; ok is false when no response came (the
// service was killed).
func (s *service) send(ctx context.Context, o op) (status int, ok bool) {
	var body io.Reader
	if o.weights != nil {
		data, _ := json.Marshal(map[string]any{"weights": o.weights})
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+o.path, body)
	if err != nil {
		return 0, false
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); err != nil {
		return 0, false
	}
	return resp.StatusCode, true
}

// apply performs o on the in-process shadow and returns the status the
// service answers for that outcome.
func apply(cp *controlplane.ControlPlane, o op) int {
	var err error
	switch {
	case o.weights != nil:
		_, err = cp.Plan(o.weights)
	case strings.HasSuffix(o.path, "/sync"):
		err = cp.Sync(context.Background(), deployerOf(o.path))
	case strings.HasSuffix(o.path, "/deploy"):
		_, err = cp.Deploy(context.Background(), deployerOf(o.path))
	default:
		_, err = cp.Cleanup(context.Background(), deployerOf(o.path))
	}
	if err != nil {
		return http.StatusConflict
	}
	return http.StatusOK
}

func deployerOf(path string) string { return strings.Split(path, "/")[3] }

// observe returns the service's /mbt/state, decoded as plain JSON.
func (s *service) observe(ctx context.Context, t *testing.T) any {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/mbt/state", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// shadowState returns the shadow's observation as plain JSON.
func shadowState(t *testing.T, cp *controlplane.ControlPlane) any {
	t.Helper()
	obs, err := cp.Observe()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(obs)
	var v any
	_ = json.Unmarshal(data, &v)
	return v
}

// tempFiles lists the temporary files of atomic writes under dir.
func tempFiles(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil {
			if _, ok := atomicfile.TempName(d.Name()); ok {
				out = append(out, path)
			}
		}
		return nil
	})
	return out
}

// The service is killed with SIGKILL at seeded points of a seeded load and
// restarted on the same directory. Every operation it answered is still
// there: its state is the state of an in-process control plane (the
// shadow) that performed the same operations. The operation in flight when
// it died, unanswered, may be lost, applied, or applied in part: each file
// the service writes (the zone, each plan, each deployer's state) holds
// its content from before or after that operation, never anything else.
// No temporary file remains after a restart.
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the service 24 times")
	}
	const (
		seed   = 20261129
		rounds = 50
		maxOps = 12
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	// As if an earlier run had been killed while writing plan 1.
	if err := os.MkdirAll(filepath.Join(dir, "plans"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plans", ".plan-000001.json.tmp-12345"), []byte(`{"id":`), 0o444); err != nil {
		t.Fatal(err)
	}
	shadow := openCopy(t, dir)
	outcomes := map[string]int{}
	for round := 0; round < rounds; round++ {
		// A third of the rounds (not the first, which fills the directory)
		// kill the service from inside between a deploy's zone write and
		// its state write: a kill from outside lands in that window too
		// rarely to count on.
		between := round > 0 && r.IntN(3) == 0
		var env []string
		if between {
			env = append(env, envKillBetween+"=1")
		}
		svc := startService(t, dir, env...)
		if left := tempFiles(dir); len(left) > 0 {
			t.Fatalf("round %d: temporary files left after restart: %v", round, left)
		}
		if got, want := svc.observe(ctx, t), shadowState(t, shadow); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: after restart the service's state is\n%v\nwant\n%v", round, got, want)
		} else if err := agree(got); err != nil {
			t.Fatalf("round %d: after restart: %v", round, err)
		}
		// Answered operations, then one in flight when SIGKILL lands after
		// a seeded delay (0 kills it before it is even read); or, for a
		// kill between a deploy's writes, a plan and a sync (so that the
		// deploy has something to deploy from the current lock) and the
		// deploy.
		var ops []op
		var inflight op
		if between {
			d := controlplane.DefaultDeployers[r.IntN(len(controlplane.DefaultDeployers))]
			ops = []op{{path: "/mbt/plan", weights: map[string]int{controlplane.DefaultIPs[0]: 1 + r.IntN(100)}}, {path: "/mbt/deployers/" + d + "/sync"}}
			inflight = op{path: "/mbt/deployers/" + d + "/deploy"}
		} else {
			for n := r.IntN(maxOps); len(ops) < n; {
				ops = append(ops, randomOp(r))
			}
			inflight = randomOp(r)
		}
		for _, o := range ops {
			status, ok := svc.send(ctx, o)
			if !ok {
				t.Fatalf("round %d: %v: no answer from a live service", round, o)
			}
			if want := apply(shadow, o); status != want {
				t.Fatalf("round %d: %v: status %d, the in-process control plane says %d", round, o, status, want)
			}
		}
		var status int
		if between {
			// The service kills itself, or refuses the deploy and lives.
			status, _ = svc.send(ctx, inflight)
			svc.kill9()
		} else {
			delay := time.Duration(r.IntN(4)) * 300 * time.Microsecond
			answered := make(chan int, 1)
			go func() {
				status, ok := svc.send(ctx, inflight)
				if !ok {
					status = 0
				}
				answered <- status
			}()
			time.Sleep(delay) // fault injection: where the kill lands, not synchronisation
			svc.kill9()
			status = <-answered
		}

		before := shadowState(t, shadow)
		want := apply(shadow, inflight)
		after := shadowState(t, shadow)
		svc2 := startService(t, dir)
		got := svc2.observe(ctx, t)
		svc2.kill9()
		if err := agree(got); err != nil {
			t.Fatalf("round %d: after kill -9 during %v and a restart: %v", round, inflight, err)
		}
		switch {
		case status != 0:
			outcomes["answered"]++
			if status != want || !reflect.DeepEqual(got, after) {
				t.Fatalf("round %d: %v was answered %d (the in-process control plane says %d) before kill -9, but the state is\n%v\nwant\n%v", round, inflight, status, want, got, after)
			}
		case reflect.DeepEqual(got, before):
			if between {
				t.Fatalf("round %d: the service died between the writes of %v, but the state is as before it:\n%v", round, inflight, got)
			}
			outcomes["lost"]++
		case reflect.DeepEqual(got, after) && between:
			outcomes["killed between a deploy's writes, reconciled"]++
		case reflect.DeepEqual(got, after):
			outcomes["applied"]++
		default:
			// Each file is before or after, but together they are neither:
			// a deploy's two writes must be reconciled at restart.
			err := eachFileBeforeOrAfter(got, before, after)
			t.Fatalf("round %d: after kill -9 during %v, the state is applied in part (%v):\n%v\nbefore\n%v\nafter\n%v", round, inflight, err, got, before, after)
		}
		if left := tempFiles(dir); len(left) > 0 {
			t.Fatalf("round %d: temporary files left after restart: %v", round, left)
		}
		shadow = openCopy(t, dir) // continue from what survived
	}
	t.Logf("%d rounds, the operation in flight at kill -9: %v", rounds, outcomes)
	if outcomes["killed between a deploy's writes, reconciled"] == 0 {
		t.Errorf("no round killed a deploy between its zone and state writes: the reconciliation went untested")
	}
}

// agree checks that an observation's zone and deployer states agree: the
// deployer owning the zone's lock (the last to deploy) has observed that
// lock, the root and rollback its deploy set, and its next plan follows
// the root. A deploy's zone write without its state write breaks this.
func agree(obs any) error {
	o, _ := obs.(map[string]any)
	zone, _ := o["zone"].(map[string]any)
	deployers, _ := o["deployers"].(map[string]any)
	if zone == nil || deployers == nil {
		return fmt.Errorf("no zone or deployers in %v", obs)
	}
	lock, _ := zone["lock"].(map[string]any)
	owner, _ := lock["owner"].(string)
	if owner == "none" {
		return nil
	}
	d, ok := deployers[owner].(map[string]any)
	if !ok {
		return fmt.Errorf("the zone's lock %v belongs to no deployer", lock)
	}
	root, _ := zone["root"].(float64)
	next, _ := d["next"].(float64)
	if !reflect.DeepEqual(d["lock"], zone["lock"]) || d["root"] != zone["root"] || d["rollback"] != zone["rollback"] || next != root+1 {
		return fmt.Errorf("the zone (lock %v, root %v, rollback %v) and %s's state %v disagree", lock, zone["root"], zone["rollback"], owner, d)
	}
	return nil
}

// eachFileBeforeOrAfter checks an observation against the observations
// before and after an operation, file by file: the zone and each
// deployer's state equal one of the two, and the plans are those of
// before or after, with those of both kept.
func eachFileBeforeOrAfter(got, before, after any) error {
	g, b, a := got.(map[string]any), before.(map[string]any), after.(map[string]any)
	if !reflect.DeepEqual(g["zone"], b["zone"]) && !reflect.DeepEqual(g["zone"], a["zone"]) {
		return fmt.Errorf("the zone is neither as before nor as after: %v", g["zone"])
	}
	gd, bd, ad := g["deployers"].(map[string]any), b["deployers"].(map[string]any), a["deployers"].(map[string]any)
	for name := range bd {
		if !reflect.DeepEqual(gd[name], bd[name]) && !reflect.DeepEqual(gd[name], ad[name]) {
			return fmt.Errorf("deployer %s's state is neither as before nor as after: %v", name, gd[name])
		}
	}
	set := func(v any) map[string]bool {
		out := map[string]bool{}
		list, _ := v.([]any)
		for _, p := range list {
			data, _ := json.Marshal(p)
			out[string(data)] = true
		}
		return out
	}
	gp, bp, ap := set(g["plans"]), set(b["plans"]), set(a["plans"])
	for p := range gp {
		if !bp[p] && !ap[p] {
			return fmt.Errorf("plan %s was never written", p)
		}
	}
	for p := range bp {
		if ap[p] && !gp[p] {
			return fmt.Errorf("plan %s, acknowledged, is lost", p)
		}
	}
	return nil
}

// openCopy opens an in-process control plane on a copy of dir.
func openCopy(t *testing.T, dir string) *controlplane.ControlPlane {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := controlplane.Open(controlplane.Config{Dir: dst})
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// The crash test's helpers find what they look for, and only that.
func TestCrashTestHelpers(t *testing.T) {
	obs := func(zone, dep string, plans ...string) any {
		ps := []any{}
		for _, p := range plans {
			ps = append(ps, map[string]any{"id": p})
		}
		return map[string]any{"zone": zone, "deployers": map[string]any{"a": dep}, "plans": ps}
	}
	before, after := obs("z1", "d1", "1", "2"), obs("z2", "d2", "2", "3")
	for _, tc := range []struct {
		got any
		ok  bool
	}{
		{before, true}, {after, true}, {obs("z2", "d1", "2"), true}, {obs("z1", "d2", "2", "3"), true},
		{obs("z3", "d1", "2"), false}, {obs("z1", "d3", "2"), false}, {obs("z1", "d1", "1"), false}, {obs("z1", "d1", "2", "4"), false},
	} {
		if err := eachFileBeforeOrAfter(tc.got, before, after); (err == nil) != tc.ok {
			t.Errorf("eachFileBeforeOrAfter(%v) = %v, want ok=%v", tc.got, err, tc.ok)
		}
	}
	dir := t.TempDir()
	if got := tempFiles(dir); len(got) != 0 {
		t.Errorf("tempFiles of an empty directory = %v", got)
	}
	for _, name := range []string{".zone.json.tmp-7", "zone.json", ".zone.json.tmp-x"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := tempFiles(dir); len(got) != 1 || filepath.Base(got[0]) != ".zone.json.tmp-7" {
		t.Errorf("tempFiles = %v, want the one temporary file", got)
	}
	zone := func(owner string, epoch, root, rollback int) map[string]any {
		return map[string]any{"lock": map[string]any{"owner": owner, "epoch": float64(epoch)}, "root": float64(root), "rollback": float64(rollback)}
	}
	state := func(owner string, epoch, next, root, rollback int) map[string]any {
		return map[string]any{"lock": map[string]any{"owner": owner, "epoch": float64(epoch)}, "next": float64(next), "root": float64(root), "rollback": float64(rollback)}
	}
	for _, tc := range []struct {
		name string
		obs  any
		ok   bool
	}{
		{"fresh", map[string]any{"zone": zone("none", 0, 0, 0), "deployers": map[string]any{"a": state("none", 0, 1, 0, 0)}}, true},
		{"deployed", map[string]any{"zone": zone("a", 1, 1, 0), "deployers": map[string]any{"a": state("a", 1, 2, 1, 0), "b": state("none", 0, 1, 0, 0)}}, true},
		{"state behind", map[string]any{"zone": zone("a", 1, 1, 0), "deployers": map[string]any{"a": state("none", 0, 1, 0, 0)}}, false},
		{"next behind", map[string]any{"zone": zone("a", 1, 1, 0), "deployers": map[string]any{"a": state("a", 1, 1, 1, 0)}}, false},
		{"unknown owner", map[string]any{"zone": zone("x", 1, 1, 0), "deployers": map[string]any{"a": state("a", 1, 2, 1, 0)}}, false},
		{"not an observation", "zone", false},
	} {
		if err := agree(tc.obs); (err == nil) != tc.ok {
			t.Errorf("agree(%s) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	if out, err := failsToStart(t.TempDir()); err == nil || !strings.Contains(err.Error(), "acme started serving") {
		t.Errorf("failsToStart of an acme that starts: %v\n%s", err, out)
	}
	r := rand.New(rand.NewPCG(1, 0))
	shadow, err := controlplane.Open(controlplane.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[int]bool{}
	for range 200 {
		o := randomOp(r)
		if o.weights == nil && !slices.Contains(controlplane.DefaultDeployers, deployerOf(o.path)) {
			t.Fatalf("%v names no deployer", o)
		}
		statuses[apply(shadow, o)] = true
	}
	if !statuses[http.StatusOK] || !statuses[http.StatusConflict] {
		t.Errorf("200 random operations gave statuses %v, want both successes and refusals", statuses)
	}
}

// health returns the status code and body of the service's /healthz.
func (s *service) health(ctx context.Context, t *testing.T) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// failsToStart runs acme on dir with env and returns what it printed, once
// it has exited with an error; an acme that serves is killed at once and
// is an error.
func failsToStart(dir string, env ...string) (string, error) {
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-dir", dir)
	cmd.Env = append(append(os.Environ(), envServe+"=1"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	var out strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "control plane on http://") {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return out.String(), fmt.Errorf("acme started serving: %s", out.String())
		}
	}
	if err := cmd.Wait(); err == nil {
		return out.String(), fmt.Errorf("acme exited cleanly: %s", out.String())
	}
	return out.String(), nil
}

// With the disk full, every operation that must write answers 500 and
// changes nothing the service shows, in memory as on disk. A deploy whose
// zone write landed before its state write failed makes /healthz say so,
// and later operations fail rather than act on a zone and a deployer that
// disagree; a restart on a disk still full refuses to start, and one with
// room reconciles the deploy. After every restart the zone and the
// deployers agree, and nothing acknowledged is lost.
func TestFullDiskLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service five times")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	startService(t, dir).kill9() // the initial zone and states
	shadow := openCopy(t, dir)
	expect := func(svc *service, o op, status int) {
		t.Helper()
		if got, ok := svc.send(ctx, o); !ok || got != status {
			t.Fatalf("%v: status %d, want %d", o, got, status)
		}
	}
	plan := op{path: "/mbt/plan", weights: map[string]int{controlplane.DefaultIPs[0]: 100}}
	syncA := op{path: "/mbt/deployers/deployer-a/sync"}
	deployA := op{path: "/mbt/deployers/deployer-a/deploy"}
	syncB := op{path: "/mbt/deployers/deployer-b/sync"}

	// Nothing can be written: nothing changes.
	svc := startService(t, dir, envFullDisk+"=all")
	initial := svc.observe(ctx, t)
	expect(svc, plan, http.StatusInternalServerError)
	expect(svc, syncA, http.StatusInternalServerError)
	if got := svc.observe(ctx, t); !reflect.DeepEqual(got, initial) || !reflect.DeepEqual(got, shadowState(t, shadow)) {
		t.Fatalf("after failed writes the state is\n%v\nwant\n%v", got, initial)
	}
	svc.kill9()

	// The deployers' states cannot be written, the zone and plans can.
	svc = startService(t, dir, envFullDisk+"=deployers")
	expect(svc, plan, http.StatusOK)
	apply(shadow, plan)
	expect(svc, syncA, http.StatusInternalServerError)
	if got, want := svc.observe(ctx, t), shadowState(t, shadow); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a failed sync the state is\n%v\nwant\n%v", got, want)
	}
	expect(svc, deployA, http.StatusInternalServerError)
	behind := svc.observe(ctx, t)
	if agree(behind) == nil {
		t.Fatalf("the deploy's zone write did not land, or its state did: %v", behind)
	}
	if code, body := svc.health(ctx, t); code != http.StatusServiceUnavailable || !strings.Contains(body, "deployer-a lags behind its deploy") {
		t.Errorf("/healthz with deployer-a behind the zone: %d %s", code, body)
	}
	expect(svc, syncB, http.StatusInternalServerError) // reconciling deployer-a fails first
	if got := svc.observe(ctx, t); !reflect.DeepEqual(got, behind) {
		t.Fatalf("an operation changed a zone and states that disagree:\n%v\nwas\n%v", got, behind)
	}
	svc.kill9()

	// A restart on a full disk cannot reconcile, so it does not serve.
	if out, err := failsToStart(dir, envFullDisk+"=all"); err != nil || !strings.Contains(out, "reconcile") || !strings.Contains(out, "no space left on device") {
		t.Errorf("acme on a full disk with a deploy to reconcile: %v\n%s", err, out)
	}

	// With room, the restart rolls the deploy forward: it is not lost,
	// though it was never acknowledged.
	svc = startService(t, dir)
	apply(shadow, deployA)
	got := svc.observe(ctx, t)
	if err := agree(got); err != nil {
		t.Fatal(err)
	}
	if want := shadowState(t, shadow); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the restart the state is\n%v\nwant\n%v", got, want)
	}
	if code, body := svc.health(ctx, t); code != http.StatusOK {
		t.Errorf("/healthz after the restart: %d %s", code, body)
	}
	expect(svc, syncB, http.StatusOK)
	svc.kill9()
}
