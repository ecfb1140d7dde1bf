package linearize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/execspec/execspec/internal/atomicfile"
)

// Failing histories are saved as <hash>.history.json, the hash taken over
// the operations (not the seed or run), beside a page <hash>.history.html.

// SaveHistory writes h as dir/<hash>.history.json and the page drawing it
// with the checker's verdict lin and its explanation exp (see
// WriteHistoryHTML) as dir/<hash>.history.html; it returns both paths.
// Each file is written to a temporary file and renamed, readable by all
// (0644).
func SaveHistory(dir string, h *History, lin Linearization, exp *Explanation) ([]string, error) {
	return saveHistory(dir, h, lin, exp, "history")
}

// SaveIncomplete saves a history whose check ran out of budget (neither
// proved nor refuted) as dir/<hash>.incomplete.json and .html, for a
// reader to look at: SavedHistories does not list it.
func SaveIncomplete(dir string, h *History, lin Linearization) ([]string, error) {
	return saveHistory(dir, h, lin, nil, "incomplete")
}

// saveHistory saves h as dir/<hash>.<kind>.json and .html.
func saveHistory(dir string, h *History, lin Linearization, exp *Explanation, kind string) ([]string, error) {
	data, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the history: %w", err)
	}
	ops, err := json.Marshal(h.Ops)
	if err != nil {
		return nil, fmt.Errorf("encoding the history: %w", err)
	}
	sum := sha256.Sum256(ops)
	base := filepath.Join(dir, hex.EncodeToString(sum[:8])+"."+kind)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("saving the history: %w", err)
	}
	var page bytes.Buffer
	if err := writeHistoryHTML(&page, h, lin, exp); err != nil {
		return nil, err
	}
	files := []string{base + ".json", base + ".html"}
	for i, content := range [][]byte{append(data, '\n'), page.Bytes()} {
		if err := atomicfile.Write(files[i], content, 0o644); err != nil {
			return nil, fmt.Errorf("saving the history: %w", err)
		}
	}
	return files, nil
}

// Limits on a saved history, checked before anything is allocated by its
// numbers: a saved history is input, and a corrupt one (a flipped digit in
// "clients") must be an error, not a test binary that allocates until it
// dies.
const (
	// MaxHistoryBytes caps the size of a history file.
	MaxHistoryBytes = 64 << 20
	// MaxHistoryClients caps a history's clients: one goroutine each.
	MaxHistoryClients = 1 << 12
)

// ReadHistory reads a history saved by SaveHistory, and checks every field
// against what it is used for (see History.Validate).
func ReadHistory(path string) (*History, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading history: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading history: %w", err)
	}
	if fi.Size() > MaxHistoryBytes {
		return nil, fmt.Errorf("history %s: %d bytes, over the limit of %d (MaxHistoryBytes)", path, fi.Size(), MaxHistoryBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxHistoryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading history: %w", err)
	}
	if len(data) > MaxHistoryBytes {
		return nil, fmt.Errorf("history %s: over the limit of %d bytes (MaxHistoryBytes)", path, MaxHistoryBytes)
	}
	var h History
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	return &h, nil
}

// Validate checks h as the checker, the runner of saved histories and the
// page use it: between 1 and MaxHistoryClients clients; every operation
// names an action, a client below Clients, and a call and a later return
// at non-negative logical times distinct from every other (a pending
// operation: a call only, no outputs, not refused), the operations in
// order of their calls; every input, output and final value is a valid
// ITF value under a non-empty label; the run is not negative.
func (h *History) Validate() error {
	switch {
	case h.Clients < 1:
		return fmt.Errorf("clients is %d, want at least 1", h.Clients)
	case h.Clients > MaxHistoryClients:
		return fmt.Errorf("clients is %d, over the limit of %d (MaxHistoryClients)", h.Clients, MaxHistoryClients)
	case h.Run < 0:
		return fmt.Errorf("run is %d, want at least 0", h.Run)
	}
	args := func(where string, as []Arg) error {
		for j, a := range as {
			if a.Label == "" {
				return fmt.Errorf("%s %d: empty label", where, j)
			}
			if !a.Value.IsValid() {
				return fmt.Errorf("%s %q: no value", where, a.Label)
			}
		}
		return nil
	}
	if err := args("init pick", h.Init); err != nil {
		return err
	}
	times := make(map[int64]int, 2*len(h.Ops))
	for i, op := range h.Ops {
		switch {
		case op.Action == "":
			return fmt.Errorf("operation %d: no action", i)
		case op.Client < 0 || op.Client >= h.Clients:
			return fmt.Errorf("operation %d: client %d, want 0 to %d", i, op.Client, h.Clients-1)
		case op.Pending && (op.Return != 0 || op.Refused || len(op.Outputs) > 0):
			return fmt.Errorf("operation %d: pending (no answer), yet it has a return, outputs or a refusal", i)
		case op.Call < 0 || (!op.Pending && op.Return <= op.Call):
			return fmt.Errorf("operation %d: called at %d and returned at %d, want 0 <= call < return", i, op.Call, op.Return)
		case i > 0 && op.Call < h.Ops[i-1].Call:
			return fmt.Errorf("operation %d: called at %d, before operation %d (at %d): operations come in order of their calls", i, op.Call, i-1, h.Ops[i-1].Call)
		}
		events := []int64{op.Call, op.Return}
		if op.Pending {
			events = events[:1]
		}
		for _, t := range events {
			if j, dup := times[t]; dup {
				return fmt.Errorf("operation %d: time %d is operation %d's too (every time is distinct)", i, t, j)
			}
			times[t] = i
		}
		if err := args(fmt.Sprintf("operation %d: input", i), op.Inputs); err != nil {
			return err
		}
		if err := args(fmt.Sprintf("operation %d: output", i), op.Outputs); err != nil {
			return err
		}
	}
	if s := h.Schedule; s != nil {
		if len(s.At) != 0 && len(s.At) != len(s.Steps) {
			return fmt.Errorf("schedule: %d steps but %d yield points in at", len(s.Steps), len(s.At))
		}
		for i, c := range s.Steps {
			if c < 0 || c >= h.Clients {
				return fmt.Errorf("schedule step %d: client %d, want 0 to %d", i, c, h.Clients-1)
			}
		}
	}
	for name, v := range h.Final {
		if name == "" || !v.IsValid() {
			return fmt.Errorf("final state: variable %q without a valid value", name)
		}
	}
	return nil
}

// SavedHistories lists the saved histories of dir in name order (none
// when dir does not exist).
func SavedHistories(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.history.json"))
	sort.Strings(files)
	return files, err
}
