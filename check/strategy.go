package check

import (
	"context"
	"strings"

	"github.com/execspec/execspec/internal/engine"
)

// Strategy names a search order: the value of Options.Strategy and
// Result.Strategy.
type Strategy string

// The built-in strategies; see Strategies for every registered one.
const (
	// BFS explores level by level: every counterexample it reports is a
	// shortest one. It runs on Options.Workers goroutines.
	BFS Strategy = "bfs"
	// DFS explores depth-first, successors in their canonical order. It
	// runs on one goroutine.
	DFS Strategy = "dfs"
	// RandomDFS is DFS with the order of each state's successors (and of
	// the initial states) shuffled by Options.Seed: different seeds dive
	// into different corners of a state space too large to exhaust.
	RandomDFS Strategy = "random-dfs"
)

// DefaultStrategy is the strategy of Options whose Strategy is empty,
// exported so that front ends (the CLI's flags) show and apply the
// library's value.
const DefaultStrategy = BFS

// StrategyInfo describes a strategy: what front ends list, show and
// validate, so that none of them repeats it.
type StrategyInfo struct {
	// Name is the strategy's name, as Options.Strategy and the CLI's
	// --strategy take it.
	Name Strategy
	// Title names the search in a sentence: "breadth-first search".
	Title string
	// Note qualifies the name in a list of the strategies, as the CLI's
	// help shows it ("shortest counterexamples"); empty for none.
	Note string
	// Parallel strategies run on Options.Workers goroutines; the others
	// on one.
	Parallel bool
	// Seeded strategies draw from Options.Seed; the others ignore it.
	Seeded bool
	// Shortest strategies explore level by level: each finding is a
	// shortest one (never shrunk), and the depth counts the levels.
	Shortest bool
	// Checkpoints says whether the search can be saved and resumed
	// (Options.Checkpoint).
	Checkpoints bool
}

// A searchStrategy is one search order: its description, and the search
// itself. Run calls explore once per search; explore picks a search of sp
// and configures it (a successor order, say), so that nothing is
// dispatched per state.
type searchStrategy interface {
	info() StrategyInfo
	explore(ctx context.Context, sp space, opts *Options) (*search, error)
}

// space is a model's state space as a strategy sees it: the searches that
// can run over it, whatever the Go type of its states (a *searcher[S]
// implements it).
type space interface {
	// bfs searches level by level.
	bfs(ctx context.Context) (*search, error)
	// dfs searches depth-first, visiting the successors of each state, and
	// the initial states, in the order order leaves them in: it gets
	// their indices in the canonical order, 0 to n-1, and rearranges them
	// in place, once per state expanded (one call beside the expansion
	// of its successors, never one per successor). A nil order keeps the
	// canonical order and is never called.
	dfs(ctx context.Context, order func(perm []int)) (*search, error)
}

func (e *searcher[S]) bfs(ctx context.Context) (*search, error) { return runBFS(ctx, e) }

func (e *searcher[S]) dfs(ctx context.Context, order func(perm []int)) (*search, error) {
	return runDFS(ctx, e, order)
}

// The registry: the built-in strategies in the order they are listed,
// then those registered later.
var strategies = engine.NewRegistry[Strategy, searchStrategy]("strategy", func(s searchStrategy) Strategy { return s.info().Name },
	bfsStrategy{}, dfsStrategy{}, randomDFSStrategy{})

// register adds s to the strategies, after those registered before it.
// It must be called from an init function, and panics when the name is
// taken.
func register(s searchStrategy) { strategies.Register(s) }

// Strategies returns the names of the registered strategies, in the order
// they are listed.
func Strategies() []Strategy { return strategies.Names() }

// ParseStrategy returns the strategy named s; an unknown name is an error
// that lists the valid ones.
func ParseStrategy(s string) (Strategy, error) {
	if _, err := strategies.Lookup(Strategy(s)); err != nil {
		return "", err
	}
	return Strategy(s), nil
}

// Info describes the strategy; the zero StrategyInfo for a name that is
// not registered.
func (s Strategy) Info() StrategyInfo {
	if st, ok := strategies.Get(s); ok {
		return st.info()
	}
	return StrategyInfo{}
}

// strategyTitles joins the titles of the registered strategies that keep
// accepts, with "or": what an option that needs one of them asks for.
func strategyTitles(keep func(StrategyInfo) bool) string {
	var titles []string
	for _, s := range strategies.All() {
		if in := s.info(); keep(in) {
			titles = append(titles, in.Title)
		}
	}
	return strings.Join(titles, " or ")
}

// lookup returns the registered strategy named s.
func lookup(s Strategy) (searchStrategy, error) { return strategies.Lookup(s) }
