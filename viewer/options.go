package viewer

import (
	"errors"
	"fmt"
	"github.com/execspec/execspec/internal/bytesize"
	"strconv"
	"strings"
)

// DefaultMaxBytes is the default cap on the trace JSON a page embeds: a
// page much larger than this makes a browser crawl or give up.
const DefaultMaxBytes = 50 << 20

// NoActor, as Options.Actor, turns the per-actor swimlane view off.
const NoActor = "-"

// Options controls Write. The zero value works: the whole trace, the actor
// detected automatically, a cap of DefaultMaxBytes.
type Options struct {
	// Title is the page's title; empty means one made of the trace's
	// model, instance and property (from its #meta), or "ITF trace".
	Title string
	// Vars keeps only these variables (in trace order); nil keeps all.
	// Naming a variable the trace does not have is an error listing the
	// valid ones.
	Vars []string
	// Steps keeps only a range of steps; nil keeps all. Changes shown for
	// the first kept step are still those since the step before it.
	Steps *StepRange
	// Actor is the pick label whose value names the actor of a step (for
	// example "deployer" or "process"), used for the swimlane view. Empty
	// detects it: a pick with string (or integer) values made by many
	// steps, preferring the usual names (actor, process, node, deployer,
	// rm, ...). NoActor turns the view off.
	Actor string
	// MaxBytes caps the size of the (filtered) trace's JSON; a larger trace
	// is refused with a *TooLargeError. 0 means DefaultMaxBytes; negative
	// means no cap.
	MaxBytes int64
	_        struct{}
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes == 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// StepRange is an inclusive range of step indices, From..To; To < 0 means
// up to the last step.
type StepRange struct {
	From, To int
}

// String formats the range as ParseSteps reads it.
func (r StepRange) String() string {
	if r.To < 0 {
		return strconv.Itoa(r.From) + ".."
	}
	return strconv.Itoa(r.From) + ".." + strconv.Itoa(r.To)
}

// ParseSteps parses a step range: "10..40" (both ends included), "10.."
// (from step 10 to the end), "..40" (from the start to step 40) or "7" (one
// step).
func ParseSteps(s string) (StepRange, error) {
	bad := func(why string) (StepRange, error) {
		return StepRange{}, fmt.Errorf("step range %q: %s (want FROM..TO, FROM.., ..TO or STEP, e.g. 10..40)", s, why)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return bad("empty")
	}
	num := func(x string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil || n < 0 {
			return 0, errors.New("not a non-negative integer")
		}
		return n, nil
	}
	from, to, isRange := strings.Cut(s, "..")
	if !isRange {
		n, err := num(s)
		if err != nil {
			return bad(fmt.Sprintf("%q is %v", s, err))
		}
		return StepRange{From: n, To: n}, nil
	}
	r := StepRange{To: -1}
	if strings.TrimSpace(from) != "" {
		n, err := num(from)
		if err != nil {
			return bad(fmt.Sprintf("start %q is %v", from, err))
		}
		r.From = n
	}
	if strings.TrimSpace(to) != "" {
		n, err := num(to)
		if err != nil {
			return bad(fmt.Sprintf("end %q is %v", to, err))
		}
		r.To = n
		if n < r.From {
			return bad("the end is before the start")
		}
	}
	return r, nil
}

// ParseVars splits a comma-separated list of variable names, ignoring
// spaces and empty items; an empty list is an error.
func ParseVars(s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("variable list %q names no variable", s)
	}
	return out, nil
}

// TooLargeError reports a trace whose JSON, or whose page, exceeds
// Options.MaxBytes.
type TooLargeError struct {
	Size, Max int64 // bytes
	// Page is set when the trace's JSON fits but the page's view of its
	// steps does not; Size then counts both, as far as they were built.
	Page bool
}

func (e *TooLargeError) Error() string {
	return e.what() + "; keep part of it with --vars a,b or --steps 10..40, or raise the limit with --max-size"
}

// what says what is too large.
func (e *TooLargeError) what() string {
	if e.Page {
		return fmt.Sprintf("the trace's page takes more than the limit of %s (a larger page hardly loads in a browser)", FormatBytes(e.Max))
	}
	return fmt.Sprintf("the trace is %s of JSON, over the limit of %s (a larger page hardly loads in a browser)", FormatBytes(e.Size), FormatBytes(e.Max))
}

// FormatBytes formats a size in bytes for messages, in binary units:
// "812 B", "3.4 MiB".
func FormatBytes(n int64) string { return bytesize.Format(n) }

// ParseBytes parses a size such as "50MiB", "1.5GiB", "200KB" or "1000"
// (bytes). Units are binary, and MB, GB and KB mean MiB, GiB and KiB: the
// one convention of every size flag of execspec.
func ParseBytes(s string) (int64, error) {
	n, err := bytesize.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("size: %w", err)
	}
	return n, nil
}
