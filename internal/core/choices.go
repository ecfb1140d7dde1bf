package core

// Odometer is a Choices that enumerates every sequence of choices an action
// can make, depth-first, as a mixed-radix counter whose digits and radixes
// are discovered by running the action: execute the action with it, then
// call Next, and repeat while Next returns true. Picks directed by recorded
// values (machine.Executor.Direct) ask it for nothing, so they do not disturb
// it.
// machine.Executor.Enumerate is built on it; engines that need every
// branch, disabled ones included, use it with machine.Executor.Exec, and
// the refinement checker to run the high model.
type Odometer struct {
	path  []int
	sizes []int
	pos   int
}

// Reset starts the enumeration over.
func (o *Odometer) Reset() { o.path, o.sizes, o.pos = o.path[:0], o.sizes[:0], 0 }

// Next moves to the next sequence of choices after an execution; false when
// every sequence has been run.
func (o *Odometer) Next() bool { return o.Advance(o.pos) }

// Used is how many choices the last execution asked for.
func (o *Odometer) Used() int { return o.pos }

// Choose implements Choices.
func (o *Odometer) Choose(n int) int {
	if o.pos < len(o.path) {
		i := o.path[o.pos]
		o.sizes[o.pos] = n
		o.pos++
		if i >= n {
			return n - 1
		}
		return i
	}
	o.path = append(o.path, 0)
	o.sizes = append(o.sizes, n)
	o.pos++
	return 0
}

// Advance moves to the next choice sequence, keeping the first used choices
// of the last execution as the prefix to count on from (Next keeps all it
// used; fewer skip the other values of the choices left out).
func (o *Odometer) Advance(used int) bool {
	if used < len(o.path) {
		o.path, o.sizes = o.path[:used], o.sizes[:used]
	}
	o.pos = 0
	for len(o.path) > 0 {
		last := len(o.path) - 1
		o.path[last]++
		if o.path[last] < o.sizes[last] {
			return true
		}
		o.path, o.sizes = o.path[:last], o.sizes[:last]
	}
	return false
}

// ReplayPath returns a Choices that replays the choice indices p from its
// start (an index beyond a pick's range chooses its last value); past its
// end it chooses 0.
func ReplayPath(p []int) Choices { return &pathReader{p: p} }

type pathReader struct {
	p   []int
	pos int
}

func (r *pathReader) Choose(n int) int {
	if r.pos >= len(r.p) {
		r.pos++
		return 0
	}
	i := r.p[r.pos]
	r.pos++
	return min(i, n-1)
}
