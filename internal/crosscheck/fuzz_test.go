package crosscheck_test

import (
	"context"
	"errors"
	"flag"
	"hash/crc32"
	"os"
	"testing"
	"time"

	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/internal/genmodel"
	"github.com/execspec/execspec/machine"
)

// fuzzStates bounds the models FuzzModels compares, and fuzzInputTime the
// time it spends on one while fuzzing: larger or slower ones are skipped.
const (
	fuzzStates    = 3000
	fuzzInputTime = 5 * time.Second
)

// FuzzModels builds a model from the bytes (package genmodel) and
// compares the engines with the reference semantics on it: while fuzzing,
// every configuration; on the committed corpus (testdata/fuzz/FuzzModels),
// which go test runs, BFS on one worker and one other configuration per
// model, chosen from the input's bytes, so that the corpus covers them
// all (with -short, BFS and DFS only).
func FuzzModels(f *testing.F) {
	// EXECSPEC_FUZZ_FULL=1 compares every configuration on the corpus too,
	// as fuzzing does.
	fuzzing := flag.Lookup("test.fuzz").Value.String() != "" || os.Getenv("EXECSPEC_FUZZ_FULL") == "1"
	f.Fuzz(func(t *testing.T, data []byte) {
		m, desc := genmodel.Build(data)
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatalf("model %s does not compile: %v", desc, err)
		}
		opts := crosscheck.Options{MaxStates: fuzzStates}
		ctx := t.Context()
		if fuzzing {
			// The fuzzing engine takes an input that runs 10 seconds for a
			// hung process: a model that slow to compare is skipped.
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, fuzzInputTime)
			defer cancel()
		}
		switch {
		case testing.Short():
			opts.Quick = true
		case !fuzzing:
			opts.Sample = 1 + int(crc32.ChecksumIEEE(data)%1024)
			opts.Walks, opts.WalkSteps = 4, 20
		}
		rep, err := crosscheck.Compare(ctx, mc, opts)
		if errors.Is(err, crosscheck.ErrTooLarge) || errors.Is(err, context.DeadlineExceeded) {
			t.Skip(err)
		}
		if err != nil {
			t.Fatalf("model %s: %v", desc, err)
		}
		for _, p := range rep.Problems {
			t.Errorf("model %s: %s", desc, p)
		}
	})
}
