package engine

import "fmt"

// Registry is an ordered set of named entries, an engine's strategies: the
// built-in ones in the order they are listed, then those registered later.
// Entries are registered from init functions only: the registry is read
// without a lock once the program runs.
type Registry[N ~string, E any] struct {
	what   string // what an entry is, for errors: "strategy"
	name   func(E) N
	list   []E
	byName map[N]E
}

// NewRegistry returns a registry of entries named by name, holding
// builtin; what says what an entry is ("strategy").
func NewRegistry[N ~string, E any](what string, name func(E) N, builtin ...E) *Registry[N, E] {
	r := &Registry[N, E]{what: what, name: name, byName: map[N]E{}}
	for _, e := range builtin {
		r.Register(e)
	}
	return r
}

// Register adds e after the entries registered before it. It panics when
// e has no name or the name is taken: a program error, found at start.
func (r *Registry[N, E]) Register(e E) {
	n := r.name(e)
	if _, ok := r.byName[n]; ok || n == "" {
		panic(fmt.Sprintf("%s %q registered twice or unnamed", r.what, n))
	}
	r.list = append(r.list, e)
	r.byName[n] = e
}

// All returns the entries in the order they are listed.
func (r *Registry[N, E]) All() []E { return r.list }

// Names returns the entries' names in the order they are listed.
func (r *Registry[N, E]) Names() []N {
	names := make([]N, len(r.list))
	for i, e := range r.list {
		names[i] = r.name(e)
	}
	return names
}

// Get returns the entry named n; ok is false when there is none.
func (r *Registry[N, E]) Get(n N) (e E, ok bool) {
	e, ok = r.byName[n]
	return e, ok
}

// Lookup returns the entry named n, or an error that lists the valid
// names.
func (r *Registry[N, E]) Lookup(n N) (E, error) {
	if e, ok := r.byName[n]; ok {
		return e, nil
	}
	var zero E
	_, err := ParseName(r.what, string(n), r.Names())
	return zero, err
}
