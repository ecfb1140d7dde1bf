//go:build execspec_tracelog

package conformance_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/execspec/execspec/examples/dnsbalancer"
	"github.com/execspec/execspec/examples/dnscontrol/conformance"
	"github.com/execspec/execspec/examples/dnscontrol/controlplane"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/tracelog"
)

// TestTraceLogOfTheOutage: the control plane, built with the
// execspec_tracelog tag, logs the outage's steps (actions, picks and the
// zone; the deployers' own state is not logged), and the log validates
// against the buggy model but not against the fixed one, whose report
// says how far it matched.
//
//	go test -tags execspec_tracelog ./examples/dnscontrol/conformance -run TraceLog -v
func TestTraceLogOfTheOutage(t *testing.T) {
	var buf bytes.Buffer
	tracelog.SetOutput(&buf)
	defer tracelog.SetOutput(nil)
	cp, err := controlplane.Open(conformance.Config(buggy, conformance.Dir(t)))
	if err != nil {
		t.Fatal(err)
	}
	svc := conformance.NewLocal(cp)
	ctx := context.Background()
	if err := svc.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	tr := outageTrace(t)
	for _, st := range tr.Steps[1:] {
		var err error
		if st.Action == "plan" {
			var weights map[string]int
			for _, p := range st.Picks {
				if p.Label == "weights" {
					err = itf.Unmarshal(p.Value, &weights)
				}
			}
			if err == nil {
				_, err = svc.Plan(ctx, weights)
			}
		} else {
			name, _ := st.Picks[0].Value.AsString()
			err = svc.Act(ctx, name, st.Action)
		}
		if err != nil {
			t.Fatalf("%s: %v", st.Action, err)
		}
	}
	tracelog.SetOutput(nil)
	if err := tracelog.Err(); err != nil {
		t.Fatal(err)
	}
	log, err := tracelog.ReadLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.States) != len(tr.Steps) || strings.Join(log.Vars, ",") != "zone" {
		t.Fatalf("%d events over %v, want %d over zone", len(log.States), log.Vars, len(tr.Steps))
	}
	rep, err := tracelog.Validate(ctx, dnsbalancer.New(buggy), log, tracelog.Options{})
	if err != nil || !rep.Valid() {
		t.Fatalf("against the buggy model: %v, %v", rep, err)
	}
	rep, err = tracelog.Validate(ctx, dnsbalancer.New(fixed), log, tracelog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid() || rep.Matched == 0 || len(rep.Failure.Candidates) == 0 {
		t.Fatalf("against the fixed model: %v", rep)
	}
	t.Logf("against the fixed model: %s", rep)
}
