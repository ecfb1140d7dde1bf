package dnsbalancer_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
)

// TestCheckFindsOutage: the shortest trace to an inconsistent root on n3_5_3
// has 11 steps (four plans; deployer-a deploys all four; deployer-b syncs
// and deploys plan 1; deployer-a's cleanup deletes plan 1's tree).
func TestCheckFindsOutage(t *testing.T) {
	mc, err := dnsbalancer.New(dnsbalancer.Instance(5, 3, false)).Compile()
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), mc, check.Options{Property: "no_inconsistent_root"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Trace.Len()-1 != 11 {
		t.Fatalf("findings %+v", res.Findings)
	}
	if len(res.DataPicks) != 2 {
		t.Errorf("data picks not reduced: %v", res.DataPicks)
	}
}

// TestCheckFixedExhausts: with the fix, the whole state space of n3_5_3 (the
// plans' IPs and weights reduced as data) holds no violation: 35,574 states,
// 6,030 up to renaming the deployers.
func TestCheckFixedExhausts(t *testing.T) {
	for _, c := range []struct {
		noSym bool
		want  int64
	}{{false, 6030}, {true, 35574}} {
		res := check.Test(t, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)), check.Options{NoSymmetry: c.noSym})
		if res.Stats.Distinct != c.want {
			t.Errorf("no symmetry %v: %d distinct states, want %d", c.noSym, res.Stats.Distinct, c.want)
		}
	}
}
