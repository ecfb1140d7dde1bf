package dnsbalancer_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/validate"
)

// TestCheckFindsOutage: the shortest trace to an inconsistent root on n3_5_3
// has 11 steps (four plans; deployer-a deploys all four; deployer-b syncs
// and deploys plan 1; deployer-a's cleanup deletes plan 1's tree).
func TestCheckFindsOutage(t *testing.T) {
	mc, err := machine.Compile(dnsbalancer.New(dnsbalancer.Instance(5, 3, false)))
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
// 6,030 up to renaming the deployers. (The fixed instances violate the
// temporal property no_stuck_deployer: see TestNoStuckDeployer.)
func TestCheckFixedExhausts(t *testing.T) {
	for _, c := range []struct {
		noSym bool
		want  int64
	}{{false, 6030}, {true, 35574}} {
		res := check.Test(t, dnsbalancer.New(dnsbalancer.Instance(5, 3, true)), check.Options{NoSymmetry: c.noSym, NoTemporal: true})
		if res.Stats.Distinct != c.want {
			t.Errorf("no symmetry %v: %d distinct states, want %d", c.noSym, res.Stats.Distinct, c.want)
		}
	}
}

// TestNoStuckDeployer pins the liveness verdicts of the flagship: with the
// first fix alone a deployer that falls behind the root is refused for
// ever (a lasso, which replays as a behaviour of the model); with the
// second fix every deployer catches up, and the invariants still hold.
// Four plan ids keep the test short; `execspec check --instance
// n3_5_3_fixed|n3_5_3_live --property no_stuck_deployer` gives the same
// verdicts.
func TestNoStuckDeployer(t *testing.T) {
	for _, c := range []struct {
		name     string
		p        dnsbalancer.Params
		property string
		violated bool
	}{
		{"fixed", dnsbalancer.Instance(4, 3, true), "no_stuck_deployer", true},
		{"live: invariants and no_stuck_deployer", dnsbalancer.LiveInstance(4, 3), "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			mc, err := machine.Compile(dnsbalancer.New(c.p))
			if err != nil {
				t.Fatal(err)
			}
			res, err := check.Run(context.Background(), mc, check.Options{Property: c.property, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Liveness == nil {
				t.Fatalf("temporal property not checked (stopped: %s, findings %v)", res.Stopped, res.Findings)
			}
			if !c.violated {
				if !res.Complete || len(res.Findings) > 0 {
					t.Fatalf("complete %v (%s), findings %v", res.Complete, res.Stopped, res.Findings)
				}
				return
			}
			if len(res.Findings) != 1 || res.Findings[0].Kind != findings.LivenessViolated {
				t.Fatalf("findings %v", res.Findings)
			}
			tr := res.Findings[0].Trace
			rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
			if err != nil || !rep.Valid() || tr.Loop == nil {
				t.Fatalf("the lasso does not replay: %v %v (loop %v)", err, rep.Failure, tr.Loop)
			}
			// The stuck deployer is behind the root at the loop, and its
			// next plan exists.
			s, err := mc.FromITF(tr.Steps[*tr.Loop].State)
			if err != nil {
				t.Fatal(err)
			}
			stuck := 0
			for _, d := range s.Deployers {
				if d.Next <= len(s.Plans) && d.Next < s.Zone.Root {
					stuck++
				}
			}
			if stuck == 0 {
				t.Errorf("no deployer behind the root in the loop: %+v", s)
			}
		})
	}
}
