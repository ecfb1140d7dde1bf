package findings_test

import (
	"testing"

	"github.com/execspec/execspec/findings"
)

func TestJudge(t *testing.T) {
	inv := findings.Finding{Kind: findings.InvariantViolated}
	ex := findings.Finding{Kind: findings.ExampleFound}
	nondet := findings.Finding{Kind: findings.Nondeterministic}
	for _, tc := range []struct {
		name string
		o    findings.Outcome
		want findings.Verdict
	}{
		{"nothing found, complete", findings.Outcome{Complete: true}, findings.Clean},
		{"a violation", findings.Outcome{Findings: []findings.Finding{inv}, Complete: true}, findings.Violation},
		{"a violation in an incomplete search", findings.Outcome{Findings: []findings.Finding{inv}, Interrupted: true}, findings.Violation},
		{"a model error comes first", findings.Outcome{Findings: []findings.Finding{inv, nondet}, Complete: true}, findings.ModelError},
		{"a violation beside an example", findings.Outcome{Findings: []findings.Finding{ex, inv}, WantExample: true}, findings.Violation},
		{"the example", findings.Outcome{Findings: []findings.Finding{ex}, WantExample: true}, findings.Example},
		{"the example in a stopped search", findings.Outcome{Findings: []findings.Finding{ex}, Interrupted: true, WantExample: true}, findings.Example},
		{"no example, complete", findings.Outcome{Complete: true, WantExample: true}, findings.NoExample},
		{"no example, stopped", findings.Outcome{WantExample: true}, findings.Incomplete},
		{"stopped", findings.Outcome{}, findings.Incomplete},
		{"interrupted", findings.Outcome{Interrupted: true}, findings.Interrupted},
		{"complete, then cancelled", findings.Outcome{Complete: true, Interrupted: true}, findings.Clean},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := findings.Judge(tc.o); got != tc.want {
				t.Errorf("Judge = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVerdictString(t *testing.T) {
	for v := findings.Clean; v <= findings.ModelError; v++ {
		if s := v.String(); s == "" || s[0] == 'V' {
			t.Errorf("verdict %d: %q", int(v), s)
		}
	}
	if s := findings.Verdict(99).String(); s != "Verdict(99)" {
		t.Errorf("unknown verdict: %q", s)
	}
}
