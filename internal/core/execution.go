// Package core is what the root package (the authoring API) and package
// machine (the compiled model the engines run) share without showing it to
// model authors: the state of one execution of an action, which Ctx wraps
// and the Executor drives, and the hand-over of a Model's definition from
// the root package to package machine (see Model and Compile).
package core

import (
	"fmt"
	"strconv"

	"github.com/execspec/execspec/itf"
)

// Pick is one labelled nondeterministic choice made by an action: the
// pick's label (made unique within the execution: "label#2" for a label's
// second use) and the Go value picked. Package machine exports it as
// machine.Pick.
type Pick struct {
	Label string
	Value any
}

// Choices is the source of nondeterministic choices for one execution of an
// action: each pick asks it for an index below n (n >= 1). Package machine
// exports it as machine.Choices.
type Choices interface {
	Choose(n int) int
}

// Execution is the engine side of a Ctx: where choices come from, what was
// picked, and whether the branch was dropped. The picks (OneOf, IntRange,
// ...) write into it; the Executor resets it before each execution and
// reads it afterwards.
type Execution struct {
	Ch       Choices
	Directed map[string]itf.Value // recorded picks to follow, by label
	Record   bool                 // keep Picks
	Picks    []Pick
	labels   []string // labels used so far (for de-duplication)
	Path     []int    // the choices made
	Dropped  bool
	Mismatch string // why a directed pick did not fit, when it did not
	// Data-pick reduction (see Model.DataPicks and Executor.ReduceData):
	// DataLabels are the model's data pick labels, consulted only when
	// Reduce is on; DataFrom is where the trailing run of choices made by
	// data picks starts in Path (len(Path) when the last choice is not one).
	Reduce     bool
	DataLabels []string
	DataFrom   int
	// Plain is true when picks need no label bookkeeping: not recording,
	// not directed, no data-pick reduction (the checker's common case).
	Plain bool
}

// Reset prepares x for a new execution drawing its choices from ch.
func (x *Execution) Reset(ch Choices) {
	x.Ch = ch
	x.Picks = x.Picks[:0]
	x.labels = x.labels[:0]
	x.Path = x.Path[:0]
	x.Dropped = false
	x.Mismatch = ""
	x.DataFrom = 0
	x.Plain = !x.Record && x.Directed == nil && !x.Reduce
}

// Drop drops the current branch.
func (x *Execution) Drop() { x.Dropped = true }

// Choose asks the Choices for an index below n; data says whether the pick
// making the choice is a data pick.
func (x *Execution) Choose(n int, data bool) int {
	i := x.Ch.Choose(n)
	if i < 0 || i >= n {
		i = 0
	}
	x.Path = append(x.Path, i)
	if !data {
		x.DataFrom = len(x.Path)
	}
	return i
}

// AppendPath records a choice that followed a recorded pick (see
// Directed).
func (x *Execution) AppendPath(i int) {
	x.Path = append(x.Path, i)
	x.DataFrom = len(x.Path)
}

// IsData reports whether label (before de-duplication) is a data pick and
// data-pick reduction is on.
func (x *Execution) IsData(label string) bool {
	if !x.Reduce {
		return false
	}
	for _, l := range x.DataLabels {
		if l == label {
			return true
		}
	}
	return false
}

// Label returns the unique form of a label within this execution: a label
// used twice becomes "label#2", and so on.
func (x *Execution) Label(l string) string {
	if !x.Record && x.Directed == nil {
		return l
	}
	n := 1
	for _, u := range x.labels {
		if u == l {
			n++
		}
	}
	x.labels = append(x.labels, l)
	if n == 1 {
		return l
	}
	return l + "#" + strconv.Itoa(n)
}

// Recorded returns the recorded value of a directed pick.
func (x *Execution) Recorded(label string) (itf.Value, bool) {
	if x.Directed == nil {
		return itf.Value{}, false
	}
	v, ok := x.Directed[label]
	return v, ok
}

// TerseLabel, as a key of Directed, asks Fail for a fixed Mismatch instead
// of formatting the reason: a caller that only needs to know whether the
// recorded picks fit (the linearizability checker, which tries millions of
// operations, most of them with outputs that do not fit) saves formatting
// recorded values that may be long. No pick label starts with a NUL.
const TerseLabel = "\x00terse"

// terseMismatch is Mismatch under TerseLabel.
const terseMismatch = "a recorded pick does not fit"

// Fail drops the branch because a directed pick does not fit, keeping the
// first reason in Mismatch.
func (x *Execution) Fail(format string, args ...any) {
	if x.Mismatch == "" {
		if _, terse := x.Directed[TerseLabel]; terse {
			x.Mismatch = terseMismatch
		} else {
			x.Mismatch = fmt.Sprintf(format, args...)
		}
	}
	x.Dropped = true
}

// RecordPick records a pick when recording is on.
func (x *Execution) RecordPick(label string, v any) {
	if x.Record {
		x.Picks = append(x.Picks, Pick{Label: label, Value: v})
	}
}
