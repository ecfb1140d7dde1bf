package checkbench

import (
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/machine"
)

type counter struct{ N int }

func counterMachine(t *testing.T, limit int) *machine.Machine[counter] {
	t.Helper()
	m := execspec.NewModel[counter]("counter")
	m.Init(func(c *execspec.Ctx[counter]) {})
	m.Action("inc", func(c *execspec.Ctx[counter]) {
		if c.Assume(c.S.N < limit) {
			c.S.N++
		}
	})
	m.Invariant("below_4", func(s *counter) bool { return s.N < 4 })
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}

// Search returns the counts of a clean, complete search, and an error for
// a search that found something or stopped early.
func TestSearch(t *testing.T) {
	cases := []struct {
		name     string
		limit    int
		opts     check.Options
		distinct int64
		err      string
	}{
		{"clean", 3, check.Options{Workers: 1}, 4, ""},
		{"violation", 5, check.Options{Workers: 1}, 0, "1 findings"},
		{"stopped", 3, check.Options{Workers: 1, MaxStates: 2}, 0, "complete false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			distinct, bytes, err := Search(counterMachine(t, c.limit), c.opts)
			if c.err == "" {
				if err != nil || distinct != c.distinct || bytes <= 0 {
					t.Fatalf("Search = %d, %d, %v; want %d states", distinct, bytes, err, c.distinct)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("Search error %v, want one containing %q", err, c.err)
			}
		})
	}
}

// Bench times b.N clean searches and reports their figures; a search that
// finds something fails the benchmark, which then has no result.
func TestBench(t *testing.T) {
	clean := testing.Benchmark(func(b *testing.B) { Bench(b, counterMachine(t, 3), check.Options{Workers: 1}) })
	if clean.N == 0 || clean.Extra["states/cpu-s"] <= 0 || clean.Extra["B/state"] <= 0 {
		t.Fatalf("clean search: N %d, figures %v", clean.N, clean.Extra)
	}
	failed := testing.Benchmark(func(b *testing.B) { Bench(b, counterMachine(t, 5), check.Options{Workers: 1}) })
	if failed.N != 0 || len(failed.Extra) != 0 {
		t.Fatalf("a search with a finding: N %d, figures %v; want no result", failed.N, failed.Extra)
	}
}
