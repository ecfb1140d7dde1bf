package replication_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/execspec/execspec/mbt"

	"github.com/execspec/execspec/cli/scaffold/replication"
)

// cluster stands in for the implementation under test: a primary with
// semi-synchronous replicas and an orchestrator, in process. Replace it
// with your database (or a harness around its nodes).
type cluster struct {
	mu      sync.Mutex
	nodes   []string
	logs    map[string][]int
	down    map[string]bool
	primary string
	acked   []int
	waiting int // the commit waiting for a replica (0: none)
	waited  int
	lastTxn int
}

var errDown = errors.New("the primary is down")

func newCluster(nodes []string) *cluster {
	c := &cluster{nodes: nodes, logs: map[string][]int{}, down: map[string]bool{}, primary: nodes[0]}
	for _, n := range nodes {
		c.logs[n] = nil
	}
	return c
}

// Commit starts a transaction at the primary; it is acknowledged once a
// replica has it, never before.
func (c *cluster) Commit() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.down[c.primary]:
		return errDown
	case c.waiting != 0:
		return errors.New("a commit is in progress")
	}
	c.lastTxn++
	c.logs[c.primary] = append(c.logs[c.primary], c.lastTxn)
	c.waiting, c.waited = c.lastTxn, 0
	return nil
}

// Pull copies the primary's next log entry to a replica.
func (c *cluster) Pull(replica string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	log, primary := c.logs[replica], c.logs[c.primary]
	switch {
	case replica == c.primary || c.down[replica]:
		return fmt.Errorf("%s is not a live replica", replica)
	case c.down[c.primary]:
		return errDown
	case len(log) >= len(primary):
		return fmt.Errorf("%s is up to date", replica)
	}
	txn := primary[len(log)]
	c.logs[replica] = append(log, txn)
	if txn == c.waiting {
		c.acked = append(c.acked, txn)
		c.waiting, c.waited = 0, 0
	}
	return nil
}

// Tick advances the waiting commit's timer. A semi-synchronous primary
// that never falls back ignores the timeout.
func (c *cluster) Tick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waited++
}

// Crash kills the primary.
func (c *cluster) Crash() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down[c.primary] = true
}

// Failover promotes candidate, which must be a live replica with the
// longest log.
func (c *cluster) Failover(candidate string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.down[c.primary] {
		return errors.New("the primary is alive")
	}
	for _, n := range c.nodes {
		if !c.down[n] && len(c.logs[n]) > len(c.logs[candidate]) {
			return fmt.Errorf("%s is behind %s", candidate, n)
		}
	}
	if c.down[candidate] {
		return fmt.Errorf("%s is down", candidate)
	}
	c.primary = candidate
	c.waiting, c.waited = 0, 0 // the waiting client gets an error
	return nil
}

// driver maps the model's actions onto the implementation's calls.
type driver struct {
	p replication.Params
	c *cluster
}

func (d *driver) Reset(ctx context.Context, init mbt.Step) error {
	d.c = newCluster(d.p.Nodes)
	return nil
}

func (d *driver) Step(ctx context.Context, step mbt.Step) error {
	switch step.Action {
	case "commit":
		if d.c.lastTxn >= d.p.MaxTxns {
			return mbt.Refusef("the clients have made their %d commits", d.p.MaxTxns)
		}
		if err := d.c.Commit(); err != nil {
			return mbt.Refusef("%v", err)
		}
	case "replicate", "failover":
		r, err := mbt.Pick[string](step, "replica")
		if err != nil {
			return err
		}
		if step.Action == "replicate" {
			err = d.c.Pull(r)
		} else {
			err = d.c.Failover(r)
		}
		if err != nil {
			return mbt.Refusef("%v", err)
		}
	case "tick":
		d.c.Tick()
	case "crash":
		d.c.Crash()
	default:
		return fmt.Errorf("unknown action %q", step.Action)
	}
	return nil
}

// Observe reads the implementation's state, for comparison with the
// model's after every step.
func (d *driver) Observe(ctx context.Context) (replication.State, error) {
	c := d.c
	c.mu.Lock()
	defer c.mu.Unlock()
	s := replication.State{Primary: c.primary, Logs: map[string][]int{}, Waiting: c.waiting, Waited: c.waited, LastTxn: c.lastTxn}
	for _, n := range c.nodes {
		s.Logs[n] = append([]int{}, c.logs[n]...)
		if c.down[n] {
			s.Down = s.Down.With(n)
		}
	}
	for _, txn := range c.acked {
		s.Acked = s.Acked.With(txn)
	}
	return s, nil
}

// TestConformance drives the implementation with traces drawn from the
// fixed model and compares the two after every step; a divergence is
// shrunk, saved under testdata/execspec and replayed first by the next
// go test.
func TestConformance(t *testing.T) {
	p := replication.Small(true)
	p.MaxTxns = 5
	mbt.Run(t, replication.New(p), func(testing.TB) mbt.Driver[replication.State] { return &driver{p: p} }, mbt.Options{Seed: 1})
}
