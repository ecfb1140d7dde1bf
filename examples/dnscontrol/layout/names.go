// Package layout defines the records of the ACME CloudDB zone: the names of
// the root alias, the rollback alias, the lock TXT record and the plan trees,
// the lock value format, and helpers that build and read them in a
// wormhole53 store.
//
// Plan p's tree is an ALIAS plan-NNN.clouddb.us-east-1.api.acme (NNN is p
// zero-padded to three digits) with one weighted target
// lb-K.plan-NNN.clouddb.us-east-1.api.acme per load balancer, K being the
// 1-based index of the load balancer's IP among the known IPs; each target is
// an A record holding that IP. Plan 0 is the initial placeholder: it has no
// records and always counts as existing.
package layout

import (
	"fmt"
	"strconv"
	"strings"
)

// Record names of the CloudDB endpoint in zone api.acme.
const (
	Zone     = "api.acme"                  // the hosted zone
	Root     = "clouddb.us-east-1." + Zone // the endpoint clients resolve
	Rollback = "rollback." + Root          // alias to the previous plan
	LockName = "_lock." + Root             // TXT record fencing deployers
	planPfx  = "plan-"                     // label prefix of a plan tree
	lbPfx    = "lb-"                       // label prefix of a load balancer
	rootSfx  = "." + Root                  // suffix of every plan tree name
)

// Placeholder is the id of the initial plan, which has no records.
const Placeholder = 0

// PlanName returns the name of plan id's alias, e.g. plan-007.clouddb.us-east-1.api.acme.
func PlanName(id int) string { return fmt.Sprintf("%s%03d%s", planPfx, id, rootSfx) }

// LBName returns the name of the k-th (1-based) load balancer of plan id.
func LBName(id, k int) string { return fmt.Sprintf("%s%d.%s", lbPfx, k, PlanName(id)) }

// ParsePlanName returns the plan id named by a plan alias name.
func ParsePlanName(name string) (int, bool) {
	label, ok := strings.CutSuffix(name, rootSfx)
	if !ok {
		return 0, false
	}
	digits, ok := strings.CutPrefix(label, planPfx)
	if !ok || len(digits) < 3 {
		return 0, false
	}
	return parseNumber(digits)
}

// ParseLBName returns the plan id and 1-based index of a load balancer name.
func ParseLBName(name string) (id, k int, ok bool) {
	lb, plan, found := strings.Cut(name, ".")
	if !found {
		return 0, 0, false
	}
	if id, ok = ParsePlanName(plan); !ok {
		return 0, 0, false
	}
	digits, found := strings.CutPrefix(lb, lbPfx)
	if !found {
		return 0, 0, false
	}
	if k, ok = parseNumber(digits); !ok || k < 1 {
		return 0, 0, false
	}
	return id, k, true
}

// parseNumber parses a non-negative decimal made of ASCII digits only.
func parseNumber(s string) (int, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
