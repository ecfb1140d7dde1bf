package autopilot

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Config sets the autopilot's rhythm. Deployers and IPs are required; other
// zero fields take the defaults of DefaultConfig.
type Config struct {
	Deployers []string // deployers to drive
	IPs       []string // load-balancer IPs plans choose from

	PlanEvery  time.Duration // mean time between two plans
	PlanJitter time.Duration // each plan interval varies by up to ± this
	MaxPlans   int           // stop planning after this many plans (0: never)
	MinWeight  int           // smallest weight a plan gives an IP
	MaxWeight  int           // largest weight a plan gives an IP

	CycleEvery  time.Duration // mean time between a deployer's cleanup and its next sync
	CycleJitter time.Duration // each cycle interval varies by up to ± this
	Think       time.Duration // delay from sync to deploy, and from deploy to cleanup

	// Slow names a deployer that waits SlowDelay (± CycleJitter) between its
	// sync and its deploy, so it falls behind: the production setting of the
	// outage. "" for none.
	Slow      string
	SlowDelay time.Duration

	_ struct{} // forces keyed literals
}

// DefaultConfig returns the default rhythm for deployers and ips: a plan
// every 10s±3s, deployer cycles every 2s±1s with 100ms between steps, weights
// 100..120 and, for a slow deployer, 7s between its sync and its deploy.
func DefaultConfig(deployers, ips []string) Config {
	return Config{
		Deployers:   deployers,
		IPs:         ips,
		PlanEvery:   10 * time.Second,
		PlanJitter:  3 * time.Second,
		MinWeight:   100,
		MaxWeight:   120,
		CycleEvery:  2 * time.Second,
		CycleJitter: time.Second,
		Think:       100 * time.Millisecond,
		SlowDelay:   7 * time.Second,
	}
}

// withDefaults validates cfg and fills its zero fields.
func (cfg Config) withDefaults() (Config, error) {
	if len(cfg.Deployers) == 0 || len(cfg.IPs) == 0 {
		return Config{}, errors.New("autopilot: config needs deployers and IPs")
	}
	d := DefaultConfig(slices.Clone(cfg.Deployers), slices.Clone(cfg.IPs))
	d.MaxPlans, d.Slow = cfg.MaxPlans, cfg.Slow
	for _, f := range []struct{ dst, src *time.Duration }{
		{&d.PlanEvery, &cfg.PlanEvery}, {&d.PlanJitter, &cfg.PlanJitter},
		{&d.CycleEvery, &cfg.CycleEvery}, {&d.CycleJitter, &cfg.CycleJitter},
		{&d.Think, &cfg.Think}, {&d.SlowDelay, &cfg.SlowDelay},
	} {
		if *f.src < 0 {
			return Config{}, fmt.Errorf("autopilot: negative duration %v", *f.src)
		}
		if *f.src != 0 {
			*f.dst = *f.src
		}
	}
	if cfg.MinWeight != 0 {
		d.MinWeight = cfg.MinWeight
	}
	if cfg.MaxWeight != 0 {
		d.MaxWeight = cfg.MaxWeight
	}
	if d.MinWeight < 1 || d.MaxWeight < d.MinWeight {
		return Config{}, fmt.Errorf("autopilot: weights %d..%d: want 1 <= min <= max", d.MinWeight, d.MaxWeight)
	}
	if d.Slow != "" && !slices.Contains(d.Deployers, d.Slow) {
		return Config{}, fmt.Errorf("autopilot: slow deployer %q is not among %v", d.Slow, d.Deployers)
	}
	return d, nil
}
