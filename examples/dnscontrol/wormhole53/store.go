package wormhole53

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/execspec/execspec/examples/dnscontrol/internal/plantedrace"
	"github.com/execspec/execspec/mbt/yield"
)

// Store is one hosted zone. The zero value is not usable; call Open or
// NewMemory.
type Store struct {
	mu      sync.RWMutex
	zone    string
	path    string // "" for a memory-only store
	records map[key]Record
}

// NewMemory returns an empty store for zone that is not persisted.
func NewMemory(zone string) (*Store, error) {
	zone = CanonicalName(zone)
	if err := validName(zone, zone); err != nil {
		return nil, fmt.Errorf("wormhole53: zone: %w", err)
	}
	return &Store{zone: zone, records: map[key]Record{}}, nil
}

// Open returns the store for zone persisted at path. If the file does not
// exist the zone starts empty and the file is written by the first successful
// Apply. A file that cannot be decoded, holds invalid records or belongs to
// another zone gives an error wrapping ErrCorrupt.
func Open(path, zone string) (*Store, error) {
	s, err := NewMemory(zone)
	if err != nil {
		return nil, err
	}
	s.path = path
	records, err := load(path, s.zone)
	if err != nil {
		return nil, err
	}
	s.records = records
	return s, nil
}

// Zone returns the canonical zone name.
func (s *Store) Zone() string { return s.zone }

// Apply applies batch all or nothing. On the first change that cannot be
// applied it returns a *ChangeError and leaves the zone unchanged, in memory
// and on disk. An empty batch is invalid. A batch is not started once ctx
// is done; ctx also carries the caller's yield points (package mbt/yield),
// so a controlled test can run another client between the batch's check
// and its commit.
func (s *Store) Apply(ctx context.Context, batch []Change) error {
	if len(batch) == 0 {
		return fmt.Errorf("wormhole53: apply: empty batch: %w", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wormhole53: apply: %w", err)
	}
	if plantedrace.On {
		return s.applyUnlocked(ctx, batch)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	next := maps.Clone(s.records)
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
	s.records = next
	return nil
}

// applyChange applies one change to records.
func applyChange(records map[key]Record, c Change, zone string) error {
	r := c.Record.normalize()
	if err := r.validate(zone); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	k := r.key()
	old, exists := records[k]
	switch c.Action {
	case Create:
		if exists {
			return fmt.Errorf("%w: %s exists", ErrConflict, old)
		}
		if err := checkExclusive(records, r); err != nil {
			return err
		}
		records[k] = r
	case Upsert:
		if err := checkExclusive(records, r); err != nil {
			return err
		}
		records[k] = r
	case Delete:
		if !exists {
			return ErrNotFound
		}
		if !old.equal(r) {
			return fmt.Errorf("%w: stored %s", ErrMismatch, old)
		}
		delete(records, k)
	default:
		return fmt.Errorf("%w: unknown action %q", ErrInvalid, c.Action)
	}
	return nil
}

// checkExclusive refuses an A record where an ALIAS record exists, and the
// other way around.
func checkExclusive(records map[key]Record, r Record) error {
	var other Type
	switch r.Type {
	case TypeA:
		other = TypeAlias
	case TypeAlias:
		other = TypeA
	default:
		return nil
	}
	if _, ok := records[key{r.Name, other}]; ok {
		return fmt.Errorf("%w: %s already has an %s record", ErrConflict, r.Name, other)
	}
	return nil
}

// Get returns a copy of the record with the given name and type.
func (s *Store) Get(name string, t Type) (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.records[key{CanonicalName(name), t}]
	return r.clone(), ok
}

// Records returns a copy of every record, sorted by name then type.
func (s *Store) Records() []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return sortedRecords(s.records)
}

// sortedRecords copies records into a slice sorted by name then type.
func sortedRecords(records map[key]Record) []Record {
	out := make([]Record, 0, len(records))
	for _, r := range records {
		out = append(out, r.clone())
	}
	slices.SortFunc(out, func(a, b Record) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(string(a.Type), string(b.Type))
	})
	return out
}
