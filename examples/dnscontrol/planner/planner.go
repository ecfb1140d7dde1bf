// Package planner writes the immutable, numbered plans of the CloudDB control
// plane. Plan n lives in the file plan-00000n.json of the planner's directory;
// it is written once, atomically, and never rewritten.
//
// A plan gives each chosen load-balancer IP a positive weight. The IPs must be
// among the known IPs the planner was opened with, whose order names the load
// balancers (lb-1, lb-2, ...) in the zone.
package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
)

// Plan is one immutable plan: a weight for each of its load-balancer IPs.
type Plan struct {
	ID      int            `json:"id"`
	Weights map[string]int `json:"weights"`
}

// Errors the planner wraps; test them with errors.Is.
var (
	ErrInvalidPlan = errors.New("invalid plan")      // bad weights
	ErrNotFound    = errors.New("plan not found")    // Get of a missing plan
	ErrExists      = errors.New("plan file exists")  // a plan would be rewritten
	ErrCorrupt     = errors.New("corrupt plan file") // a plan file cannot be read back
)

// Planner creates and reads plans in one directory. It is safe for concurrent
// use within a process.
type Planner struct {
	mu  sync.Mutex // serializes Create
	dir string
	ips []string
}

// Open returns a planner for dir, creating the directory if needed. ips are
// the known load-balancer IPs, in load-balancer order.
func Open(dir string, ips []string) (*Planner, error) {
	if err := validateIPs(ips); err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("planner: create directory: %w", err)
	}
	return &Planner{dir: dir, ips: slices.Clone(ips)}, nil
}

// IPs returns the known load-balancer IPs in load-balancer order.
func (p *Planner) IPs() []string { return slices.Clone(p.ips) }

// Create validates weights and writes them as the next plan, numbered one
// more than the highest existing plan, and returns it.
func (p *Planner) Create(weights map[string]int) (Plan, error) {
	if err := p.Validate(weights); err != nil {
		return Plan{}, fmt.Errorf("planner: create: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	ids, err := p.ids()
	if err != nil {
		return Plan{}, fmt.Errorf("planner: create: %w", err)
	}
	plan := Plan{ID: 1, Weights: maps.Clone(weights)}
	if len(ids) > 0 {
		plan.ID = ids[len(ids)-1] + 1
	}
	if err := p.write(plan); err != nil {
		return Plan{}, fmt.Errorf("planner: create: %w", err)
	}
	return plan, nil
}

// write writes plan's file, which must not exist yet.
func (p *Planner) write(plan Plan) error {
	data, err := json.MarshalIndent(plan, "", "  ")
	if err != nil {
		return fmt.Errorf("encode plan %d: %w", plan.ID, err)
	}
	err = atomicfile.Create(p.path(plan.ID), append(data, '\n'), 0o444)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("plan %d: %w: %w", plan.ID, ErrExists, err)
	}
	if err != nil {
		return fmt.Errorf("plan %d: %w", plan.ID, err)
	}
	return nil
}

// Get reads plan id from its file.
func (p *Planner) Get(id int) (Plan, error) {
	data, err := os.ReadFile(p.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return Plan{}, fmt.Errorf("planner: plan %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("planner: read plan %d: %w", id, err)
	}
	var plan Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		return Plan{}, fmt.Errorf("planner: plan %d: %w: %v", id, ErrCorrupt, err)
	}
	if plan.ID != id {
		return Plan{}, fmt.Errorf("planner: plan %d: %w: file holds id %d", id, ErrCorrupt, plan.ID)
	}
	if err := p.Validate(plan.Weights); err != nil {
		return Plan{}, fmt.Errorf("planner: plan %d: %w: %w", id, ErrCorrupt, err)
	}
	return plan, nil
}

// List reads every plan, sorted by id.
func (p *Planner) List() ([]Plan, error) {
	ids, err := p.ids()
	if err != nil {
		return nil, fmt.Errorf("planner: list: %w", err)
	}
	plans := make([]Plan, 0, len(ids))
	for _, id := range ids {
		plan, err := p.Get(id)
		if err != nil {
			return nil, err
		}
		plans = append(plans, plan)
	}
	return plans, nil
}

// Latest returns the newest plan, or ErrNotFound when there is none.
func (p *Planner) Latest() (Plan, error) {
	ids, err := p.ids()
	if err != nil {
		return Plan{}, fmt.Errorf("planner: latest: %w", err)
	}
	if len(ids) == 0 {
		return Plan{}, fmt.Errorf("planner: latest: %w", ErrNotFound)
	}
	return p.Get(ids[len(ids)-1])
}

// ids returns the ids of the plan files in the directory, sorted.
func (p *Planner) ids() ([]int, error) {
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return nil, fmt.Errorf("read plan directory: %w", err)
	}
	var ids []int
	for _, e := range entries {
		if id, ok := parseFileName(e.Name()); ok && e.Type().IsRegular() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// path returns the file of plan id.
func (p *Planner) path(id int) string { return filepath.Join(p.dir, FileName(id)) }

// FileName returns the file name of plan id, e.g. plan-000001.json.
func FileName(id int) string { return fmt.Sprintf("plan-%06d.json", id) }

// IsFileName reports whether name is the file name of a plan.
func IsFileName(name string) bool {
	_, ok := parseFileName(name)
	return ok
}

// parseFileName returns the id of a plan file name.
func parseFileName(name string) (int, bool) {
	var id int
	if _, err := fmt.Sscanf(name, "plan-%d.json", &id); err != nil || id < 1 || name != FileName(id) {
		return 0, false
	}
	return id, true
}

// sortedIPs returns the keys of weights, sorted, for error messages.
func sortedIPs(weights map[string]int) string {
	ips := make([]string, 0, len(weights))
	for ip := range weights {
		ips = append(ips, ip)
	}
	slices.Sort(ips)
	return strings.Join(ips, ", ")
}
