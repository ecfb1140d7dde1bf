// Package shardmove models the migration of a shard from one storage node
// to another while a router keeps writing to it.
//
// The system: a config server maps the shard to its owner node under an
// epoch number. A router caches the map and sends each write, tagged with
// the epoch it routed by, to the owner it believes in; the network may
// delay a write. To move the shard from the source to the destination, a
// migrator copies its chunks one by one; writes the source applies to an
// already copied chunk are logged and replayed at the destination when the
// migrator flips the map to the destination (new epoch). The source keeps
// its copy for a later cleanup (not modelled).
//
// The bug: the source does not learn of the flip and applies any write that
// reaches it. A write routed by the old epoch and delayed in the network
// until after the flip is applied to the source's orphaned copy and
// acknowledged, but the destination, now the owner, never gets it: an
// acknowledged write is lost.
//
// The fix (the *_fixed instances): the flip installs the new epoch at the
// source before it commits at the config server, and the source refuses
// writes tagged with an older epoch; the router refreshes its map and sends
// them again, to the destination.
//
// Why it is deep: delivering a write is the most common event. The loss
// needs one write to stay in the network for the whole move, every chunk's
// copy and the flip; with a realistic number of chunks, uniform random
// choice almost never leaves delivery idle that long.
//
// Instances (chunks): k3 (shortest violation: 7 steps) and k30 (34 steps),
// each with a _fixed twin.
//
// Find the bug on the realistic instance with
//
//	execspec run ./examples/shardmove --instance k30 --property no_acked_write_lost --strategy swarm
package shardmove

import (
	"github.com/execspec/execspec"
)

// Write is a write in the network.
type Write struct {
	Key     int    `itf:"key"`
	Version int    `itf:"version"`
	Epoch   int    `itf:"epoch"` // the map epoch the router routed it by
	To      string `itf:"to"`
}

// The nodes, and the owner of each epoch: epoch 1 is the source's, epoch 2
// (after the flip) the destination's.
const (
	Source      = "source"
	Destination = "destination"
)

// State is the model state.
type State struct {
	Epoch       int         `itf:"epoch"`       // the config server's map epoch
	RouterEpoch int         `itf:"routerEpoch"` // the epoch of the router's cached map
	SourceEpoch int         `itf:"sourceEpoch"` // the newest epoch the source knows
	Moving      bool        `itf:"moving"`      // a move is under way
	Copied      int         `itf:"copied"`      // chunks copied (chunk i holds key i)
	Src         map[int]int `itf:"src"`         // the source's data: key -> version
	Dst         map[int]int `itf:"dst"`         // the destination's data
	Delta       []Write     `itf:"delta"`       // writes to copied chunks, replayed at the flip
	Net         []Write     `itf:"net"`         // writes in the network
	Versions    int         `itf:"versions"`    // writes sent so far
	Acked       map[int]int `itf:"acked"`       // key -> highest acknowledged version
}

// Params are an instance's constants.
type Params struct {
	Chunks    int  // chunks in the shard, one key each
	MaxWrites int  // writes the router sends (bounds the state space)
	Fixed     bool // the source refuses writes routed by an old epoch
}

// Instance returns the parameters for a shard of the given number of
// chunks.
func Instance(chunks int, fixed bool) Params {
	return Params{Chunks: chunks, MaxWrites: 2, Fixed: fixed}
}

// Spec lists the model's instances for the execspec command.
func Spec() *execspec.Spec[State] {
	s := execspec.NewSpec[State]("shardmove").Doc("A shard move racing a delayed write: the source applies it after the flip.")
	for _, in := range []struct {
		name   string
		chunks int
	}{{"k3", 3}, {"k30", 30}} {
		s.Instance(in.name, func() *execspec.Model[State] { return New(Instance(in.chunks, false)) })
		s.Instance(in.name+"_fixed", func() *execspec.Model[State] { return New(Instance(in.chunks, true)) })
	}
	return s
}

func owner(epoch int) string {
	if epoch >= 2 {
		return Destination
	}
	return Source
}

// New builds the model for p.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("shardmove")
	keys := make([]int, p.Chunks)
	for i := range keys {
		keys[i] = i
	}
	m.Init(func(c *execspec.Ctx[State]) {
		s := c.S
		s.Epoch, s.RouterEpoch, s.SourceEpoch = 1, 1, 1
		s.Src, s.Dst, s.Acked = map[int]int{}, map[int]int{}, map[int]int{}
	})

	// send: the router sends a write of a key to the owner its cached map
	// names.
	m.Action("send", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Versions < p.MaxWrites) {
			return
		}
		k := execspec.OneOf(c, "key", keys)
		s.Versions++
		s.Net = append(s.Net, Write{Key: k, Version: s.Versions, Epoch: s.RouterEpoch, To: owner(s.RouterEpoch)})
	})

	// deliver: a write in the network reaches its node. The source logs a
	// write to an already copied chunk while a move is under way; with the
	// fix it refuses a write routed by an old epoch, and the router sends it
	// again by its refreshed map.
	m.Action("deliver", func(c *execspec.Ctx[State]) {
		s := c.S
		i := execspec.IntRange(c, "write", 0, len(s.Net)-1)
		if !c.Alive() {
			return
		}
		w := s.Net[i]
		s.Net = append(s.Net[:i:i], s.Net[i+1:]...)
		if w.To == Destination {
			s.Dst[w.Key] = max(s.Dst[w.Key], w.Version)
		} else {
			if p.Fixed && w.Epoch < s.SourceEpoch {
				s.RouterEpoch = s.Epoch
				w.Epoch, w.To = s.Epoch, owner(s.Epoch)
				s.Net = append(s.Net, w)
				return
			}
			s.Src[w.Key] = max(s.Src[w.Key], w.Version)
			if s.Moving && w.Key < s.Copied {
				s.Delta = append(s.Delta, w)
			}
		}
		s.Acked[w.Key] = max(s.Acked[w.Key], w.Version)
	})

	// refresh: the router reloads its map from the config server.
	m.Action("refresh", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.RouterEpoch < s.Epoch) {
			return
		}
		s.RouterEpoch = s.Epoch
	})

	// start: the migrator starts moving the shard.
	m.Action("start", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(!s.Moving && s.Epoch == 1) {
			return
		}
		s.Moving = true
	})

	// copy: the migrator copies the next chunk to the destination.
	m.Action("copy", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Moving && s.Copied < p.Chunks) {
			return
		}
		if v, ok := s.Src[s.Copied]; ok {
			s.Dst[s.Copied] = v
		}
		s.Copied++
	})

	// flip: every chunk copied, the migrator replays the logged writes at
	// the destination and makes it the owner (with the fix, telling the
	// source first).
	m.Action("flip", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Moving && s.Copied == p.Chunks) {
			return
		}
		for _, w := range s.Delta {
			s.Dst[w.Key] = max(s.Dst[w.Key], w.Version)
		}
		s.Delta = nil
		if p.Fixed {
			s.SourceEpoch = 2
		}
		s.Epoch, s.Moving = 2, false
	})

	m.Invariant("no_acked_write_lost", func(s *State) bool {
		data := s.Src
		if owner(s.Epoch) == Destination {
			data = s.Dst
		}
		for k, v := range s.Acked {
			if data[k] < v {
				return false
			}
		}
		return true
	})
	m.Example("moved", func(s *State) bool { return s.Epoch == 2 })
	return m
}
