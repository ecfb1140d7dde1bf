package check

import "context"

// dfsStrategy is DFS: the depth-first search of dfs.go, successors in
// their canonical order.
type dfsStrategy struct{}

func (dfsStrategy) info() StrategyInfo {
	return StrategyInfo{Name: DFS, Title: "depth-first search"}
}

func (dfsStrategy) explore(ctx context.Context, sp space, _ *Options) (*search, error) {
	return sp.dfs(ctx, nil)
}
