// Package raftvote models Raft leader election (Ongaro and Ousterhout, "In
// Search of an Understandable Consensus Algorithm", 2014) with a server
// that forgets its vote when it restarts.
//
// The system: servers start as followers, and a clock ticks for all of
// them. A follower or candidate that hears nothing from a leader for its
// election timeout (Timeout ticks for the first server, one more for each
// next one: Raft randomizes timeouts, the model staggers them) moves to the next term, votes
// for itself and asks the others for their votes (RequestVote). A server
// grants at most one vote per term, to the first candidate that asks; a
// candidate with votes from a majority becomes leader of its term and sends
// heartbeats (AppendEntries) to every server, which makes them followers of
// its term and resets their election timers. A server crashes, stays down
// for Downtime ticks (the restart takes that long), and restarts with its
// current term from disk.
//
// The bug: the vote (Raft's votedFor) is kept in memory only. A server that
// voted for one candidate, crashed and restarted in the same term votes
// again, for another candidate of that term: two leaders in one term, which
// breaks Raft's Election Safety property.
//
// The fix (the *_fixed instances): votedFor is written to disk before the
// vote is granted, as Figure 2 of the paper requires, and survives the
// restart.
//
// Why it is deep: the second candidate must time out in the first one's
// term, so the first candidate's vote request must not reach it before;
// then its candidacy must survive while a server that voted for the first
// crashes, stays down for Downtime ticks and restarts, and one heartbeat
// from the first candidate, once it leads, ends it. Vote requests and
// heartbeats are the most common events of an election and a crash is
// rare: with a realistic restart time, uniform random choice seldom keeps
// them away that long.
//
// Instances (servers _ election timeout _ downtime, in ticks; one crash):
// n3_t2_d1, with terms up to 1 (shortest violation: 11 steps), and
// n5_t12_d10, with terms up to 2 (32 steps: too many states for BFS to
// confirm, but no trace can do with less than 22 ticks, two timeouts, four
// votes, a crash, a restart and two elections), each with a _fixed twin.
//
// Find the bug on the realistic instance with
//
//	execspec run ./examples/raftvote --instance n5_t12_d10 --property election_safety --strategy swarm
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
	DownFor  int                  `itf:"downFor"` // ticks it has been down
}

// State is the model state.
type State struct {
	Servers map[string]Server `itf:"servers"`
	// Elected records, per term, the servers that became its leader.
	Elected map[int]execspec.Set[string] `itf:"elected"`
	// Crashes counts the crashes so far.
	Crashes int `itf:"crashes"`
}

// Params are an instance's constants.
type Params struct {
	Servers  []string
	Timeout  int // the first server's election timeout, in ticks; each next server's is one more
	Downtime int // ticks a crashed server stays down
	MaxTerm  int // terms stop here (bounds the state space)
	// MaxCrashes bounds the crashes in a behaviour (bounds the state
	// space; the bug needs one).
	MaxCrashes int
	Fixed      bool // persist votedFor across restarts
}

// Instance returns the parameters with the given number of servers,
// election timeout, downtime and last term, and one crash.
func Instance(servers, timeout, downtime, maxTerm int, fixed bool) Params {
	names := []string{"s1", "s2", "s3", "s4", "s5"}[:servers]
	return Params{Servers: names, Timeout: timeout, Downtime: downtime, MaxTerm: maxTerm, MaxCrashes: 1, Fixed: fixed}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("raftvote").Doc("Raft leader election with a vote not persisted across a restart: two leaders in one term.")
	for _, in := range []struct {
		name                                string
		servers, timeout, downtime, maxTerm int
	}{{"n3_t2_d1", 3, 2, 1, 1}, {"n5_t12_d10", 5, 12, 10, 2}} {
		s.Instance(in.name, func() *execspec.Model[State] {
			return New(Instance(in.servers, in.timeout, in.downtime, in.maxTerm, false))
		})
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] {
			return New(Instance(in.servers, in.timeout, in.downtime, in.maxTerm, true))
		})
	}
	return s
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("raftvote")
	majority := len(p.Servers)/2 + 1
	timeout := make(map[string]int, len(p.Servers))
	for i, n := range p.Servers {
		timeout[n] = p.Timeout + i
	}
	m.Init(func(c *execspec.Ctx[State]) {
		c.S.Servers = make(map[string]Server, len(p.Servers))
		for _, n := range p.Servers {
			c.S.Servers[n] = Server{Role: Follower}
		}
		c.S.Elected = map[int]execspec.Set[string]{}
	})

	// tick: the clock advances for every server: election timers of the
	// followers and candidates, and the downtime of crashed servers.
	m.Action("tick", func(c *execspec.Ctx[State]) {
		s := c.S
		changed := false
		for n, sv := range s.Servers {
			switch {
			case sv.Down && sv.DownFor < p.Downtime:
				sv.DownFor++
			case !sv.Down && sv.Role != Leader && sv.Elapsed < timeout[n]:
				sv.Elapsed++
			default:
				continue
			}
			s.Servers[n], changed = sv, true
		}
		c.Assume(changed)
	})

	// timeout: a server whose timer expired starts an election in the next
	// term and votes for itself.
	m.Action("timeout", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(!sv.Down && sv.Role != Leader && sv.Elapsed >= timeout[n] && sv.Term < p.MaxTerm) {
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

	// heartbeat: a leader's heartbeat round reaches every server that is
	// up. A server in the leader's term or an older one follows the leader
	// and resets its timer; a leader that meets a newer term steps down.
	m.Action("heartbeat", func(c *execspec.Ctx[State]) {
		s := c.S
		l := execspec.OneOf(c, "leader", p.Servers)
		ls := s.Servers[l]
		if !c.Assume(!ls.Down && ls.Role == Leader) {
			return
		}
		changed := false
		for _, f := range p.Servers {
			fs := s.Servers[f]
			if f == l || fs.Down {
				continue
			}
			if fs.Term > ls.Term {
				s.Servers[l] = Server{Term: fs.Term, Role: Follower}
				return
			}
			next := fs
			if fs.Term < ls.Term {
				next.VotedFor = ""
			}
			next.Term, next.Role, next.Votes, next.Elapsed = ls.Term, Follower, execspec.Set[string]{}, 0
			if next.Term != fs.Term || next.Role != fs.Role || next.Elapsed != fs.Elapsed || next.VotedFor != fs.VotedFor {
				s.Servers[f], changed = next, true
			}
		}
		c.Assume(changed)
	})

	// crash: a server stops.
	m.Action("crash", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(!sv.Down && s.Crashes < p.MaxCrashes) {
			return
		}
		sv.Down, sv.DownFor = true, 0
		s.Servers[n] = sv
		s.Crashes++
	})
	// Servers crash far less often than anything else happens.
	m.Weight("crash", 0.1)

	// restart: a server that has been down for Downtime ticks starts again
	// as a follower, with its term from disk and, with the fix, its vote.
	m.Action("restart", func(c *execspec.Ctx[State]) {
		s := c.S
		n := execspec.OneOf(c, "server", p.Servers)
		sv := s.Servers[n]
		if !c.Assume(sv.Down && sv.DownFor >= p.Downtime) {
			return
		}
		vote := ""
		if p.Fixed {
			vote = sv.VotedFor
		}
		s.Servers[n] = Server{Term: sv.Term, Role: Follower, VotedFor: vote}
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
