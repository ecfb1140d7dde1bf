// Package conformance tests the ACME CloudDB DNS control plane
// (examples/dnscontrol) against its executable model (examples/dnsbalancer)
// with model-based testing: execspec's flagship story, end to end.
//
// Driver is an mbt.Driver and mbt.Observer of the model's state over a
// Service: the control plane called in process (Local, see InProcess) or
// over its HTTP API (Remote: an httptest.Server, see OverHTTP, or a running
// acme server). The model's plan step writes a plan with the step's weights;
// sync, deploy and cleanup run on the picked deployer; refusals by the
// deployers' rules are mbt refusals. After every step the control plane's
// Observation, mapped onto the model's state by ToState, is compared with
// the model's, and the service's health (/healthz, and what the endpoint
// resolves to) is checked against the model's invariants.
//
// The story, as this package's tests tell it:
//
//  1. The model finds the outage: simulating n3_5_3 with seed 123 violates
//     no_inconsistent_root after 34 steps (testdata/outage.itf.json is that
//     counterexample as ITF).
//  2. Replayed against the buggy service over HTTP, the counterexample
//     agrees with the model at every step, and the service ends in the
//     outage: clouddb.us-east-1.api.acme resolves to no address, /healthz is
//     503, and no deployer can repair it, even after new plans
//     (TestFlagshipOutage).
//  3. The fix: the fixed model refuses the trace's first stale deploy, so
//     mbt.Replay rejects the trace as recorded; its steps re-executed on the
//     fixed model (refused steps marked "enabled": false) are refused by the
//     fixed service for the same reasons, agree at every step, and the
//     endpoint keeps resolving (TestFlagshipFixed).
//  4. Random traces: 1,000 traces of 50 steps against the fixed service in
//     process (100 over HTTP) conform, and the endpoint never goes down; the
//     buggy service conforms to the buggy model too, bug included, its
//     endpoint going down exactly when the model's invariant fails. Model-
//     based testing shows the implementation does what the model says; the
//     model's invariant is what says it is an outage (TestConformance*).
//  5. The second fix: the fixed design keeps the invariants but a deployer
//     behind the root is refused for ever (the model's no_stuck_deployer
//     fails on *_fixed). The service started with -live skips such a
//     deployer to the newest plan, and conforms to the *_live model
//     (TestConformanceLive).
//
// Commands:
//
//	go test ./examples/dnscontrol/conformance -run TestFlagship -v
//	go test ./examples/dnscontrol/conformance -run TestConformance -v -execspec.traces=10000
//	go test ./examples/dnscontrol/conformance -run '^$' -bench MBT -benchtime 2000x
//
// The counterexample, and testdata/outage.itf.json, come from
//
//	go run ./cmd/execspec run ./examples/dnsbalancer --instance n3_5_3 --property no_inconsistent_root --seed 123 --out-itf examples/dnscontrol/conformance/testdata/outage.itf.json
//
// Against a running server (started without -auto; its state is reset):
//
//	go run ./examples/dnscontrol/cmd/acme -dir $(mktemp -d) &
//	EXECSPEC_DNS_URL=http://127.0.0.1:8053 go test ./examples/dnscontrol/conformance -run Remote -v
//
// which runs random traces and then leaves the server at the end of the
// outage trace (open http://127.0.0.1:8053/). For a server started with
// -fixed, set EXECSPEC_DNS_INSTANCE=n3_5_3_fixed; with -live,
// EXECSPEC_DNS_INSTANCE=n3_5_3_live.
//
// The control planes of the tests live in Dir: on /dev/shm when it exists,
// where the fsyncs of every write cost nothing; on a disk they bound
// in-process testing to a few hundred steps per second.
package conformance
