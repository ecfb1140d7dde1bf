package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/execspec/execspec/internal/engine"
)

func TestNotNegative(t *testing.T) {
	if err := engine.NotNegative("MaxDepth", "max depth", 0); err != nil {
		t.Errorf("0: %v", err)
	}
	err := engine.NotNegative("Timeout", "timeout", -time.Second)
	var oe *engine.OptionError
	if !errors.As(err, &oe) || oe.Field != "Timeout" || err.Error() != "timeout must not be negative, got -1s" {
		t.Errorf("a negative duration: %v", err)
	}
	if err := engine.NotNegative("MaxStates", "max states", int64(-3)); err == nil || err.Error() != "max states must not be negative, got -3" {
		t.Errorf("a negative count: %v", err)
	}
}
