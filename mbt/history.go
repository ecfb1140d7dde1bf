package mbt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Failing histories are saved as <hash>.history.json, the hash taken over
// the operations (not the seed or run), beside a page <hash>.history.html.

// SaveHistory writes h as dir/<hash>.history.json and the page drawing it
// (see WriteHistoryHTML, with prefix as the longest linearizable prefix)
// as dir/<hash>.history.html; it returns both paths. Each file is written
// to a temporary file and renamed.
func SaveHistory(dir string, h *History, prefix []int) ([]string, error) {
	return saveHistory(dir, h, prefix, "history")
}

// saveHistory saves h as dir/<hash>.<kind>.json and .html.
func saveHistory(dir string, h *History, prefix []int, kind string) ([]string, error) {
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
	if err := writeHistoryHTML(&page, h, prefix); err != nil {
		return nil, err
	}
	files := []string{base + ".json", base + ".html"}
	for i, content := range [][]byte{append(data, '\n'), page.Bytes()} {
		if err := writeAtomic(files[i], content); err != nil {
			return nil, fmt.Errorf("saving the history: %w", err)
		}
	}
	return files, nil
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	// CreateTemp makes the file readable by its owner only; a saved
	// history is meant to be committed and read by others.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
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

// maxPageOps caps the operations drawn on a history page: a page of more
// helps nobody, and shrinking makes failing histories small.
const maxPageOps = 5000

type pageOp struct {
	X, Y, W, H float64
	Label      string
	Title      string
	Text       string
	Call, Ret  int64
	Class      string
	Order      int
}

type pageLane struct {
	Y     float64
	Label string
}

// WriteHistoryHTML is SaveHistory's page as a string: a self-contained
// HTML page (inline SVG, no script, no network) drawing one timeline per
// client, each operation a bar from its call to its return, then a table
// of the operations. Operations in prefix (the longest linearizable
// prefix, in order) are numbered and green; the others are red.
func WriteHistoryHTML(h *History, prefix []int) (string, error) {
	var b bytes.Buffer
	err := writeHistoryHTML(&b, h, prefix)
	return b.String(), err
}

func writeHistoryHTML(w *bytes.Buffer, h *History, prefix []int) error {
	if len(h.Ops) > maxPageOps {
		return fmt.Errorf("history page: %d operations, over the limit of %d", len(h.Ops), maxPageOps)
	}
	order := map[int]int{}
	for i, op := range prefix {
		order[op] = i + 1
	}
	var tmax int64 = 1
	for _, op := range h.Ops {
		tmax = max(tmax, op.Call+1, op.Return)
	}
	const laneH, left, unit = 44.0, 70.0, 14.0
	data := struct {
		Model, Verdict string
		Width, Height  float64
		Lanes          []pageLane
		Ops            []pageOp
	}{Model: h.Model, Width: left + float64(tmax+1)*unit + 20, Height: float64(h.Clients)*laneH + 20}
	data.Verdict = fmt.Sprintf("%d operations, %d clients; the longest linearizable prefix found explains %d (numbered, green); red ones could not be placed after it", len(h.Ops), h.Clients, len(prefix))
	for c := 0; c < h.Clients; c++ {
		data.Lanes = append(data.Lanes, pageLane{Y: float64(c)*laneH + 10, Label: fmt.Sprintf("client %d", c)})
	}
	for i, op := range h.Ops {
		ret := op.Return
		if op.Pending {
			ret = tmax + 1 // no answer: open to the end
		}
		p := pageOp{
			X: left + float64(op.Call)*unit, Y: float64(op.Client)*laneH + 14,
			W: float64(ret-op.Call) * unit, H: laneH - 12,
			Label: op.Action, Title: fmt.Sprintf("#%d [%d, %d] %s", i, op.Call, op.Return, op), Class: "bad",
			Text: op.String(), Call: op.Call, Ret: op.Return,
		}
		if n, ok := order[i]; ok {
			p.Class, p.Order = "ok", n
		}
		if op.Refused {
			p.Label += " ✗"
		}
		data.Ops = append(data.Ops, p)
	}
	return historyPage.Execute(w, data)
}

var historyPage = template.Must(template.New("history").Funcs(template.FuncMap{"trim": func(s string, w float64) string {
	n := int(w / 7)
	if n < 1 {
		return ""
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}}).Parse(strings.TrimSpace(`
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Model}}: concurrent history</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 1em; }
.ok rect { fill: #d4f4d4; stroke: #2a7a2a; }
.bad rect { fill: #f8d0d0; stroke: #b02020; }
text { font: 11px monospace; }
.lane { font-weight: bold; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { padding: 2px 8px; text-align: left; }
tr.ok td { background: #eef9ee; }
tr.bad td { background: #fbeaea; }
</style></head><body>
<h1>{{.Model}}: concurrent history</h1>
<p>{{.Verdict}}. Time runs left to right on the logical clock; hover over an operation for its inputs and outcome (✗: refused).</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}">
{{range .Lanes}}<text class="lane" x="4" y="{{.Y}}" dy="22">{{.Label}}</text>
{{end}}{{range .Ops}}<g class="{{.Class}}"><title>{{.Title}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="3"></rect><text x="{{.X}}" y="{{.Y}}" dx="3" dy="13">{{if .Order}}{{.Order}}. {{end}}</text><text x="{{.X}}" y="{{.Y}}" dx="3" dy="27">{{trim .Label .W}}</text></g>
{{end}}</svg>
<table><tr><th>order</th><th>call</th><th>return</th><th>operation</th></tr>
{{range .Ops}}<tr class="{{.Class}}"><td>{{if .Order}}{{.Order}}{{else}}-{{end}}</td><td>{{.Call}}</td><td>{{.Ret}}</td><td><code>{{.Text}}</code></td></tr>
{{end}}</table>
</body></html>
`)))
