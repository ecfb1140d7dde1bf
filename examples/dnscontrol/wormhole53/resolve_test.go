package wormhole53

import (
	"math"
	"reflect"
	"testing"
)

func TestResolve(t *testing.T) {
	s, err := NewMemory(testZone)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s,
		// root -> plan (weight 1) -> three weighted load balancers.
		create(alias("root.api.acme", Target{"plan.api.acme", 1})),
		create(alias("plan.api.acme", Target{"lb-1.api.acme", 100}, Target{"lb-2.api.acme", 110}, Target{"lb-3.api.acme", 120})),
		create(a("lb-1.api.acme", "192.0.2.1")),
		create(a("lb-2.api.acme", "192.0.2.2")),
		create(a("lb-3.api.acme", "192.0.2.3")),
		// Weights multiply along the chain.
		create(alias("double.api.acme", Target{"plan.api.acme", 2})),
		// Two paths reaching the same IP add up.
		create(alias("diamond.api.acme", Target{"lb-1.api.acme", 1}, Target{"other.api.acme", 1})),
		create(alias("other.api.acme", Target{"lb-1.api.acme", 4})),
		// A cycle, a self loop and a missing target.
		create(alias("loop-a.api.acme", Target{"loop-b.api.acme", 1})),
		create(alias("loop-b.api.acme", Target{"loop-a.api.acme", 1})),
		create(alias("self.api.acme", Target{"self.api.acme", 1})),
		create(alias("dangling.api.acme", Target{"gone.api.acme", 1})),
		create(alias("partial.api.acme", Target{"gone.api.acme", 1}, Target{"loop-a.api.acme", 1}, Target{"lb-3.api.acme", 7})),
		create(txt("text.api.acme", "hello")),
	)
	// A chain one alias longer than MaxDepth.
	chain := []Change{create(a(name("c", 0), "192.0.2.9"))}
	for i := 1; i <= MaxDepth+1; i++ {
		chain = append(chain, create(alias(name("c", i), Target{name("c", i-1), 1})))
	}
	mustApply(t, s, chain...)

	tests := []struct {
		name string
		want []Address
	}{
		{"root.api.acme", []Address{{"192.0.2.1", 100}, {"192.0.2.2", 110}, {"192.0.2.3", 120}}},
		{"ROOT.api.acme.", []Address{{"192.0.2.1", 100}, {"192.0.2.2", 110}, {"192.0.2.3", 120}}},
		{"double.api.acme", []Address{{"192.0.2.1", 200}, {"192.0.2.2", 220}, {"192.0.2.3", 240}}},
		{"lb-2.api.acme", []Address{{"192.0.2.2", 1}}},
		{"diamond.api.acme", []Address{{"192.0.2.1", 5}}},
		{"loop-a.api.acme", []Address{}},
		{"self.api.acme", []Address{}},
		{"dangling.api.acme", []Address{}},
		{"partial.api.acme", []Address{{"192.0.2.3", 7}}},
		{"text.api.acme", []Address{}},
		{"absent.api.acme", []Address{}},
		{name("c", MaxDepth), []Address{{"192.0.2.9", 1}}},
		{name("c", MaxDepth+1), []Address{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Resolve(tt.name); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Resolve(%s) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestResolveSaturates(t *testing.T) {
	s, err := NewMemory(testZone)
	if err != nil {
		t.Fatal(err)
	}
	batch := []Change{create(a(name("h", 0), "192.0.2.1"))}
	for i := 1; i <= MaxDepth; i++ {
		batch = append(batch, create(alias(name("h", i), Target{name("h", i-1), MaxWeight})))
	}
	mustApply(t, s, batch...)
	if got := s.Resolve(name("h", MaxDepth)); !reflect.DeepEqual(got, []Address{{"192.0.2.1", math.MaxInt}}) {
		t.Fatalf("Resolve = %v, want the weight saturated at math.MaxInt", got)
	}
}

func name(prefix string, i int) string {
	return prefix + string(rune('0'+i/10)) + string(rune('0'+i%10)) + ".api.acme"
}
