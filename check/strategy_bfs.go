package check

import "context"

// bfsStrategy is BFS: the level-synchronous search of bfs.go.
type bfsStrategy struct{}

func (bfsStrategy) info() StrategyInfo {
	return StrategyInfo{Name: BFS, Title: "breadth-first search", Note: "shortest counterexamples",
		Parallel: true, Shortest: true, Checkpoints: true}
}

func (bfsStrategy) explore(ctx context.Context, sp space, _ *Options) (*search, error) {
	return sp.bfs(ctx)
}
