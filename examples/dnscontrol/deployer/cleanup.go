package deployer

import (
	"context"
	"fmt"
	"slices"

	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// Cleanup deletes, in one batch, the trees of the plans p with
// 1 <= p < next-keep that exist in the zone, judged by the deployer's own
// counter, and returns their ids. In fixed mode the plans the root and the
// rollback point at are kept. It is refused with ErrNothingToClean when
// there is nothing to delete. Each record is deleted with an exact match, so
// a concurrent change to a tree rejects the whole batch.
func (d *Deployer) Cleanup(ctx context.Context, store *wormhole53.Store) ([]int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	cutoff := d.state.Next - d.policy.keep()
	fail := func(err error) ([]int, error) {
		return nil, fmt.Errorf("deployer %s: cleanup (next %d, keep %d): %w", d.name, d.state.Next, d.policy.keep(), err)
	}
	protected := map[int]bool{}
	if d.policy.Fixed || d.policy.Live {
		for _, name := range []string{layout.Root, layout.Rollback} {
			id, err := layout.ReadAlias(store, name)
			if err != nil {
				return fail(err)
			}
			protected[id] = true
		}
	}
	var ids []int
	var batch []wormhole53.Change
	for _, r := range store.Records() {
		id, ok := layout.TreeOf(r.Name)
		if !ok || id < 1 || id >= cutoff || protected[id] {
			continue
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		batch = append(batch, wormhole53.Change{Action: wormhole53.Delete, Record: r})
	}
	if len(batch) == 0 {
		return fail(ErrNothingToClean)
	}
	if err := store.Apply(ctx, batch); err != nil {
		return fail(err)
	}
	slices.Sort(ids)
	return ids, nil
}
