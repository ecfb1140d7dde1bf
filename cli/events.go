package cli

import (
	"encoding/json"

	"github.com/execspec/execspec/itf"
)

// reportEvent is one event a command reports to its sinks; --json writes
// each as one NDJSON object, with its name under "event" first.
type reportEvent interface {
	eventName() string
}

// marshalEvent is an event's NDJSON object: {"event": name, fields...}.
func marshalEvent(ev reportEvent) ([]byte, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	name, _ := json.Marshal(ev.eventName())
	out := append([]byte(`{"event":`), name...)
	if len(b) > 2 { // not {}
		out = append(out, ',')
	}
	return append(out, b[1:]...), nil
}

// checkStart begins check's events.
type checkStart struct {
	Command          string  `json:"command"`
	Model            string  `json:"model"`
	Instance         string  `json:"instance"`
	Property         string  `json:"property"`
	Strategy         string  `json:"strategy"`
	Seed             string  `json:"seed"`
	Workers          int     `json:"workers"`
	MaxDepth         int     `json:"max_depth"`
	MaxStates        int64   `json:"max_states"`
	TimeoutSeconds   float64 `json:"timeout_seconds"`
	MemoryBytes      int64   `json:"memory_bytes"`
	Deadlock         bool    `json:"deadlock"`
	DataPicksReduced bool    `json:"data_picks_reduced"`
	Symmetry         bool    `json:"symmetry"`
}

func (checkStart) eventName() string { return "start" }

// runStart begins run's events.
type runStart struct {
	Command    string `json:"command"`
	Model      string `json:"model"`
	Instance   string `json:"instance"`
	Property   string `json:"property"`
	Seed       string `json:"seed"`
	MaxSteps   int    `json:"max_steps"`
	MaxSamples int    `json:"max_samples"`
	Workers    int    `json:"workers"`
}

func (runStart) eventName() string { return "start" }

// validateStart begins the events of replay --itf.
type validateStart struct {
	Command  string `json:"command"`
	ITF      string `json:"itf"`
	Model    string `json:"model"`
	Instance string `json:"instance"`
	Traces   int    `json:"traces"`
}

func (validateStart) eventName() string { return "start" }

// findingEvent is one finding with its trace. Meta holds the finding's
// context (seed, sample, strategy, swarm configuration), as in the trace's
// "#meta", written among the other fields.
type findingEvent struct {
	Kind       string         `json:"kind"`
	Property   string         `json:"property"`
	Steps      int            `json:"steps"`
	Loop       *int           `json:"loop,omitempty"`
	Replay     string         `json:"replay"`
	Reproduce  string         `json:"reproduce,omitempty"`
	ShrunkFrom int            `json:"shrunk_from,omitempty"`
	Trace      *itf.Trace     `json:"trace"`
	Meta       map[string]any `json:"-"`
}

func (findingEvent) eventName() string { return "finding" }

// MarshalJSON writes the fields, then Meta's.
func (f findingEvent) MarshalJSON() ([]byte, error) {
	type plain findingEvent
	b, err := json.Marshal(plain(f))
	if err != nil || len(f.Meta) == 0 {
		return b, err
	}
	m, err := json.Marshal(f.Meta)
	if err != nil {
		return nil, err
	}
	return append(append(b[:len(b)-1], ','), m[1:]...), nil
}

// modelError is a finding about the model itself (an action that is not
// deterministic): no trace, the error.
type modelError struct {
	Kind  string `json:"kind"`
	Error string `json:"error"`
}

func (modelError) eventName() string { return "finding" }

// checkSummary ends check's events.
type checkSummary struct {
	Temporal             *temporalSummary `json:"temporal"`
	Refinements          []string         `json:"refinements"`
	Unverified           []string         `json:"unverified"`
	Complete             bool             `json:"complete"`
	Stopped              string           `json:"stopped"`
	Findings             int              `json:"findings"`
	Generated            int64            `json:"generated"`
	Distinct             int64            `json:"distinct"`
	LeftOnQueue          int64            `json:"left_on_queue"`
	Depth                int              `json:"depth"`
	Seconds              float64          `json:"seconds"`
	DistinctPerSecond    float64          `json:"distinct_per_second"`
	StoreBytes           int64            `json:"store_bytes"`
	DiskBytes            int64            `json:"disk_bytes,omitempty"`
	BytesPerState        float64          `json:"bytes_per_state"`
	CollisionProbability float64          `json:"collision_probability"`
	FingerprintBits      int              `json:"fingerprint_bits"`
	DataPicksReduced     []string         `json:"data_picks_reduced"`
	Symmetry             []string         `json:"symmetry"`
	Levels               []levelSummary   `json:"levels"`
}

func (checkSummary) eventName() string { return "summary" }

// temporalSummary is what checking the temporal properties cost.
type temporalSummary struct {
	Properties         []string `json:"properties"`
	GraphStates        int64    `json:"graph_states"`
	GraphEdges         int64    `json:"graph_edges"`
	FairnessConditions int      `json:"fairness_conditions"`
	GraphBytes         int64    `json:"graph_bytes"`
	Seconds            float64  `json:"seconds"`
}

// levelSummary is one BFS level's counts.
type levelSummary struct {
	Depth     int   `json:"depth"`
	Distinct  int64 `json:"distinct"`
	Generated int64 `json:"generated"`
}

// runSummary ends run's events.
type runSummary struct {
	Samples        int64           `json:"samples"`
	Steps          int64           `json:"steps"`
	Seconds        float64         `json:"seconds"`
	StepsPerSecond float64         `json:"steps_per_second"`
	MinLen         int64           `json:"min_len"`
	AvgLen         float64         `json:"avg_len"`
	MaxLen         int64           `json:"max_len"`
	Deadlocks      int64           `json:"deadlocks"`
	Actions        []actionSummary `json:"actions"`
	Incomplete     bool            `json:"incomplete"`
	Stopped        string          `json:"stopped"`
}

func (runSummary) eventName() string { return "summary" }

// actionSummary is what one action did in a simulation.
type actionSummary struct {
	Name       string `json:"name"`
	Tried      int64  `json:"tried"`
	Fired      int64  `json:"fired"`
	Executions int64  `json:"executions"`
	Undecided  int64  `json:"undecided"`
}

// validateSummary ends the events of replay --itf.
type validateSummary struct {
	Traces int `json:"traces"`
	Valid  int `json:"valid"`
}

func (validateSummary) eventName() string { return "summary" }

// checkpointSaved is a checkpoint written.
type checkpointSaved struct {
	Levels   int    `json:"levels"`
	Distinct int64  `json:"distinct"`
	Path     string `json:"path"`
}

func (checkpointSaved) eventName() string { return "checkpoint" }

// instanceListed is one instance in list's output.
type instanceListed struct {
	Name              string   `json:"name"`
	Parameters        string   `json:"parameters"`
	Actions           []string `json:"actions"`
	Invariants        []string `json:"invariants"`
	Examples          []string `json:"examples"`
	Constraints       []string `json:"constraints"`
	Temporal          []string `json:"temporal"`
	Fairness          []string `json:"fairness"`
	Refines           []string `json:"refines"`
	StepInvariants    []string `json:"step_invariants,omitempty"`
	ActionConstraints []string `json:"action_constraints,omitempty"`
	Symmetries        []string `json:"symmetries"`
	Variables         []string `json:"variables"`
}

func (instanceListed) eventName() string { return "instance" }

// portfolioDone is a portfolio's outcome.
type portfolioDone struct {
	Workers  int     `json:"workers"`
	Findings int     `json:"findings"`
	Complete bool    `json:"complete"`
	Seconds  float64 `json:"seconds"`
}

func (portfolioDone) eventName() string { return "portfolio" }

// replayDone says whether replay reproduced a sample's finding;
// FirstDifference is the first step that differs from the saved trace.
type replayDone struct {
	Reproduced      bool `json:"reproduced"`
	FirstDifference *int `json:"first_difference,omitempty"`
}

func (replayDone) eventName() string { return "replay" }

// validation is one trace's verdict in replay --itf; an invalid trace's
// has the failure's fields too.
type validation struct {
	Trace           int      `json:"trace"`
	Valid           bool     `json:"valid"`
	Steps           int      `json:"steps"`
	IgnoredVars     []string `json:"ignored_vars"`
	Notes           []string `json:"notes"`
	InferredActions int      `json:"inferred_actions"`
	*invalidTrace
}

func (validation) eventName() string { return "validation" }

// invalidTrace is where and why a trace is not a behaviour of the model.
type invalidTrace struct {
	State      int            `json:"state"`
	LoopTo     *int           `json:"loop_to,omitempty"`
	Action     string         `json:"action"`
	Picks      map[string]any `json:"picks"`
	Reason     string         `json:"reason"`
	Summary    string         `json:"summary"`
	Executions int            `json:"executions"`
	*closestStep
}

// closestStep is the step of the model nearest to an invalid one, and the
// variables where its state and the recorded one differ.
type closestStep struct {
	Closest struct {
		Action string         `json:"action"`
		Picks  map[string]any `json:"picks"`
	} `json:"closest"`
	Diff []valueDiff `json:"diff"`
}

// valueDiff is one variable where the model's state and the recorded one
// differ.
type valueDiff struct {
	Path     string `json:"path"`
	Model    any    `json:"model"`
	Recorded any    `json:"recorded"`
}

// referenceDone is what check --reference found.
type referenceDone struct {
	Model          string   `json:"model"`
	Instance       string   `json:"instance"`
	States         int      `json:"states"`
	Generated      int64    `json:"generated"`
	Depth          int      `json:"depth"`
	Configurations []string `json:"configurations"`
	Problems       []string `json:"problems"`
}

func (referenceDone) eventName() string { return "reference" }

// eventError stands for an event that could not be written as JSON.
type eventError struct {
	Event string `json:"failed_event"`
	Error string `json:"error"`
}

func (eventError) eventName() string { return "error" }
