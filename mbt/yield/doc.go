// Package yield marks the points in an implementation where concurrent
// model-based testing (mbt.RunConcurrent with a controlled scheduler) may
// switch from one client to another.
//
// A narrow race, such as a check and a write under two separate lock
// holds, shows up under the Go runtime's scheduler only by luck: the
// window between the two is a few instructions wide. With yield points
// the scheduler runs one client at a time, from point to point, and
// chooses who runs next (at random, or by PCT's priorities with change
// points), so a window between two points is as likely to be interleaved
// as any other, and a failing interleaving replays from its seed.
//
// # Marking points
//
// Call Point with the context the operation runs under (the one the
// driver's Do received, passed down) and a label that says where it is:
//
//	func (q *Queue) Complete(ctx context.Context, job, worker string) error {
//		q.leaseMu.Lock()
//		yield.Point(ctx, "complete: lease locked")
//		ok := q.leases[job] == worker
//		q.leaseMu.Unlock()
//		yield.Point(ctx, "complete: lease checked")
//		...
//
// Place a point before and after each lock, and before and after each
// read and each write of shared state: the scheduler can only switch
// clients at points, so an access with no point between it and the next
// is atomic to it. Points cost nothing in code that does not run under
// the scheduler's context: Point returns at once.
//
// # The build tag
//
// Point does something only in builds with the execspec_yield build tag
// (go test -tags execspec_yield ...). Without it, Enabled is the constant
// false and Point is an empty function the compiler inlines away, so
// points can stay in production code. Always yields regardless of the
// tag, for code (a test double) that wants points in every build.
//
// # Clients that block
//
// A client paused at a point may hold a real lock, and the client the
// scheduler runs next may block on it, outside any point. The scheduler
// does not control sync.Mutex, channels or I/O, so it watches for this:
// when the running client has not reached its next point after a short
// wait, it reads the goroutines' states (runtime.Stack) and, if the
// client is blocked on a lock, a channel, a select or a condition, sets it
// aside and runs another. A set-aside client joins the schedule again at
// its next point; before every choice the scheduler waits until each
// set-aside client has either reached a point or is blocked, so the
// choices (and the schedule) stay a function of the seed. A client that
// neither reaches a point nor blocks (a long computation, a network call)
// is set aside after a watchdog bound, at the cost of determinism; one
// that never ends hangs the run as it would without the scheduler.
//
// Points are attributed to a client through the context: call Point from
// the goroutine that runs the operation (or from one goroutine at a time
// on its behalf). A Point reached with a context that carries no client
// (a background goroutine, an HTTP handler's request context) returns at
// once.
package yield
