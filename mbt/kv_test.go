package mbt_test

import (
	"context"
	"maps"
	"runtime"
	"sync"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/mbt"
)

// A key-value store: put(key, v) writes, get(key) reads through its output
// pick "value". Its operations on different keys are independent, so its
// histories partition by the input pick "key".

// KV is the store model's state.
type KV struct {
	M map[string]int `itf:"m"`
}

var kvKeys = []string{"a", "b", "c", "d"}

// kvValues bounds the values put and read.
const kvValues = 10

func kvModel(keys []string) *execspec.Model[KV] {
	m := execspec.NewModel[KV]("kv")
	m.Init(func(c *execspec.Ctx[KV]) { c.S.M = map[string]int{} })
	m.Action("put", func(c *execspec.Ctx[KV]) {
		k := execspec.OneOf(c, "key", keys)
		c.S.M[k] = execspec.IntRange(c, "v", 0, kvValues-1)
	})
	m.Action("get", func(c *execspec.Ctx[KV]) {
		k := execspec.OneOf(c, "key", keys)
		v := execspec.IntRange(c, "value", 0, kvValues-1)
		c.Assume(v == c.S.M[k])
	})
	return m
}

var kvOutputs = []string{"value"}

// kvStore is a store behind one mutex: linearizable.
type kvStore struct {
	mu sync.Mutex
	m  map[string]int
}

func (s *kvStore) put(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
}

func (s *kvStore) get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k]
}

// kvDriver drives a kvStore. Its hook, when set, decides a put's fate from
// its step index: whether the client gets an answer, and whether the put
// is applied. With contend, each operation yields the processor before
// and inside the lock, so that the clients' operations overlap widely,
// as they do when they wait for a lock behind many others.
type kvDriver struct {
	s       *kvStore
	fate    func(index int) (answered, applied bool)
	contend bool
}

func (d *kvDriver) Reset(context.Context, mbt.Step) error {
	d.s = &kvStore{m: map[string]int{}}
	return nil
}

func (d *kvDriver) Do(_ context.Context, _ int, op mbt.Step) ([]mbt.Labelled, error) {
	k, err := mbt.Pick[string](op, "key")
	if err != nil {
		return nil, err
	}
	if d.contend {
		runtime.Gosched()
		d.s.mu.Lock()
		runtime.Gosched()
		d.s.mu.Unlock()
	}
	if op.Action == "get" {
		return []mbt.Labelled{mbt.Output("value", d.s.get(k))}, nil
	}
	v, err := mbt.Pick[int](op, "v")
	if err != nil {
		return nil, err
	}
	answered, applied := true, true
	if d.fate != nil {
		answered, applied = d.fate(op.Index)
	}
	if applied {
		d.s.put(k, v)
	}
	if !answered {
		return nil, mbt.NoAnswerf("put %s=%d timed out", k, v)
	}
	return nil, nil
}

func (d *kvDriver) Observe(context.Context) (KV, error) {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	return KV{M: maps.Clone(d.s.m)}, nil
}

func newKVDriver(fate func(int) (bool, bool)) func(testing.TB) mbt.ConcurrentDriver[KV] {
	return func(testing.TB) mbt.ConcurrentDriver[KV] { return &kvDriver{fate: fate} }
}
