// Package leasequeue shows sequential model-based testing of an
// implementation that chooses values itself: a job queue that leases jobs
// to workers for a fixed number of ticks, and decides which job a claim
// gets and whether a completion still counts.
//
// The model (New) cannot know which free job the queue hands out, and
// should not pick one and insist: it declares the pick an output. Claim
// picks the worker (an input), then the job (the output "job") among those
// not done whose lease is absent or over; complete picks the worker (an
// input; the worker completes the job it holds) and whether the completion
// counted (the output "ok": exactly when the worker's lease is still
// live). With mbt.Options{Outputs: []string{"job", "ok"}} the driver
// (an mbt.OutputDriver) hands the queue the inputs and returns what the
// queue answered (mbt.Output), and the model takes the branch with those
// answers: any free job is a right answer, a leased one is a divergence.
// Each next step is drawn from the state the queue's answers led to, and a
// step is proposed for refusal only when no answer would make it right.
//
// A lease taken at tick t with a TTL of d ticks is live while now < t+d.
// The planted bug (Queue with LateExpiry set) counts a lease expired one
// tick late, at now > t+d: at tick t+d the queue still honours the old
// holder's completion, and refuses to hand the job to another worker when
// it is the only free one. Model-based testing with the default options
// finds it and shrinks it to a few steps; the fixed queue passes
// (leasequeue_test.go).
//
//	go test ./examples/leasequeue -v
package leasequeue
