package wormhole53

import (
	"context"
	"fmt"
	"maps"

	"github.com/execspec/execspec/mbt/yield"
)

// applyUnlocked is Apply with the race planted by the dnsrace build tag
// (see package plantedrace): the batch is validated against a snapshot
// taken under the lock and committed under the lock again later, so a
// concurrent batch validated against the same snapshot is overwritten.
// Production builds never call it.
func (s *Store) applyUnlocked(ctx context.Context, batch []Change) error {
	s.mu.RLock()
	next := maps.Clone(s.records)
	s.mu.RUnlock()
	for i, c := range batch {
		if err := applyChange(next, c, s.zone); err != nil {
			return fmt.Errorf("wormhole53: apply: %w", &ChangeError{Index: i, Change: c, Err: err})
		}
	}
	yield.Point(ctx, "apply: batch checked")
	if s.path != "" {
		if err := save(s.path, s.zone, next); err != nil {
			return fmt.Errorf("wormhole53: apply: %w", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = next
	return nil
}
