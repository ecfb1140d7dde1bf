package crosscheck_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/execspec/execspec/internal/crosscheck"
	"github.com/execspec/execspec/internal/genmodel"
	"github.com/execspec/execspec/internal/rng"
	"github.com/execspec/execspec/machine"
)

// corpusDir holds FuzzModels's committed corpus, which go test runs.
var corpusDir = filepath.Join("testdata", "fuzz", "FuzzModels")

// corpusSize is the number of models the committed corpus holds, and
// corpusStates the largest of them.
// corpusCost bounds the time one model's quick comparison may take when
// the corpus is written, so that go test runs the corpus in seconds.
const (
	corpusSize   = 320
	corpusStates = 600
	corpusCost   = 40 * time.Millisecond
)

// TestCorpus checks that the committed corpus holds corpusSize models.
// With EXECSPEC_WRITE_CORPUS=1 it writes them first: inputs drawn from a
// fixed seed, kept when their model has between 10 and corpusStates states
// and compares quickly (corpusCost).
func TestCorpus(t *testing.T) {
	if os.Getenv("EXECSPEC_WRITE_CORPUS") == "1" {
		writeCorpus(t)
	}
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < corpusSize {
		t.Errorf("%s holds %d models, want at least %d (EXECSPEC_WRITE_CORPUS=1 writes them)", corpusDir, len(entries), corpusSize)
	}
}

func writeCorpus(t *testing.T) {
	if err := os.MkdirAll(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	rnd := rng.New(2026, 12)
	for n, tries := 0, 0; n < corpusSize; tries++ {
		data := make([]byte, 16+rnd.IntN(48))
		for i := range data {
			data[i] = byte(rnd.IntN(256))
		}
		m, _ := genmodel.Build(data)
		mc, err := machine.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		rep, err := crosscheck.Compare(t.Context(), mc, crosscheck.Options{MaxStates: corpusStates, Quick: true})
		if errors.Is(err, crosscheck.ErrTooLarge) || (err == nil && (rep.States < 10 || time.Since(start) > corpusCost)) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(corpusDir, fmt.Sprintf("model%03d", n)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
}
