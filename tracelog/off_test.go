//go:build !execspec_tracelog

package tracelog_test

import (
	"bytes"
	"testing"

	"github.com/execspec/execspec/tracelog"
)

// TestOffBuildLogsNothing: without the build tag, Step writes nothing and
// costs no allocation.
func TestOffBuildLogsNothing(t *testing.T) {
	if tracelog.Enabled {
		t.Fatal("Enabled is true without the execspec_tracelog tag")
	}
	var buf bytes.Buffer
	tracelog.SetOutput(&buf)
	defer tracelog.SetOutput(nil)
	name := "a"
	allocs := testing.AllocsPerRun(100, func() {
		tracelog.Step("inc", tracelog.Pick("client", name), tracelog.Var("count", 300))
	})
	if allocs != 0 || buf.Len() != 0 || tracelog.Err() != nil {
		t.Errorf("%v allocations, %d bytes written", allocs, buf.Len())
	}
}

// BenchmarkStepOff measures a Step call in a build without the tag.
func BenchmarkStepOff(b *testing.B) {
	name := "a"
	for b.Loop() {
		tracelog.Step("inc", tracelog.Pick("client", name), tracelog.Var("count", 300))
	}
}
