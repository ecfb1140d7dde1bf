package cli

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/crosscheck"
)

func TestReferenceReport(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  crosscheck.Report
		code int
		want []string
	}{
		{"agree", crosscheck.Report{States: 400, Generated: 1633, Depth: 6, Configs: []string{"bfs workers=1", "dfs"}}, ExitOK,
			[]string{"400 states, 1,633 generated, depth 6", "compared: bfs workers=1; dfs", "Result: every configuration agrees"}},
		{"disagree", crosscheck.Report{States: 400, Configs: []string{"bfs workers=1"}, Problems: []string{"bfs workers=1: 399 of the reference's 400 states not reached"}}, ExitDisagree,
			[]string{"DISAGREES: bfs workers=1: 399 of the reference's 400 states not reached", "a bug in execspec, not in the model"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, code := referenceReport(&tc.rep)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("report lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
