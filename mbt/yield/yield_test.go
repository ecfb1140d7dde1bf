package yield_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/mbt/yield"
)

type recorder struct{ labels []string }

func (r *recorder) Yield(label string) { r.labels = append(r.labels, label) }

// TestPoints: Always yields to the context's Yielder in every build, Point
// only with the execspec_yield tag, and neither needs a Yielder.
func TestPoints(t *testing.T) {
	r := &recorder{}
	ctx := yield.With(context.Background(), r)
	yield.Always(ctx, "a")
	yield.Point(ctx, "b")
	yield.Always(context.Background(), "no yielder")
	yield.Point(context.Background(), "no yielder")
	yield.Always(nil, "no context") // a nil context must not panic
	want := []string{"a"}
	if yield.Enabled {
		want = append(want, "b")
	}
	if len(r.labels) != len(want) || r.labels[0] != "a" || (yield.Enabled && r.labels[1] != "b") {
		t.Errorf("yielded %q, want %q", r.labels, want)
	}
}

// TestPointCostsNothingOff: without the tag a point allocates nothing.
func TestPointCostsNothingOff(t *testing.T) {
	if yield.Enabled {
		t.Skip("this build has yield points")
	}
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { yield.Point(ctx, "x") }); n != 0 {
		t.Errorf("%v allocations per point", n)
	}
}
