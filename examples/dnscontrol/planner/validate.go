package planner

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/execspec/execspec/examples/dnscontrol/wormhole53"
)

// MaxWeight is the largest weight a plan may give a load balancer.
const MaxWeight = wormhole53.MaxWeight

// Validate checks weights against the known IPs: at least one IP, each known,
// each weight in 1..MaxWeight. Errors wrap ErrInvalidPlan.
func (p *Planner) Validate(weights map[string]int) error {
	if len(weights) == 0 {
		return fmt.Errorf("%w: no load-balancer IPs", ErrInvalidPlan)
	}
	var unknown []string
	for ip, w := range weights {
		if !slices.Contains(p.ips, ip) {
			unknown = append(unknown, ip)
			continue
		}
		if w < 1 || w > MaxWeight {
			return fmt.Errorf("%w: weight %d of %s not in 1..%d", ErrInvalidPlan, w, ip, MaxWeight)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("%w: unknown IPs %v (known: %v; plan has %s)", ErrInvalidPlan, unknown, p.ips, sortedIPs(weights))
	}
	return nil
}

// validateIPs checks the known IPs: at least one, each a valid address, no
// duplicates.
func validateIPs(ips []string) error {
	if len(ips) == 0 {
		return fmt.Errorf("no known load-balancer IPs")
	}
	seen := map[string]bool{}
	for _, ip := range ips {
		if _, err := netip.ParseAddr(ip); err != nil {
			return fmt.Errorf("known IP %q: %w", ip, err)
		}
		if seen[ip] {
			return fmt.Errorf("known IP %s listed twice", ip)
		}
		seen[ip] = true
	}
	return nil
}
