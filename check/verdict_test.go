package check_test

import (
	"context"
	"testing"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/findings"
	"github.com/execspec/execspec/machine"
)

// TestResultVerdict: a result's verdict says what its search found, and
// whether a search that found nothing can be trusted.
func TestResultVerdict(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		opts check.Options
		ctx  context.Context
		want findings.Verdict
	}{
		{"an invariant violated", check.Options{Property: "sum_below_5"}, nil, findings.Violation},
		{"an invariant that holds", check.Options{Property: "always"}, nil, findings.Clean},
		{"an example reached", check.Options{Property: "corner"}, nil, findings.Example},
		{"an example never reached", check.Options{Property: "outside"}, nil, findings.NoExample},
		{"a search cut by a bound", check.Options{Property: "always", MaxStates: 3}, nil, findings.Incomplete},
		{"a cancelled search", check.Options{Property: "always"}, cancelled, findings.Interrupted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCtx(t, tc.ctx, tc.opts)
			if got := res.Verdict(); got != tc.want {
				t.Errorf("verdict %v, want %v (complete %v, stopped %v, %d findings)", got, tc.want, res.Complete, res.Stopped, len(res.Findings))
			}
		})
	}
}

func runCtx(t *testing.T, ctx context.Context, opts check.Options) *check.Result {
	t.Helper()
	if ctx == nil {
		return run(t, gridModel(), opts)
	}
	mc, err := machine.Compile(gridModel())
	if err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(ctx, mc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
