package cli

import (
	"fmt"
	"strings"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

func (s *session[S]) list(args []string) (int, error) {
	fs := s.newFlags("list")
	instance := fs.String("instance", "", "list only the instance `NAME`")
	jsonOut := fs.Bool("json", false, "write the listing as NDJSON (one event per instance)")
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	if *jsonOut {
		s.setSinks([]sink{newNDJSON(s.env.Stdout)})
	} else {
		s.setSinks(nil)
	}
	names := s.spec.Instances()
	if *instance != "" {
		if _, err := recoverUser(fmt.Sprintf("the constructor of instance %q", *instance), func() (*execspec.Model[S], error) {
			return s.spec.Model(*instance)
		}); err != nil {
			return 0, &usageError{err}
		}
		names = []string{*instance}
	}
	s.printf("model %s", s.spec.Name())
	if d := s.spec.Description(); d != "" {
		s.printf(": %s", d)
	}
	s.printf("\n")
	for _, name := range names {
		mc, _, err := s.machine(name)
		if err != nil {
			return 0, err
		}
		byKind := func(k machine.PropertyKind) []string {
			var out []string
			for _, p := range mc.PropertiesOf(k) {
				out = append(out, p.Name)
			}
			return out
		}
		inv, ex, cons := byKind(machine.Invariant), byKind(machine.Example), byKind(machine.Constraint)
		steps, acts := byKind(machine.StepInvariant), byKind(machine.ActionConstraint)
		var temporal, fairness []string
		for _, p := range mc.PropertiesOf(machine.Temporal) {
			forms := make([]string, len(p.Formulas))
			for i, f := range p.Formulas {
				forms[i] = f.String()
			}
			temporal = append(temporal, p.Name+" ("+strings.Join(forms, " /\\ ")+")")
		}
		for _, f := range mc.Fairness() {
			fairness = append(fairness, f.String())
		}
		var refines []string
		for _, p := range mc.PropertiesOf(machine.Refines) {
			r := p.Refinement
			d := p.Name + " (refines " + r.High
			var mapped []string
			for _, f := range p.Formulas {
				mapped = append(mapped, f.Name)
			}
			if len(mapped) > 0 {
				d += "; checks " + strings.Join(mapped, ", ")
			}
			if len(r.Unverified) > 0 {
				d += "; NOT verified: high fairness " + strings.Join(r.Unverified, ", ")
			}
			refines = append(refines, d+")")
		}
		s.printf("\ninstance %s\n", name)
		// The values line up after the longest label printed (the
		// transition properties' are longer than the others).
		width := len("constraints:")
		if len(steps) > 0 || len(acts) > 0 {
			width = len("action constraints:")
		}
		row := func(label, value string) { s.printf("  %-*s %s\n", width, label+":", value) }
		if p := mc.Params(); p != "" {
			row("parameters", p)
		}
		row("actions", strings.Join(mc.Actions(), ", "))
		row("invariants", orNone(inv))
		row("examples", orNone(ex))
		if len(temporal) > 0 {
			row("temporal", strings.Join(temporal, ", "))
		}
		if len(fairness) > 0 {
			row("fairness", strings.Join(fairness, ", "))
		}
		if len(refines) > 0 {
			row("refines", strings.Join(refines, ", "))
		}
		if len(steps) > 0 {
			row("step invariants", strings.Join(steps, ", "))
		}
		if len(cons) > 0 {
			row("constraints", strings.Join(cons, ", "))
		}
		if len(acts) > 0 {
			row("action constraints", strings.Join(acts, ", "))
		}
		var syms []string
		for _, sy := range mc.Symmetries() {
			syms = append(syms, sy.Name)
		}
		if len(syms) > 0 {
			row("symmetries", strings.Join(syms, ", "))
		}
		row("variables", strings.Join(mc.Vars(), ", "))
		s.event(instanceListed{Name: name, Parameters: mc.Params(), Actions: mc.Actions(), Invariants: inv, Examples: ex, Constraints: cons,
			Temporal: temporal, Fairness: fairness, Refines: refines, StepInvariants: steps, ActionConstraints: acts, Symmetries: syms, Variables: mc.Vars()})
	}
	return ExitOK, nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "(none)"
	}
	return strings.Join(xs, ", ")
}
