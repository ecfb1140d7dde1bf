package yield

import "context"

// A Yielder is what a controlled client's context carries: Yield blocks
// until the scheduler lets the client run again. RunConcurrent installs
// one per client; implementations never call it directly.
type Yielder interface {
	Yield(label string)
}

type yielderKey struct{}

// With returns a context whose points yield to y.
func With(ctx context.Context, y Yielder) context.Context {
	return context.WithValue(ctx, yielderKey{}, y)
}

// Always is Point in every build, with or without the execspec_yield tag.
func Always(ctx context.Context, label string) {
	if ctx == nil {
		return
	}
	if y, ok := ctx.Value(yielderKey{}).(Yielder); ok {
		y.Yield(label)
	}
}
