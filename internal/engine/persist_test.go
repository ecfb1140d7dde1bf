package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/engine"
)

// A saved trace is input: over the cap, it is refused before it is read.
func TestReadSavedTraces(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.itf.json")
	if err := os.WriteFile(good, []byte(`{"vars":["x"],"states":[{"x":1}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if ts, err := engine.ReadSavedTraces(good); err != nil || len(ts) != 1 {
		t.Fatalf("a good file: %v, %v", ts, err)
	}
	big := filepath.Join(dir, "big.itf.json")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, engine.MaxSavedTraceBytes+1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	if _, err := engine.ReadSavedTraces(big); err == nil || !strings.Contains(err.Error(), "over the limit of") {
		t.Errorf("a file over the cap: %v", err)
	}
	if _, err := engine.ReadSavedTraces(filepath.Join(dir, "none.itf.json")); err == nil {
		t.Error("a missing file was read")
	}
}
