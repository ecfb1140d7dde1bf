// Package raftvote models Raft leader election (Ongaro and Ousterhout, "In
// Search of an Understandable Consensus Algorithm", 2014) with a server
// that forgets its vote when it restarts.
//
// The system: servers start as followers. A follower or candidate that
// hears nothing from a leader for Timeout clock ticks times out, moves to
// the next term, votes for itself and asks the others for their votes
// (RequestVote). A server grants at most one vote per term, to the first
// candidate that asks; a candidate with votes from a majority becomes
// leader of its term and sends heartbeats (AppendEntries), which make the
// others followers of its term and reset their election timers. Servers
// crash and restart; the current term is kept on disk.
//
// The bug: the vote (Raft's votedFor) is kept in memory only. A server that
// voted for one candidate, crashed and restarted in the same term votes
// again, for another candidate: two leaders in one term, which breaks
// Raft's Election Safety property.
//
// The fix (the *_fixed instances): votedFor is written to disk before the
// vote is granted, as Figure 2 of the paper requires, and survives the
// restart.
//
// Why it is deep: the second candidate must time out in the same term as
// the first, so it must tick Timeout times without hearing the first
// candidate's vote request or the new leader's heartbeats, which are the
// most common events in a running cluster, and a crash, a rare event, must
// fall in between. With a realistic timeout on five servers, uniform random
// choice almost never keeps the heartbeats away that long.
//
// Instances (servers _ election timeout in ticks): n3_t1 (shortest
// violation: 10 steps) and n5_t10 (30 steps), each with a _fixed twin.
package raftvote

import (
	"github.com/execspec/execspec"
)

// The roles of a server.
const (
	Follower  = "follower"
	Candidate = "candidate"
	Leader    = "leader"
)

// Server is one server's state.
type Server struct {
	Term     int                  `itf:"term"` // kept on disk
	Role     string               `itf:"role"`
	VotedFor string               `itf:"votedFor"` // "" when it has not voted in Term
	Votes    execspec.Set[string] `itf:"votes"`    // votes granted to it, as a candidate
	Elapsed  int                  `itf:"elapsed"`  // ticks since it last heard from a leader or candidate
	Down     bool                 `itf:"down"`
}

// State is the model state.
type State struct {
	Servers map[string]Server `itf:"servers"`
	// Elected records, per term, the servers that became its leader.
	Elected map[int]execspec.Set[string] `itf:"elected"`
}

// Params are an instance's constants.
type Params struct {
	Servers []string
	Timeout int  // election timeout, in ticks
	MaxTerm int  // terms stop here (bounds the state space)
	Fixed   bool // persist votedFor across restarts
}

// Instance returns the parameters with the given number of servers and
// election timeout.
func Instance(servers, timeout int, fixed bool) Params {
	names := []string{"s1", "s2", "s3", "s4", "s5"}[:servers]
	return Params{Servers: names, Timeout: timeout, MaxTerm: 2, Fixed: fixed}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("raftvote").Doc("Raft leader election with a vote not persisted across a restart: two leaders in one term.")
	for _, in := range []struct {
		name             string
		servers, timeout int
	}{{"n3_t1", 3, 1}, {"n5_t10", 5, 10}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.servers, in.timeout, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.servers, in.timeout, true)) })
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("raftvote")
	majority := len(p.Servers)/2 + 1
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Servers = make(map[string]Server, len(p.Servers))
		for _, n := range p.Servers {
			c.S.Servers[n] = Server{Role: Follower}
		}
		c.S.Elected = map[int]execspec.Set[string]{}
	})

	// tick: a server's election timer advances.
	m.Action("tick", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(!sv.Down && sv.Role != Leader && sv.Elapsed < p.Timeout) {
			return
		}
		sv.Elapsed++
		s.Servers[n] = sv
	})

	// timeout: a server whose timer expired starts an election in the next
	// term and votes for itself.
	m.Action("timeout", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(!sv.Down && sv.Role != Leader && sv.Elapsed >= p.Timeout && sv.Term < p.MaxTerm) {
			return
		}
		s.Servers[n] = Server{Term: sv.Term + 1, Role: Candidate, VotedFor: n, Votes: execspec.SetOf(n)}
	})

	// request_vote: a candidate asks a server for its vote and gets the
	// answer. A server in an older term moves to the candidate's term first;
	// it grants the vote if it has not voted for another in that term.
	m.Action("request_vote", func(c *execspec.Ctx[State]) {
		s := c.S
		cand := execspec.OneOf(c, "candidate", p.Servers)
		voter := execspec.OneOf(c, "voter", p.Servers)
		cs, vs := s.Servers[cand], s.Servers[voter]
		if !c.Assume(cand != voter && !cs.Down && cs.Role == Candidate && !vs.Down && !cs.Votes.Has(voter) && vs.Term <= cs.Term) {
			return
		}
		changed := false
		if vs.Term < cs.Term {
			vs = Server{Term: cs.Term, Role: Follower, Elapsed: vs.Elapsed}
			changed = true
		}
		if vs.VotedFor == "" {
			vs.VotedFor, vs.Elapsed = cand, 0
			cs.Votes = cs.Votes.With(voter)
			changed = true
		}
		if !c.Assume(changed) {
			return
		}
		s.Servers[cand], s.Servers[voter] = cs, vs
	})

	// become_leader: a candidate with votes from a majority leads its term.
	m.Action("become_leader", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(!sv.Down && sv.Role == Candidate && sv.Votes.Len() >= majority) {
			return
		}
		sv.Role, sv.Votes = Leader, execspec.Set[string]{}
		s.Servers[n] = sv
		s.Elected[sv.Term] = s.Elected[sv.Term].With(n)
	})

	// heartbeat: a leader's heartbeat reaches a server. A server in the
	// leader's term or an older one follows the leader and resets its timer;
	// a leader whose term is older steps down.
	m.Action("heartbeat", func(c *execspec.Ctx[State]) {
		s := c.S
		l := execspec.OneOf(c, "leader", p.Servers)
		f := execspec.OneOf(c, "server", p.Servers)
		ls, fs := s.Servers[l], s.Servers[f]
		if !c.Assume(l != f && !ls.Down && ls.Role == Leader && !fs.Down) {
			return
		}
		if fs.Term > ls.Term {
			s.Servers[l] = Server{Term: fs.Term, Role: Follower}
			return
		}
		if fs.Term < ls.Term {
			fs.VotedFor = ""
		}
		fs.Term, fs.Role, fs.Votes, fs.Elapsed = ls.Term, Follower, execspec.Set[string]{}, 0
		s.Servers[f] = fs
	})

	// crash: a server stops.
	m.Action("crash", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(!sv.Down) {
			return
		}
		sv.Down = true
		s.Servers[n] = sv
	})
	// Servers crash far less often than anything else happens.
	m.Weight("crash", 0.1)

	// restart: a crashed server starts again as a follower, with its term
	// from disk and, with the fix, its vote.
	m.Action("restart", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(sv.Down) {
			return
		}
		vote := ""
		if p.Fixed {
			vote = sv.VotedFor
		}
		s.Servers[n] = Server{Term: sv.Term, Role: Follower, VotedFor: vote}
	})

	// The servers are interchangeable: renaming them maps behaviours to
	// behaviours and keeps every property's value, so the checker may keep
	// one state per renaming (see execspec.Model.Symmetry).
	m.Symmetry("servers", len(p.Servers), func(s *State, perm []int) {
		rename := make(map[string]string, len(p.Servers))
		for i, n := range p.Servers {
			rename[n] = p.Servers[perm[i]]
		}
		renameSet := func(xs execspec.Set[string]) execspec.Set[string] {
			return execspec.MapSet(xs, func(n string) string { return rename[n] })
		}
		servers := make(map[string]Server, len(s.Servers))
		for n, sv := range s.Servers {
			if sv.VotedFor != "" {
				sv.VotedFor = rename[sv.VotedFor]
			}
			sv.Votes = renameSet(sv.Votes)
			servers[rename[n]] = sv
		}
		s.Servers = servers
		for t, ls := range s.Elected {
			s.Elected[t] = renameSet(ls)
		}
	})

	m.Invariant("election_safety", func(s *State) bool {
		for _, ls := range s.Elected {
			if ls.Len() > 1 {
				return false
			}
		}
		return true
	})
	m.Example("leader_elected", func(s *State) bool { return len(s.Elected) > 0 })
	return m
}
