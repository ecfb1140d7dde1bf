package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/viewer"
)

// Every finding's trace is saved in the cache, keyed by what its replay
// command names, so that `execspec replay` can tell whether it reproduces
// the very same trace and, if not (the model changed), show the first step
// that differs.

func findingPath(env Env, model, instance, property string, seed uint64, sample int) (string, error) {
	dir, err := cacheDir(env)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%d\x00%d", env.Dir, model, instance, property, seed, sample)))
	return filepath.Join(dir, "findings", model+"-"+instance+"-"+hex.EncodeToString(sum[:8])+".itf.json"), nil
}

func saveFinding(env Env, model, instance, property string, seed uint64, sample int, t *trace.Trace) error {
	path, err := findingPath(env, model, instance, property, seed, sample)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return itf.WriteFile(path, t.ToITF())
}

// loadFinding returns the saved trace, or nil when there is none.
func loadFinding(env Env, model, instance, property string, seed uint64, sample int) (*trace.Trace, error) {
	path, err := findingPath(env, model, instance, property, seed, sample)
	if err != nil {
		return nil, err
	}
	ts, err := itf.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("saved trace %s: %w", path, err)
	}
	if len(ts) != 1 {
		return nil, fmt.Errorf("saved trace %s: %d traces, want 1", path, len(ts))
	}
	return trace.FromITF(ts[0])
}

// writeITF writes traces to path ("-" for stdout): one trace as a JSON
// document, several as NDJSON.
func writeITF(env Env, path string, traces []*trace.Trace) error {
	if path == "" || len(traces) == 0 {
		return nil
	}
	its := make([]*itf.Trace, len(traces))
	for i, t := range traces {
		its[i] = t.ToITF()
	}
	if path == "-" {
		for _, t := range its {
			if err := t.Encode(env.Stdout); err != nil {
				return fmt.Errorf("writing ITF to stdout: %w", err)
			}
			if _, err := env.Stdout.Write([]byte("\n")); err != nil {
				return fmt.Errorf("writing ITF to stdout: %w", err)
			}
		}
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, path)
	}
	if err := itf.WriteFile(path, its...); err != nil {
		return fmt.Errorf("writing ITF: %w", err)
	}
	return nil
}

// writeHTML writes each trace as a self-contained HTML page, with every
// invariant and example evaluated at every step: to path for one trace,
// to path with -1, -2, ... before its extension for several.
func writeHTML[S any](env Env, path string, mc *execspec.Machine[S], traces []*trace.Trace) error {
	if path == "" || len(traces) == 0 {
		return nil
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, path)
	}
	for i, t := range traces {
		if err := viewer.AnnotateModel(mc, t); err != nil {
			return fmt.Errorf("writing HTML: %w", err)
		}
		out := path
		if len(traces) > 1 {
			ext := filepath.Ext(path)
			out = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(path, ext), i+1, ext)
		}
		if err := viewer.WriteFile(out, t.ToITF(), viewer.Options{}); err != nil {
			return fmt.Errorf("writing HTML: %w", err)
		}
	}
	return nil
}
