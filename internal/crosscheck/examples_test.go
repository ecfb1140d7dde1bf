package crosscheck_test

import (
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/cli/scaffold/controlplane"
	"github.com/execspec/execspec/cli/scaffold/election"
	"github.com/execspec/execspec/cli/scaffold/idempotency"
	"github.com/execspec/execspec/cli/scaffold/reconciler"
	"github.com/execspec/execspec/cli/scaffold/replication"
	"github.com/execspec/execspec/cli/scaffold/scheduler"
	"github.com/execspec/execspec/examples/allocator"
	"github.com/execspec/execspec/examples/alternatingbit"
	"github.com/execspec/execspec/examples/bcastbyz"
	"github.com/execspec/execspec/examples/diningphilosophers"
	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/ewd840"
	idempotencyzoo "github.com/execspec/execspec/examples/idempotency"
	"github.com/execspec/execspec/examples/informergc"
	"github.com/execspec/execspec/examples/lamportmutex"
	"github.com/execspec/execspec/examples/leasefence"
	"github.com/execspec/execspec/examples/mcbakery"
	"github.com/execspec/execspec/examples/paxos"
	"github.com/execspec/execspec/examples/paxoscommit"
	"github.com/execspec/execspec/examples/raftvote"
	"github.com/execspec/execspec/examples/realtimehourclock"
	"github.com/execspec/execspec/examples/semisync"
	"github.com/execspec/execspec/examples/shardmove"
	"github.com/execspec/execspec/examples/syncterm"
	"github.com/execspec/execspec/examples/tcommit"
	"github.com/execspec/execspec/examples/tcp"
	"github.com/execspec/execspec/examples/twophase"
	"github.com/execspec/execspec/examples/twophase/packed"
	"github.com/execspec/execspec/examples/voting"
	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/internal/longtest"
	"github.com/execspec/execspec/machine"
)

// TestExamples compares engine configurations with the reference
// semantics on every instance of every example and init template small
// enough: every configuration on the instances of at most goTestStates
// states (BFS and DFS, with and without symmetry, with -short), and on
// those of at most crosscheck.DefaultMaxStates with EXECSPEC_LONG=1 (CI's
// long pass). Six examples have no instance that small (the DNS
// balancer, the idempotency zoo, MCLamportMutex, MCBakery, PaxosCommit and
// the Raft vote): only the long pass compares them.
func TestExamples(t *testing.T) {
	specs := map[string]func(t *testing.T){
		"allocator":          instances(allocator.Spec()),
		"alternatingbit":     instances(alternatingbit.Spec()),
		"bcastbyz":           instances(bcastbyz.Spec()),
		"diningphilosophers": instances(diningphilosophers.Spec()),
		"dnsbalancer":        instances(dnsbalancer.Spec()),
		"ewd840":             instances(ewd840.Spec()),
		"idempotency":        instances(idempotencyzoo.Spec()),
		"informergc":         instances(informergc.Spec()),
		"lamportmutex":       instances(lamportmutex.Spec()),
		"leasefence":         instances(leasefence.Spec()),
		"mcbakery":           instances(mcbakery.Spec()),
		"paxos":              instances(paxos.Spec()),
		"paxoscommit":        instances(paxoscommit.Spec()),
		"raftvote":           instances(raftvote.Spec()),
		"realtimehourclock":  instances(realtimehourclock.Spec()),
		"semisync":           instances(semisync.Spec()),
		"shardmove":          instances(shardmove.Spec()),
		"syncterm":           instances(syncterm.Spec()),
		"tcommit":            instances(tcommit.Spec()),
		"tcp":                instances(tcp.Spec()),
		"twophase":           instances(twophase.Spec()),
		"twophase/packed":    instances(packed.Spec()),
		"voting":             instances(voting.Spec()),
		// The init templates, as execspec init writes them.
		"template/controlplane": instances(controlplane.Spec()),
		"template/election":     instances(election.Spec()),
		"template/idempotency":  instances(idempotency.Spec()),
		"template/reconciler":   instances(reconciler.Spec()),
		"template/replication":  instances(replication.Spec()),
		"template/scheduler":    instances(scheduler.Spec()),
	}
	for name, run := range specs {
		t.Run(name, run)
	}
}

// goTestStates is the largest instance TestExamples compares without
// EXECSPEC_LONG: the larger ones, up to the DNS balancer's n3_5_3_fixed
// (35,574 states), would double the suite's time.
const goTestStates = 5000

func instances[S any](spec *execspec.Spec[S]) func(t *testing.T) {
	return func(t *testing.T) {
		for _, name := range spec.Instances() {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				m, err := spec.Model(name)
				if err != nil {
					t.Fatal(err)
				}
				mc, err := machine.Compile(m)
				if err != nil {
					t.Fatal(err)
				}
				// Size only as far as this run compares: sizing a larger
				// instance to skip it costs as much as a search.
				limit := crosscheck.DefaultMaxStates
				if !longtest.Enabled() {
					limit = goTestStates
				}
				// The engine sizes the instance: the reference would take
				// long to find out.
				res, err := check.Run(t.Context(), mc, check.Options{ExploreOnly: true, NoSymmetry: true, NoDeterminismCheck: true, MaxStates: int64(limit) + 1})
				if err != nil {
					t.Fatal(err)
				}
				if !res.Complete {
					if limit < crosscheck.DefaultMaxStates {
						t.Skipf("more than %d states: compared with EXECSPEC_LONG=1 (CI's long pass) up to %d", limit, crosscheck.DefaultMaxStates)
					}
					t.Skipf("more than %d states", limit)
				}
				t.Logf("%d states (no symmetry)", res.Stats.Distinct)
				quick := testing.Short() && !longtest.Enabled()
				crosscheck.Check(t, mc, crosscheck.Options{Quick: quick})
			})
		}
	}
}
