package election_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/mbt"

	"github.com/execspec/execspec/cli/scaffold/election"
)

// node stands in for the implementation under test: one server's
// election logic, with its durable state kept apart from its memory so
// that a crash loses exactly the memory. Replace it with your protocol's
// nodes, called in process (a deterministic core with no I/O of its own,
// as etcd's raft.RawNode, is the easiest to drive).
type node struct {
	id    string
	disk  durable // survives a crash
	role  string
	votes map[string]bool
	down  bool
}

// durable is what a node writes to disk before it acts on it.
type durable struct {
	term     int
	votedFor string
}

var errDown = errors.New("the node is down")

// Timeout starts an election in the next term.
func (n *node) Timeout() error {
	if n.down || n.role == election.Leader {
		return fmt.Errorf("%s cannot start an election (down or leading)", n.id)
	}
	n.disk = durable{term: n.disk.term + 1, votedFor: n.id}
	n.role, n.votes = election.Candidate, map[string]bool{n.id: true}
	return nil
}

// RequestVote handles a candidate's vote request and says whether the
// vote is granted; the vote is on disk before it is granted.
func (n *node) RequestVote(term int, candidate string) (bool, error) {
	if n.down {
		return false, errDown
	}
	if term < n.disk.term {
		return false, nil
	}
	if term > n.disk.term {
		n.disk = durable{term: term}
		n.role, n.votes = election.Follower, nil
	}
	if n.disk.votedFor != "" && n.disk.votedFor != candidate {
		return false, nil
	}
	n.disk.votedFor = candidate
	return true, nil
}

// Heartbeat handles a leader's heartbeat of the given term.
func (n *node) Heartbeat(term int) error {
	if n.down {
		return errDown
	}
	if term < n.disk.term {
		return fmt.Errorf("%s is in a later term", n.id)
	}
	if term > n.disk.term {
		n.disk = durable{term: term}
	}
	n.role, n.votes = election.Follower, nil
	return nil
}

// Crash loses the node's memory; Restart brings it back from its disk.
func (n *node) Crash() { n.down, n.role, n.votes = true, "", nil }

// Restart brings a crashed node back as a follower.
func (n *node) Restart() { n.down, n.role = false, election.Follower }

// driver maps the model's actions onto the nodes' calls, and delivers the
// messages between them. It records who was elected in which term, as a
// test harness watching the cluster would.
type driver struct {
	p       election.Params
	nodes   map[string]*node
	elected map[int]execspec.Set[string]
	crashes int
}

func (d *driver) Reset(ctx context.Context, init mbt.Step) error {
	d.nodes = map[string]*node{}
	for _, id := range d.p.Servers {
		d.nodes[id] = &node{id: id, role: election.Follower}
	}
	d.elected, d.crashes = map[int]execspec.Set[string]{}, 0
	return nil
}

func (d *driver) node(step mbt.Step, label string) (*node, error) {
	id, err := mbt.Pick[string](step, label)
	if err != nil {
		return nil, err
	}
	if n := d.nodes[id]; n != nil {
		return n, nil
	}
	return nil, fmt.Errorf("unknown server %q", id)
}

func (d *driver) Step(ctx context.Context, step mbt.Step) error {
	switch step.Action {
	case "timeout", "become_leader", "crash", "restart":
		n, err := d.node(step, "server")
		if err != nil {
			return err
		}
		switch step.Action {
		case "timeout":
			if n.disk.term >= d.p.MaxTerm {
				return mbt.Refusef("the model stops at term %d", d.p.MaxTerm)
			}
			if err := n.Timeout(); err != nil {
				return mbt.Refusef("%v", err)
			}
		case "become_leader":
			if n.down || n.role != election.Candidate || len(n.votes) < len(d.nodes)/2+1 {
				return mbt.Refusef("%s has no majority", n.id)
			}
			n.role = election.Leader
			d.elected[n.disk.term] = d.elected[n.disk.term].With(n.id)
		case "crash":
			n.Crash()
			d.crashes++
		case "restart":
			n.Restart()
		}
	case "vote":
		cand, err := d.node(step, "candidate")
		if err != nil {
			return err
		}
		voter, err := d.node(step, "voter")
		if err != nil {
			return err
		}
		if cand == voter || cand.down || cand.role != election.Candidate {
			return mbt.Refusef("%s is not a live candidate asking another server", cand.id)
		}
		granted, err := voter.RequestVote(cand.disk.term, cand.id)
		if err != nil || !granted {
			return mbt.Refusef("%s does not vote for %s (%v)", voter.id, cand.id, err)
		}
		cand.votes[voter.id] = true
	case "heartbeat":
		leader, err := d.node(step, "leader")
		if err != nil {
			return err
		}
		f, err := d.node(step, "follower")
		if err != nil {
			return err
		}
		if leader == f || leader.down || leader.role != election.Leader {
			return mbt.Refusef("%s is not a live leader sending to another server", leader.id)
		}
		if err := f.Heartbeat(leader.disk.term); err != nil {
			return mbt.Refusef("%v", err)
		}
	default:
		return fmt.Errorf("unknown action %q", step.Action)
	}
	return nil
}

// Observe reads the nodes' state, for comparison with the model's after
// every step.
func (d *driver) Observe(ctx context.Context) (election.State, error) {
	s := election.State{Servers: map[string]election.Server{}, Elected: map[int]execspec.Set[string]{}, Crashes: d.crashes}
	for id, n := range d.nodes {
		sv := election.Server{Term: n.disk.term, VotedFor: n.disk.votedFor, Role: n.role, Down: n.down}
		for v := range n.votes {
			sv.Votes = sv.Votes.With(v)
		}
		s.Servers[id] = sv
	}
	for term, leaders := range d.elected {
		s.Elected[term] = leaders
	}
	return s, nil
}

// TestConformance drives the nodes with traces drawn from the fixed model
// and compares the two after every step; a divergence is shrunk, saved
// under testdata/execspec and replayed first by the next go test.
func TestConformance(t *testing.T) {
	p := election.Small(true)
	p.MaxTerm, p.MaxCrashes = 4, 3
	mbt.Run(t, election.New(p), func(testing.TB) mbt.Driver[election.State] { return &driver{p: p} }, mbt.Options{Seed: 1})
}
