package simulate

import (
	"sync"

	"github.com/execspec/execspec/internal/engine"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
)

// Guided simulation keeps a corpus of sample prefixes that reached states
// no earlier sample had reached (by fingerprint), and starts half of the
// samples from a prefix of the corpus, walking on from there for up to
// MaxSteps more steps: coverage-guided search in the manner of greybox
// fuzzers, which carries samples past the depth one walk reaches and
// towards the corners of the state space that are rarely visited.
//
// To stay deterministic for any number of workers, samples run in rounds
// of guideRound: a sample sees the corpus as the rounds before its own
// left it, and each round's discoveries are merged in sample order.

const (
	guideRound     = 64
	guideMaxCorpus = 1 << 14
	guideMaxSeen   = 1 << 22
)

// guide is the corpus of a guided run.
type guide struct {
	mu     sync.Mutex
	cond   *sync.Cond
	merged int // rounds merged into the corpus
	corpus []engine.Plan
	sizes  []int // corpus size at the start of each round
	seen   map[uint64]struct{}
	// The current round's discoveries, by sample, and how many of its
	// samples are done.
	round   int
	pending []discovery
	done    int
}

// discovery is what one sample reached: its plan and the fingerprint of
// the state after each of its steps (index 0: after the start).
type discovery struct {
	ran  bool
	plan engine.Plan
	fps  []uint64
}

func newGuide() *guide {
	g := &guide{seen: map[uint64]struct{}{}, sizes: []int{0}, pending: make([]discovery, guideRound)}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// await blocks until the corpus sample s sees is ready, and reports false
// when s is no longer to run (limit says which samples still are).
func (g *guide) await(s int, limit func() int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.merged < s/guideRound {
		if s >= limit() {
			return false
		}
		g.cond.Wait()
	}
	return s < limit()
}

// wake lets waiting workers see a lowered limit, and completes the round
// when its remaining samples will not run.
func (g *guide) wake(limit int) {
	g.mu.Lock()
	g.maybeMerge(limit)
	g.mu.Unlock()
	g.cond.Broadcast()
}

// start returns the plan sample s starts from (nil: a fresh start), drawn
// from the corpus of its round with rnd.
func (g *guide) start(s int, rnd *rng.Rand) *engine.Plan {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.sizes[s/guideRound]
	if n == 0 || rnd.Uint64()&1 == 0 {
		return nil
	}
	p := g.corpus[rnd.IntN(n)]
	return &p
}

// deposit records what sample s reached and merges the round once all
// its samples that run are done.
func (g *guide) deposit(s int, d discovery, limit int) {
	g.mu.Lock()
	d.ran = true
	g.pending[s%guideRound] = d
	g.done++
	merged := g.maybeMerge(limit)
	g.mu.Unlock()
	if merged {
		g.cond.Broadcast()
	}
}

// learnedFrom returns the first sample of s's round: s saw the corpus the
// rounds before it left.
func (g *guide) learnedFrom(s int) int { return s / guideRound * guideRound }

// maybeMerge merges the current round when every sample of it below limit
// is done; g.mu is held.
func (g *guide) maybeMerge(limit int) bool {
	start := g.round * guideRound
	want := min(guideRound, max(0, limit-start))
	if g.done < want {
		return false
	}
	for _, d := range g.pending {
		if !d.ran {
			continue
		}
		last := -1
		for i, fp := range d.fps {
			if _, ok := g.seen[fp]; !ok {
				if len(g.seen) < guideMaxSeen {
					g.seen[fp] = struct{}{}
				}
				last = i
			}
		}
		if last > 0 && len(g.corpus) < guideMaxCorpus {
			g.corpus = append(g.corpus, d.plan.Cut(last))
		}
	}
	g.round++
	g.merged = g.round
	g.sizes = append(g.sizes, len(g.corpus))
	g.done = 0
	clear(g.pending)
	return true
}

// fingerprint is the fingerprint of s, for guided simulation's novelty.
func fingerprint[S any](mc *machine.Machine[S], buf *[]byte, s *S) uint64 {
	*buf = mc.AppendEncoding((*buf)[:0], s)
	return machine.Fingerprint(*buf)
}
