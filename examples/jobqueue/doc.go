// Package jobqueue is a job queue with a narrow race, for concurrent
// model-based testing with controlled interleavings (mbt.RunConcurrent
// with a PCT or random scheduler, and yield points from package
// mbt/yield).
//
// Workers lease a job, then complete it; a reaper expires leases. Queue
// keeps the leases and the jobs' states under two separate locks, and its
// Complete checks the lease under the first and writes "done" under the
// second: between the two, the reaper may expire the lease and another
// worker lease the job, and the first worker still marks it done. The
// window is a few instructions wide, so the Go runtime's scheduler almost
// never interleaves it (no sleep widens it here). Fixed, Complete holds
// the lease lock across the write.
//
// The model (New) is the sequential specification: a job is idle, pending,
// leased by one worker, or done; enqueue makes an idle or done job
// pending, lease takes a pending one, complete finishes the caller's own
// lease, expire returns a leased job to pending. Every operation the model
// does not allow must be refused.
//
// Queue marks yield points before and after each lock and around each
// read and write of shared state (yield.Point): in builds with the
// execspec_yield tag the scheduler switches clients there.
//
//	go test -tags execspec_yield ./examples/jobqueue -v   # the race, found and replayed
//	go test ./examples/jobqueue -v                        # without points: the fixed queue passes
package jobqueue
