package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/portfolio"
	"github.com/execspec/execspec/trace"
)

// runPortfolio is `execspec run --portfolio`: every core busy with a mix of
// strategies until the first finding or --timeout.
func (s *session[S]) runPortfolio(ctx context.Context, mc *machine.Machine[S], instance string, f *runFlags, seed uint64, given bool, opts portfolio.Options) (int, error) {
	what := "every invariant"
	if f.property != "" {
		p, err := mc.Property(f.property)
		if err != nil {
			return 0, &usageError{err}
		}
		what = p.Kind.String() + " " + p.Name
	}
	seedNote := ""
	if !given {
		seedNote = " (random; pass --seed to fix it)"
	}
	limit := "until the first finding"
	if opts.Timeout > 0 {
		limit += " or " + opts.Timeout.String()
	}
	s.printf("execspec run %s --instance %s --portfolio: %s, seed %d%s, %s %s:\n", s.pkg, instance, what, seed, seedNote, plural(opts.Workers, "worker"), limit)
	for w := 0; w < opts.Workers; w++ {
		s.printf("  worker %d: %s, seed %d\n", w, portfolio.Mix[w%len(portfolio.Mix)], portfolio.WorkerSeed(seed, w))
	}
	s.env.mon.startTimeout(opts.Timeout)
	res, err := portfolio.Run(ctx, mc, opts)
	s.env.mon.engineDone()
	if err != nil {
		return 0, err
	}
	var traces []*trace.Trace
	for i, fd := range res.Findings {
		wk := res.Workers[fd.Worker]
		if fd.Kind == findings.Nondeterministic {
			s.reportNondeterminism(fd.Finding, f.fullStates)
			continue
		}
		fc := findingContext{model: mc.Name(), instance: instance, property: f.property,
			where:     fmt.Sprintf("worker %d, %s seed %d", fd.Worker, wk.Strategy, wk.Seed),
			reproduce: s.workerCommand(instance, f, wk),
			meta:      map[string]any{trace.MetaStrategy: wk.Strategy.String(), trace.MetaSeed: strconv.FormatUint(wk.Seed, 10)}}
		if fd.Sample >= 0 {
			fc.where += fmt.Sprintf(", sample %d", fd.Sample)
			fc.meta[trace.MetaSample] = fd.Sample
		}
		t := s.annotate(fd.Finding, fc)
		first := t
		if len(traces) > 0 {
			first = traces[0]
		}
		s.itfReplay(&fc, t, first, i)
		s.reportFinding(fd.Finding, t, fc, f.fullStates)
		traces = append(traces, t)
	}
	s.portfolioSummary(mc, res)
	code := portfolioExitCode(ctx, res)
	return finishSinks(s, mc, traces, code), nil
}

// workerCommand is the command that runs one portfolio worker alone.
func (s *session[S]) workerCommand(instance string, f *runFlags, wk portfolio.Worker) string {
	prop := propFlag(f.property)
	st := wk.Strategy
	if !st.Exhaustive() {
		return fmt.Sprintf("execspec run %s --instance %s%s --strategy %s --seed %d --max-steps %d --workers 1", s.pkg, instance, prop, st.Simulate, wk.Seed, f.maxSteps)
	}
	cmd := fmt.Sprintf("execspec check %s --instance %s%s", s.pkg, instance, prop)
	info := st.Check.Info()
	if st.Check != check.DefaultStrategy {
		cmd += " --strategy " + string(st.Check)
	}
	if info.Seeded {
		cmd += fmt.Sprintf(" --seed %d", wk.Seed)
	}
	if info.Parallel {
		cmd += " --workers 1"
	}
	return cmd + " --no-temporal"
}

// portfolioSummary says what each worker did and, when nothing was found,
// what the portfolio covered.
func (s *session[S]) portfolioSummary(mc *machine.Machine[S], res *portfolio.Result) {
	s.printf("\nPortfolio: %s in %s.\n", plural(len(res.Workers), "worker"), roundDuration(res.Elapsed))
	fired := make([]int64, len(mc.Actions()))
	sims := false
	for w, wk := range res.Workers {
		switch {
		case !wk.Strategy.Exhaustive():
			s.printf("  worker %d, %s: %s samples, %s steps (%s)\n", w, wk.Strategy, group(wk.Samples), group(wk.Steps), wk.Stopped)
			for i, n := range wk.Fired {
				fired[i] += n
			}
			sims = true
		default:
			s.printf("  worker %d, %s: %s distinct states (%s)\n", w, wk.Strategy, group(wk.Distinct), wk.Stopped)
		}
	}
	switch {
	case len(res.Findings) > 0:
	case res.Complete:
		s.printf("Search complete: an exhaustive worker explored every reachable state; no invariant is violated (temporal properties are not checked by a portfolio).\n")
	default:
		s.printf("Nothing found, which proves nothing: no exhaustive worker finished.\n")
		if sims {
			var never []string
			for i, n := range fired {
				if n == 0 {
					never = append(never, mc.ActionName(i))
				}
			}
			if len(never) > 0 {
				s.printf("  actions never fired in simulation: %s\n", strings.Join(never, ", "))
			}
		}
	}
	s.event(portfolioDone{Workers: len(res.Workers), Findings: len(res.Findings), Complete: res.Complete, Seconds: res.Elapsed.Seconds()})
}

// portfolioExitCode maps a portfolio's result to the command's exit code.
func portfolioExitCode(ctx context.Context, res *portfolio.Result) int {
	fs := make([]findings.Finding, len(res.Findings))
	for i, fd := range res.Findings {
		fs[i] = fd.Finding
	}
	return exitCode(findings.Judge(findings.Outcome{
		Findings:    fs,
		Complete:    res.Complete,
		Interrupted: ctx.Err() != nil,
		WantExample: res.PropertyKind == machine.Example,
	}))
}
