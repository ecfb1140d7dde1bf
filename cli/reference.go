package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/machine"
)

// propertyKind returns the kind of the property named, 0 for none; an
// unknown name is a usage error listing the valid ones.
func propertyKind[S any](mc *machine.Machine[S], name string) (machine.PropertyKind, error) {
	if name == "" {
		return 0, nil
	}
	p, err := mc.Property(name)
	if err != nil {
		return 0, &usageError{err}
	}
	return p.Kind, nil
}

// checkReference runs `execspec check --reference`: the engines against
// the reference semantics on one instance (package crosscheck), so that
// "is this an engine bug?" has a one-line answer.
func (s *session[S]) checkReference(ctx context.Context, f *checkFlags) (int, error) {
	s.openSinks(f.sinks)
	mc, instance, err := s.machine(f.instance)
	if err != nil {
		return 0, err
	}
	if kind, err := propertyKind(mc, f.property); err != nil {
		return 0, err
	} else if kind == machine.Temporal {
		return 0, usagef("--reference compares states and their verdicts; temporal property %s speaks of behaviours (give an invariant or an example, or none for every invariant)", f.property)
	}
	limit := crosscheck.DefaultMaxStates
	if f.maxStates > 0 {
		limit = int(f.maxStates)
	}
	s.printf("execspec check %s --instance %s --reference: every search strategy and option against the reference semantics (states of at most %s)\n", s.pkg, instance, group(int64(limit)))
	s.env.mon.startTimeout(f.timeout)
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	rep, err := crosscheck.Compare(ctx, mc, crosscheck.Options{Property: f.property, MaxStates: limit})
	s.env.mon.engineDone()
	switch {
	case errors.Is(err, crosscheck.ErrTooLarge):
		s.printf("SEARCH INCOMPLETE: %v; the reference semantics is for small instances (raise --max-states, or compare a smaller instance)\n", err)
		return ExitIncomplete, nil
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		s.printf("SEARCH INCOMPLETE: stopped (%v) before the comparison finished\n", err)
		return ExitIncomplete, nil
	case err != nil:
		return 0, err
	}
	s.event(referenceDone{Model: mc.Name(), Instance: instance, States: rep.States, Generated: rep.Generated,
		Depth: rep.Depth, Configurations: rep.Configs, Problems: rep.Problems})
	text, code := referenceReport(rep)
	s.printf("%s", text)
	return code, nil
}

// referenceReport renders what `check --reference` found, and its exit
// code: ExitOK when every configuration agrees with the reference
// semantics, ExitDisagree when one does not.
func referenceReport(rep *crosscheck.Report) (string, int) {
	var b strings.Builder
	fmt.Fprintf(&b, "  reference semantics: %s states, %s generated, depth %d\n", group(int64(rep.States)), group(rep.Generated), rep.Depth)
	fmt.Fprintf(&b, "  compared: %s\n", strings.Join(rep.Configs, "; "))
	fmt.Fprintf(&b, "  note: safety only (the states and the verdicts of invariants and examples); temporal properties are not compared\n")
	if len(rep.Problems) > 0 {
		for _, p := range rep.Problems {
			fmt.Fprintf(&b, "  DISAGREES: %s\n", p)
		}
		fmt.Fprintf(&b, "Result: the engines disagree with the reference semantics on %d point(s): this is a bug in execspec, not in the model; please report it with this output\n", len(rep.Problems))
		return b.String(), ExitDisagree
	}
	b.WriteString("Result: every configuration agrees with the reference semantics: the same states, depths, counts and verdicts. A finding or a clean result of `execspec check` on this instance is the model's, not an engine's.\n")
	return b.String(), ExitOK
}
