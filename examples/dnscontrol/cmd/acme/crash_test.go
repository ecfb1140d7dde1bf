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
	"strings"
	"testing"
	"time"

	"github.com/execspec/execspec/examples/dnscontrol/controlplane"
	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
)

// envServe makes the test binary run as the acme service (see TestMain),
// so that the crash test can kill -9 a real process without building one.
const envServe = "ACME_TEST_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(envServe) == "1" {
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

// startService starts acme on dir, on a free loopback port, and waits for
// its listening message.
func startService(t *testing.T, dir string) *service {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-addr", "127.0.0.1:0", "-dir", dir)
	cmd.Env = append(os.Environ(), envServe+"=1")
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
		err = cp.Sync(deployerOf(o.path))
	case strings.HasSuffix(o.path, "/deploy"):
		_, err = cp.Deploy(deployerOf(o.path))
	default:
		_, err = cp.Cleanup(deployerOf(o.path))
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
// restarted on the same directory: every operation it acknowledged is
// still there (its state is the state of an in-process control plane that
// performed the acknowledged operations, plus possibly the one in flight
// when it died), and no temporary file remains.
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the service 12 times")
	}
	const (
		seed   = 20261129
		rounds = 12
		maxOps = 12
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	r := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	shadow, err := controlplane.Open(controlplane.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	// As if an earlier run had been killed while writing plan 1.
	if err := os.MkdirAll(filepath.Join(dir, "plans"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plans", ".plan-000001.json.tmp-12345"), []byte(`{"id":`), 0o444); err != nil {
		t.Fatal(err)
	}
	var lost, kept int
	for round := 0; round < rounds; round++ {
		svc := startService(t, dir)
		if left := tempFiles(dir); len(left) > 0 {
			t.Fatalf("round %d: temporary files left after restart: %v", round, left)
		}
		if got, want := svc.observe(ctx, t), shadowState(t, shadow); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: after restart the service's state is\n%v\nwant (acknowledged operations)\n%v", round, got, want)
		}
		// Acknowledged operations, then one killed in flight after a
		// seeded delay (0 kills it before it is even read).
		n := r.IntN(maxOps)
		for i := 0; i < n; i++ {
			o := randomOp(r)
			status, ok := svc.send(ctx, o)
			if !ok {
				t.Fatalf("round %d: %v: no answer from a live service", round, o)
			}
			if want := apply(shadow, o); status != want {
				t.Fatalf("round %d: %v: status %d, the in-process control plane says %d", round, o, status, want)
			}
		}
		inflight := randomOp(r)
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
		status := <-answered
		// The in-flight operation may be lost, unless it was answered.
		svc2 := startService(t, dir)
		got := svc2.observe(ctx, t)
		switch before := shadowState(t, shadow); {
		case status == 0 && reflect.DeepEqual(got, before):
			lost++ // lost before it was acknowledged: allowed
		default:
			kept++
			if want := apply(shadow, inflight); status != 0 && status != want {
				t.Fatalf("round %d: in-flight %v answered %d, the in-process control plane says %d", round, inflight, status, want)
			}
			if after := shadowState(t, shadow); !reflect.DeepEqual(got, after) {
				t.Fatalf("round %d: after kill -9 during %v (answered %d), the state is\n%v\nwant\n%v", round, inflight, status, got, after)
			}
		}
		if left := tempFiles(dir); len(left) > 0 {
			t.Fatalf("round %d: temporary files left after restart: %v", round, left)
		}
		svc2.kill9()
	}
	t.Logf("%d rounds: the in-flight operation was lost %d times, kept or refused %d times", rounds, lost, kept)
}
