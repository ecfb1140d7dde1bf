package cli

import (
	"errors"
	"testing"
	"time"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/simulate"
)

// TestFlagError: an engine's refusal of an option reads as a refusal of
// the flag that set it; other errors are usage errors as they are.
func TestFlagError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{check.Options{MaxDepth: -1}.Validate(), "--max-depth must not be negative, got -1"},
		{check.Options{MaxStates: -2}.Validate(), "--max-states must not be negative, got -2"},
		{check.Options{Timeout: -time.Second}.Validate(), "--timeout must not be negative, got -1s"},
		{simulate.Options{Timeout: -time.Minute}.Validate(), "--timeout must not be negative, got -1m0s"},
		{check.Options{Strategy: "nope"}.Validate(), `unknown strategy "nope"`},
	} {
		err := flagError(tc.err)
		var ue *usageError
		if !errors.As(err, &ue) || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
			t.Errorf("flagError(%v) = %v, want a usage error %q", tc.err, err, tc.want)
		}
	}
}
