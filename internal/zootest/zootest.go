// Package zootest holds the checks every bug-zoo model's tests make: the
// shortest counterexample of a buggy instance has the length the package
// doc derives, the fixed instance is clean in every reachable state (with
// its state count pinned) and in random walks, and every instance of the
// spec compiles.
package zootest

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/simulate"
)

// Shortest checks that BFS finds a violation of property in m whose trace
// has want steps (BFS's are shortest), and fails t otherwise.
func Shortest[S any](t testing.TB, m *execspec.Model[S], property string, want int) {
	t.Helper()
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatalf("compile: %v", err)
		return
	}
	res, err := check.Run(t.Context(), mc, check.Options{Property: property, NoTemporal: true})
	if err != nil {
		t.Fatalf("check: %v", err)
		return
	}
	if len(res.Findings) != 1 || res.Findings[0].Trace == nil {
		t.Fatalf("no violation of %s found (%s, %d distinct states)", property, res.Stopped, res.Stats.Distinct)
		return
	}
	if n := res.Findings[0].Trace.Len() - 1; n != want {
		t.Errorf("the shortest violation of %s has %d steps, want %d", property, n, want)
	}
}

// Clean checks that m, a fixed instance, violates no invariant in any of
// its reachable states, of which there are wantDistinct (a change to the
// model shows here), nor in seeded random walks.
func Clean[S any](t testing.TB, m func() *execspec.Model[S], wantDistinct int64) {
	t.Helper()
	res := check.Test(t, m(), check.Options{NoTemporal: true})
	if res == nil {
		return
	}
	if !res.Complete || res.Stats.Distinct != wantDistinct {
		t.Errorf("complete %v (%s), %d distinct states; want complete, %d", res.Complete, res.Stopped, res.Stats.Distinct, wantDistinct)
	}
	simulate.Test(t, m(), simulate.Options{Seed: 1})
}

// Instances checks that every instance of spec builds and compiles.
func Instances[S any](t testing.TB, spec *execspec.Spec[S]) {
	t.Helper()
	if len(spec.Instances()) == 0 {
		t.Errorf("spec %s has no instance", spec.Name())
	}
	for _, name := range spec.Instances() {
		m, err := spec.Model(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := machine.Compile(m); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
