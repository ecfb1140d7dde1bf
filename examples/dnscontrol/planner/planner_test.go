package planner

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var ips = []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}

func open(t *testing.T) (*Planner, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "plans")
	p, err := Open(dir, ips)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return p, dir
}

func TestNumbering(t *testing.T) {
	p, dir := open(t)
	if plans, err := p.List(); err != nil || len(plans) != 0 {
		t.Fatalf("List of a new planner = %v, %v", plans, err)
	}
	var want []Plan
	for i, w := range []map[string]int{
		{"192.0.2.1": 100},
		{"192.0.2.2": 110, "192.0.2.3": 120},
		{"192.0.2.1": 101, "192.0.2.2": 102, "192.0.2.3": 103},
	} {
		plan, err := p.Create(w)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if plan.ID != i+1 {
			t.Fatalf("plan id = %d, want %d", plan.ID, i+1)
		}
		want = append(want, Plan{ID: i + 1, Weights: w})
	}
	// A new planner on the same directory continues the numbering.
	p2, err := Open(dir, ips)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p2.List()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("List = %v, %v; want %v", got, err, want)
	}
	if plan, err := p2.Create(map[string]int{"192.0.2.3": 1}); err != nil || plan.ID != 4 {
		t.Fatalf("Create after reopen = %v, %v; want id 4", plan, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "plan-000004.json")); err != nil {
		t.Fatalf("plan file: %v", err)
	}
	if _, err := p2.Get(9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(9) error = %v, want ErrNotFound", err)
	}
}

func TestImmutable(t *testing.T) {
	p, dir := open(t)
	if _, err := p.Create(map[string]int{"192.0.2.1": 100}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName(1))
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Rewriting plan 1 is refused at the file layer, whatever the caller.
	if err := p.write(Plan{ID: 1, Weights: map[string]int{"192.0.2.2": 7}}); !errors.Is(err, ErrExists) {
		t.Fatalf("rewriting plan 1: error = %v, want ErrExists", err)
	}
	// Files that are not plans are ignored by the numbering.
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if plan, err := p.Create(map[string]int{"192.0.2.2": 1}); err != nil || plan.ID != 2 {
		t.Fatalf("Create = %v, %v; want plan 2", plan, err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Fatalf("plan 1 was rewritten:\n%s\n%s", before, after)
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name    string
		weights map[string]int
	}{
		{"nil", nil},
		{"empty", map[string]int{}},
		{"unknown IP", map[string]int{"198.51.100.7": 100}},
		{"not an IP", map[string]int{"lb-1": 100}},
		{"zero weight", map[string]int{"192.0.2.1": 0}},
		{"negative weight", map[string]int{"192.0.2.1": 100, "192.0.2.2": -5}},
		{"huge weight", map[string]int{"192.0.2.1": MaxWeight + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, dir := open(t)
			if _, err := p.Create(tt.weights); !errors.Is(err, ErrInvalidPlan) {
				t.Fatalf("Create error = %v, want ErrInvalidPlan", err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Fatalf("an invalid plan left %d files", len(entries))
			}
		})
	}
	for _, bad := range [][]string{nil, {"192.0.2.1", "192.0.2.1"}, {"nope"}} {
		if _, err := Open(t.TempDir(), bad); err == nil {
			t.Errorf("Open accepted known IPs %v", bad)
		}
	}
}

func TestCorruptPlanFile(t *testing.T) {
	p, dir := open(t)
	if err := os.WriteFile(filepath.Join(dir, FileName(1)), []byte(`{"id":2,"weights":{"192.0.2.1":1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(1); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Get error = %v, want ErrCorrupt", err)
	}
	if _, err := p.List(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("List error = %v, want ErrCorrupt", err)
	}
}

// TestLatest: the newest plan, and ErrNotFound before the first.
func TestLatest(t *testing.T) {
	p, _ := open(t)
	if _, err := p.Latest(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Latest with no plan: %v, want ErrNotFound", err)
	}
	for want := 1; want <= 3; want++ {
		if _, err := p.Create(map[string]int{ips[0]: 100 + want}); err != nil {
			t.Fatal(err)
		}
		got, err := p.Latest()
		if err != nil || got.ID != want || got.Weights[ips[0]] != 100+want {
			t.Fatalf("Latest = %+v, %v; want plan %d", got, err, want)
		}
	}
}
