package controlplane

import (
	"errors"
	"fmt"
	"slices"

	"github.com/execspec/execspec/examples/dnscontrol/deployer"
	"github.com/execspec/execspec/examples/dnscontrol/layout"
)

// Defaults applied to a zero Config field.
var (
	// DefaultDeployers are the deployers of the workshop scenario.
	DefaultDeployers = []string{"deployer-a", "deployer-b", "deployer-c"}
	// DefaultIPs are the load-balancer IPs, from the documentation range
	// 192.0.2.0/24: they are only ever written to the zone, never connected to.
	DefaultIPs = []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}
)

// Config configures a control plane. Only Dir is required; other zero fields
// take their defaults.
type Config struct {
	// Dir holds the zone file, the plans and the deployers' state files.
	Dir string
	// Deployers names the deployers (default DefaultDeployers).
	Deployers []string
	// IPs lists the known load-balancer IPs; IPs[K-1] is load balancer lb-K
	// (default DefaultIPs).
	IPs []string
	// Keep is the number of recent plans a cleanup keeps (default
	// deployer.DefaultKeep).
	Keep int
	// Fixed turns on the guards that prevent the outage.
	Fixed bool
	// Hosts are the host names or addresses, besides loopback ones, that
	// the HTTP interface answers to in the Host header: the listen
	// address's host and any the operator allows. See Handler.
	Hosts []string
	// Live adds to Fixed (which it implies) the second fix: a deployer
	// that fell behind the root skips to the newest plan instead of being
	// refused as stale for ever.
	Live bool
}

// withDefaults validates cfg and returns a copy with defaults applied.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Dir == "" {
		return Config{}, errors.New("config: Dir is required")
	}
	if len(cfg.Deployers) == 0 {
		cfg.Deployers = DefaultDeployers
	}
	if len(cfg.IPs) == 0 {
		cfg.IPs = DefaultIPs
	}
	if cfg.Keep == 0 {
		cfg.Keep = deployer.DefaultKeep
	}
	if cfg.Live {
		cfg.Fixed = true
	}
	if cfg.Keep < 0 {
		return Config{}, fmt.Errorf("config: Keep %d is negative", cfg.Keep)
	}
	cfg.Deployers = slices.Clone(cfg.Deployers)
	cfg.IPs = slices.Clone(cfg.IPs)
	cfg.Hosts = slices.Clone(cfg.Hosts)
	for i, name := range cfg.Deployers {
		if err := layout.ValidDeployerName(name); err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		if slices.Contains(cfg.Deployers[:i], name) {
			return Config{}, fmt.Errorf("config: deployer %s listed twice", name)
		}
	}
	return cfg, nil
}
