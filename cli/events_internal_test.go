package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMarshalEvent: each event is one JSON object, its name first under
// "event", then its fields; a finding's context joins its fields, and an
// invalid trace's failure fields appear only when it is invalid.
func TestMarshalEvent(t *testing.T) {
	loop, at := 2, 0
	for _, tc := range []struct {
		name string
		ev   reportEvent
		want string
	}{
		{"no fields", replayDone{}, `{"event":"replay","reproduced":false}`},
		{"optional field set", replayDone{FirstDifference: &at}, `{"event":"replay","reproduced":false,"first_difference":0}`},
		{"finding with context", findingEvent{Kind: "invariant violated", Property: "p", Steps: 3, Replay: "r",
			Meta: map[string]any{"seed": "7", "sample": 4}},
			`{"event":"finding","kind":"invariant violated","property":"p","steps":3,"replay":"r","trace":null,"sample":4,"seed":"7"}`},
		{"lasso", findingEvent{Kind: "liveness violated", Property: "p", Steps: 5, Loop: &loop, Replay: "r", Reproduce: "c"},
			`{"event":"finding","kind":"liveness violated","property":"p","steps":5,"loop":2,"replay":"r","reproduce":"c","trace":null}`},
		{"valid trace", validation{Trace: 1, Valid: true, Steps: 4},
			`{"event":"validation","trace":1,"valid":true,"steps":4,"ignored_vars":null,"notes":null,"inferred_actions":0}`},
		{"invalid trace", validation{Trace: 0, Steps: 2, invalidTrace: &invalidTrace{State: 2, Action: "a", Picks: map[string]any{}, Reason: "r", Summary: "s", Executions: 1}},
			`{"event":"validation","trace":0,"valid":false,"steps":2,"ignored_vars":null,"notes":null,"inferred_actions":0,"state":2,"action":"a","picks":{},"reason":"r","summary":"s","executions":1}`},
		{"empty struct", eventErrorFree{}, `{"event":"test"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := marshalEvent(tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil || m["event"] != tc.ev.eventName() {
				t.Errorf("not one JSON object named %q: %v", tc.ev.eventName(), err)
			}
		})
	}
}

type eventErrorFree struct{}

func (eventErrorFree) eventName() string { return "test" }

// TestNDJSONSinkWritesAnErrorEventForAnUnencodableOne: an event that
// cannot be encoded is replaced by an error event naming it, on its line.
func TestNDJSONSinkWritesAnErrorEventForAnUnencodableOne(t *testing.T) {
	var b strings.Builder
	n := newNDJSON(&b)
	n.event(findingEvent{Kind: "k", Meta: map[string]any{"bad": func() {}}})
	n.event(replayDone{Reproduced: true})
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"event":"error","failed_event":"finding","error":`) || lines[1] != `{"event":"replay","reproduced":true}` {
		t.Errorf("output:\n%s", b.String())
	}
}
