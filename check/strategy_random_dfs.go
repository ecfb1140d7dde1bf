package check

import (
	"context"

	"github.com/execspec/execspec/internal/rng"
)

// randomDFSStrategy is RandomDFS: the depth-first search of dfs.go, the
// successors of each state (and the initial states) in an order drawn
// from one random stream of the seed.
type randomDFSStrategy struct{}

func (randomDFSStrategy) info() StrategyInfo {
	return StrategyInfo{Name: RandomDFS, Title: "randomized depth-first search", Seeded: true}
}

func (randomDFSStrategy) explore(ctx context.Context, sp space, opts *Options) (*search, error) {
	return sp.dfs(ctx, rng.New(opts.Seed, 0).Perm)
}
