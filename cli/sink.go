package cli

import (
	"flag"
	"fmt"

	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/viewer"
)

// A sink receives what a command reports besides its human text: each
// event as it happens, and the traces of the findings when the command
// ends. Every command that reports findings (run, replay, check) registers
// the flags of every sink kind and hands its events and traces to the
// sinks those flags open, so a new output format is one new sink kind in
// sinkKinds and no change to any command.
type sink interface {
	// stdout reports whether the sink writes to stdout as it goes: the
	// human text then goes to stderr.
	stdout() bool
	// event receives one event.
	event(ev reportEvent)
	// finish receives the findings' traces (none when nothing was found).
	finish(out findingsOutput) error
}

// findingsOutput is what the sinks receive when a command ends.
type findingsOutput struct {
	env    Env
	traces []*trace.Trace
	// annotate evaluates the model's invariants and examples at every
	// step of a trace, for a page that shows them.
	annotate func(*trace.Trace) error
}

// sinkKind registers one kind of sink's flags on a command's flag set and
// returns what opens, once the flags are parsed, the sink they ask for (a
// nil sink when they ask for none).
type sinkKind func(fs *flag.FlagSet) (open func(env Env) sink)

// sinkKinds is the registry of sink kinds.
var sinkKinds = []sinkKind{ndjsonKind, itfKind, htmlKind}

// sinkFlags are a command's sink flags, one set per kind.
type sinkFlags struct{ opens []func(env Env) sink }

// addSinkFlags registers the flags of every sink kind on fs.
func addSinkFlags(fs *flag.FlagSet) *sinkFlags {
	f := &sinkFlags{}
	for _, k := range sinkKinds {
		f.opens = append(f.opens, k(fs))
	}
	return f
}

// openSinks opens the sinks the parsed flags ask for, and routes the human
// text to stderr when one of them writes to stdout.
func (s *session[S]) openSinks(f *sinkFlags) {
	var sinks []sink
	for _, open := range f.opens {
		if sk := open(s.env); sk != nil {
			sinks = append(sinks, sk)
		}
	}
	s.setSinks(sinks)
}

// setSinks makes sinks the session's, and routes the human text.
func (s *session[S]) setSinks(sinks []sink) {
	s.sinks = sinks
	s.out = s.env.Stdout
	for _, sk := range sinks {
		if sk.stdout() {
			s.out = s.env.Stderr
		}
	}
	s.env.mon.setOutput(s.out)
}

// event hands one event to every sink.
func (s *session[S]) event(ev reportEvent) {
	for _, sk := range s.sinks {
		sk.event(ev)
	}
}

// finishSinks hands the traces of a command's findings to every sink and
// returns the command's exit code. The rule: the exit code says what the
// search found. A file that cannot be written is reported on stderr (the
// findings are already printed) and turns only a clean exit (0) into an
// input error (4); a violation, an example found or an incomplete search
// keeps its own code.
func finishSinks[S any](s *session[S], mc *machine.Machine[S], traces []*trace.Trace, code int) int {
	out := findingsOutput{env: s.env, traces: traces, annotate: func(t *trace.Trace) error { return viewer.AnnotateModel(mc, t) }}
	failed := false
	for _, sk := range s.sinks {
		if err := sk.finish(out); err != nil {
			fmt.Fprintf(s.env.Stderr, "execspec: %v\n", err)
			failed = true
		}
	}
	if failed && code == ExitOK {
		return ExitUsage
	}
	return code
}

// traceFile is a sink that writes the findings' traces to a file a
// finding's replay command can name.
type traceFile interface {
	// file returns the file that will hold the traces, the first of which
	// is first, as the user can type it where the command ran.
	file(env Env, first *trace.Trace) string
}

// tracesFile returns the file a sink will write the findings' traces to,
// or "" when none will.
func (s *session[S]) tracesFile(first *trace.Trace) string {
	for _, sk := range s.sinks {
		if tf, ok := sk.(traceFile); ok {
			if f := tf.file(s.env, first); f != "" {
				return f
			}
		}
	}
	return ""
}
