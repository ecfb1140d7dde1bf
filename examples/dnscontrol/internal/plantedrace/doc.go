// Package plantedrace switches on a race planted in the control plane, for
// the test that shows concurrent model-based testing finds it. It is on
// only in builds with the dnsrace build tag:
//
//	go test -tags 'dnsrace execspec_yield' ./examples/dnscontrol/conformance -run Concurrent
//
// With the tag, the control plane stops serializing the deployers' sync,
// deploy and cleanup (they share a read lock), and the zone store drops its
// lock around a batch: it validates the batch against a snapshot taken
// under the lock and commits it under the lock again later, so two
// concurrent batches can both pass the lock's compare-and-swap fence and
// the second overwrites the first. The test also needs the execspec_yield
// tag: the race's window lies inside one call to the store, and the
// yield points there let a controlled scheduler open it on any machine.
// Without the tag On is the constant false and the compiler removes the
// planted code from every build.
package plantedrace
