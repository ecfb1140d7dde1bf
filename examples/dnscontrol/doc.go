// Package dnscontrol is the real implementation of the ACME CloudDB DNS
// control plane, the flagship example of execspec.
//
// The endpoint clouddb.us-east-1.api.acme is served by a DNS zone that a
// planner and several independent deployers keep up to date. Its shape follows
// the public post-incident summary of the October 2025 us-east-1 DNS outage: a
// slow deployer applies an old plan just as a fast deployer's cleanup deletes
// that plan's records, and the endpoint stops resolving with no way back.
//
// The sub-packages are:
//
//   - wormhole53: a persistent DNS store for one zone with all-or-nothing
//     change batches and weighted alias resolution;
//   - layout: the record names and values of the CloudDB zone (root, rollback,
//     lock and plan trees);
//   - planner: immutable, numbered plan files;
//   - deployer: a deployer's sync, deploy and cleanup actions and its
//     persisted state;
//   - controlplane: ties them together behind a Go API and an HTTP handler
//     (status page, health check, resolver and the model-based testing API);
//   - autopilot: runs the planner and the deployers on timers, with an injected
//     clock and a seeded random source;
//   - cmd/acme: the server binary;
//   - conformance: the model-based tests of the control plane against the
//     model, and the flagship story end to end.
//
// The executable model with the same semantics is examples/dnsbalancer;
// model-based tests compare the two step by step through the Observation of
// package controlplane.
package dnscontrol
