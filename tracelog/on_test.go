//go:build execspec_tracelog

package tracelog_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/execspec/execspec/tracelog"
)

// TestOnBuildLogs: with the build tag, Step writes events that validate.
func TestOnBuildLogs(t *testing.T) {
	if !tracelog.Enabled {
		t.Fatal("Enabled is false with the execspec_tracelog tag")
	}
	var buf bytes.Buffer
	tracelog.SetOutput(&buf)
	tracelog.Step("inc", tracelog.Pick("client", "a"), tracelog.Var("count", 2))
	tracelog.SetOutput(nil)
	tracelog.Step("inc") // not logged: no output
	if err := tracelog.Err(); err != nil {
		t.Fatal(err)
	}
	tr, err := tracelog.ReadLog(&buf)
	if err != nil || len(tr.States) != 1 {
		t.Fatalf("%v, %v", tr, err)
	}
	rep, err := tracelog.Validate(context.Background(), counterModel(), tr, tracelog.Options{})
	if err != nil || !rep.Valid() {
		t.Fatalf("%v, %v", rep, err)
	}
}
