package layout

import (
	"context"
	"reflect"
	"testing"

	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

func TestNames(t *testing.T) {
	if got, want := PlanName(7), "plan-007.clouddb.us-east-1.api.acme"; got != want {
		t.Errorf("PlanName(7) = %s, want %s", got, want)
	}
	if got, want := LBName(12, 3), "lb-3.plan-012.clouddb.us-east-1.api.acme"; got != want {
		t.Errorf("LBName(12, 3) = %s, want %s", got, want)
	}
	for _, id := range []int{0, 1, 42, 999, 1000} {
		if got, ok := ParsePlanName(PlanName(id)); !ok || got != id {
			t.Errorf("ParsePlanName(PlanName(%d)) = %d, %v", id, got, ok)
		}
		if p, k, ok := ParseLBName(LBName(id, 2)); !ok || p != id || k != 2 {
			t.Errorf("ParseLBName(LBName(%d, 2)) = %d, %d, %v", id, p, k, ok)
		}
	}
	for _, bad := range []string{Root, Rollback, LockName, "plan-01.clouddb.us-east-1.api.acme", "plan-0x1.clouddb.us-east-1.api.acme", "plan-001.other.api.acme", "lb-0.plan-001.clouddb.us-east-1.api.acme", "lb-.plan-001.clouddb.us-east-1.api.acme"} {
		if _, ok := ParsePlanName(bad); ok {
			t.Errorf("ParsePlanName(%s) accepted", bad)
		}
		if _, _, ok := ParseLBName(bad); ok {
			t.Errorf("ParseLBName(%s) accepted", bad)
		}
	}
}

func TestLock(t *testing.T) {
	l := InitialLock().Next("deployer-a")
	if got, want := l.String(), "owner=deployer-a epoch=1"; got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
	if got, err := ParseLock(l.String()); err != nil || got != l {
		t.Fatalf("ParseLock round trip = %v, %v", got, err)
	}
	for _, bad := range []string{"", "owner=a", "owner= epoch=1", "owner=a epoch=-1", "owner=a epoch=x", "epoch=1 owner=a", "owner=a epoch=1 x"} {
		if _, err := ParseLock(bad); err == nil {
			t.Errorf("ParseLock(%q) accepted", bad)
		}
	}
}

func TestValidDeployerName(t *testing.T) {
	for _, ok := range []string{"deployer-a", "d1", "a"} {
		if err := ValidDeployerName(ok); err != nil {
			t.Errorf("ValidDeployerName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "none", "-a", "A", "a b", "a/b", "..", "a=b"} {
		if err := ValidDeployerName(bad); err == nil {
			t.Errorf("ValidDeployerName(%q) accepted", bad)
		}
	}
}

func TestPlanTreeRoundTrip(t *testing.T) {
	ips := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}
	weights := map[string]int{"192.0.2.1": 100, "192.0.2.3": 120}
	records, err := PlanRecords(4, weights, ips)
	if err != nil {
		t.Fatal(err)
	}
	want := []wormhole53.Record{
		{Name: PlanName(4), Type: wormhole53.TypeAlias, Targets: []wormhole53.Target{{Name: LBName(4, 1), Weight: 100}, {Name: LBName(4, 3), Weight: 120}}},
		{Name: LBName(4, 1), Type: wormhole53.TypeA, Value: "192.0.2.1"},
		{Name: LBName(4, 3), Type: wormhole53.TypeA, Value: "192.0.2.3"},
	}
	if !reflect.DeepEqual(records, want) {
		t.Fatalf("PlanRecords = %v, want %v", records, want)
	}
	store, err := wormhole53.NewMemory(Zone)
	if err != nil {
		t.Fatal(err)
	}
	var batch []wormhole53.Change
	for _, r := range append(InitialRecords(), records...) {
		batch = append(batch, wormhole53.Change{Action: wormhole53.Create, Record: r})
	}
	if err := store.Apply(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	trees, err := ReadTrees(store, ips)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(trees, map[int]map[string]int{4: weights}) {
		t.Fatalf("ReadTrees = %v", trees)
	}
	if got := TreeRecords(store, 4); !reflect.DeepEqual(got, []wormhole53.Record{want[1], want[2], want[0]}) {
		t.Fatalf("TreeRecords = %v", got)
	}
	for name, want := range map[string]int{PlanName(4): 4, LBName(4, 2): 4, "x.y." + PlanName(12): 12, Root: -1, LockName: -1} {
		if got, ok := TreeOf(name); (ok && got != want) || (!ok && want != -1) {
			t.Errorf("TreeOf(%s) = %d, %v; want %d", name, got, ok, want)
		}
	}
	if !TreeExists(store, 4) || !TreeExists(store, Placeholder) || TreeExists(store, 3) {
		t.Fatalf("TreeExists is wrong")
	}
	if root, err := ReadAlias(store, Root); err != nil || root != Placeholder {
		t.Fatalf("ReadAlias(Root) = %d, %v", root, err)
	}
	if l, err := ReadLock(store); err != nil || l != InitialLock() {
		t.Fatalf("ReadLock = %v, %v", l, err)
	}
	if _, err := PlanRecords(5, map[string]int{"198.51.100.1": 1}, ips); err == nil {
		t.Fatalf("PlanRecords accepted an unknown IP")
	}
}
