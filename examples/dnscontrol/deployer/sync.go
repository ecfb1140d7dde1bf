package deployer

import (
	"fmt"

	"github.com/execspec/execspec/examples/dnscontrol/layout"
	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// Sync reads the lock, the root and the rollback from the zone and records
// them as the deployer's observation. It fails only if the zone cannot be
// read or the state cannot be saved.
func (d *Deployer) Sync(store *wormhole53.Store) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	lock, err := layout.ReadLock(store)
	if err != nil {
		return fmt.Errorf("deployer %s: sync: %w", d.name, err)
	}
	root, err := layout.ReadAlias(store, layout.Root)
	if err != nil {
		return fmt.Errorf("deployer %s: sync: %w", d.name, err)
	}
	rollback, err := layout.ReadAlias(store, layout.Rollback)
	if err != nil {
		return fmt.Errorf("deployer %s: sync: %w", d.name, err)
	}
	s := d.state
	s.Lock, s.Root, s.Rollback = lock, root, rollback
	if err := d.commit(s); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	return nil
}
