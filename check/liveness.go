package check

import (
	"context"
	"fmt"
	"time"

	"github.com/execspec/execspec/findings"
)

// LivenessStats describe the temporal part of a search.
type LivenessStats struct {
	// Properties are the temporal properties checked.
	Properties []string
	// States and Edges count the behaviour graph (every state: symmetry is
	// not used for temporal properties). Edges excludes stuttering steps.
	States, Edges int64
	// Classes counts the fairness conditions (a Per declaration has one
	// per combination of pick values seen).
	Classes int
	// Bytes is the memory of the graph, without the fingerprint table.
	Bytes int64
	// Elapsed is the time spent building and analysing the graph.
	Elapsed time.Duration
}

// temporalFormulas lists the formulas of e.temporal, property after
// property.
func (e *searcher[S]) temporalFormulas() []tformula[S] {
	var fs []tformula[S]
	for _, p := range e.temporal {
		for i := range p.Formulas {
			fs = append(fs, tformula[S]{p, i})
		}
	}
	return fs
}

// checkTemporal checks e.temporal on the behaviour graph: g, when the
// safety search built it (having spent built on it), else one that
// buildGraph builds now. It returns the statistics, why the graph could not
// be completed (findings.Exhausted when it was) and the violations found, as
// lassos.
func (e *searcher[S]) checkTemporal(ctx context.Context, g *graph, built time.Duration) (*LivenessStats, findings.Stop, []findings.Finding, error) {
	start := time.Now()
	fs := e.temporalFormulas()
	st := &LivenessStats{}
	for _, p := range e.temporal {
		st.Properties = append(st.Properties, p.Name)
	}
	defer func() { st.Elapsed = built + time.Since(start) }()
	le := e // the searcher that rebuilds traces: one without symmetry
	if g == nil {
		opts := e.opts
		opts.NoSymmetry = true
		var err error
		if le, err = newSearcher(e.mc, opts); err != nil {
			return nil, 0, nil, err
		}
		var stop findings.Stop
		var failure *pending
		g, stop, failure, err = buildGraph(ctx, le, fs)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("building the behaviour graph: %w", err)
		}
		st.States, st.Edges, st.Classes, st.Bytes = int64(g.n), int64(len(g.to)), len(g.classes), g.bytes()
		if failure != nil {
			failure.ords = g.ordsTo(uint32(failure.at))
			f, _, err := le.rebuild(failure)
			if err != nil {
				return nil, 0, nil, err
			}
			return st, findings.Exhausted, []findings.Finding{*f}, nil
		}
		if stop != findings.Exhausted {
			return st, stop, nil, nil
		}
	}
	st.States, st.Edges, st.Classes, st.Bytes = int64(g.n), int64(len(g.to)), len(g.classes), g.bytes()
	a := newAnalyzer(g)
	var out []findings.Finding
	done := map[string]bool{}
	for k, f := range fs {
		if len(out) >= e.opts.MaxFindings {
			break
		}
		if done[f.prop.Name] {
			continue
		}
		fg, fa := g, a
		if f.prop.Formulas[f.idx].Taken != nil {
			// A fairness obligation: the behaviours that take none of its
			// steps from some point on.
			bit := 0
			for j := range k {
				if fs[j].prop.Formulas[fs[j].idx].Taken != nil {
					bit++
				}
			}
			fg = g.without(bit)
			fa = newAnalyzer(fg)
		}
		l := fa.violation(region{g: fg, k: k, form: f.prop.Formulas[f.idx].Form})
		if l == nil {
			continue
		}
		done[f.prop.Name] = true
		ords := fg.ordsTo(l.trigger)
		for _, ed := range append(append([]uint32(nil), l.path...), l.loop...) {
			ords = append(ords, fg.ord[ed])
		}
		loop := len(ords) - 1 - len(l.loop)
		fd, _, err := le.rebuild(&pending{verdict: verdict{kind: findings.LivenessViolated, property: f.prop.Name}, ords: ords})
		if err != nil {
			return nil, 0, nil, fmt.Errorf("temporal property %s: %w", f.prop.Name, err)
		}
		fd.Formula = f.idx
		fd.Trace.Loop = &loop
		out = append(out, *fd)
	}
	return st, findings.Exhausted, out, nil
}

// ordsTo returns the successor ordinals from an initial state to v along
// the breadth-first tree.
func (g *graph) ordsTo(v uint32) []uint32 {
	var ords []uint32
	for {
		r := g.rec.get(int64(v))
		ords = append(ords, r.succ)
		if r.parent == noParent {
			break
		}
		v = r.parent
	}
	for i, j := 0, len(ords)-1; i < j; i, j = i+1, j-1 {
		ords[i], ords[j] = ords[j], ords[i]
	}
	return ords
}
