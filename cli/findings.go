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

// writeOutputs writes the traces of a command's findings to the files its
// --out-itf and --out-html flags name, and returns the command's exit code.
// The rule: the exit code says what the search found. A file that cannot
// be written is reported on stderr (the findings are already printed) and
// turns only a clean exit (0) into an input error (4); a violation, an
// example found or an incomplete search keeps its own code.
func writeOutputs[S any](s *session[S], itfPath, htmlPath string, mc *execspec.Machine[S], traces []*trace.Trace, code int) int {
	failed := false
	for _, err := range []error{writeITF(s.env, itfPath, traces), writeHTML(s.env, htmlPath, mc, traces)} {
		if err != nil {
			fmt.Fprintf(s.env.Stderr, "execspec: %v\n", err)
			failed = true
		}
	}
	if failed && code == ExitOK {
		return ExitUsage
	}
	return code
}

// outPath resolves a --out-itf or --out-html path against the working
// directory. A directory (an existing one, or a path ending in a
// separator) receives a file named after the trace: model-instance, the
// property if any, then ext.
func outPath(env Env, path string, t *trace.Trace, ext string) string {
	dirLike := strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator))
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, path)
	}
	if fi, err := os.Stat(path); dirLike || (err == nil && fi.IsDir()) {
		name := "trace"
		var parts []string
		for _, k := range []string{trace.MetaModel, trace.MetaInstance, trace.MetaProperty} {
			if v, ok := t.Meta[k].(string); ok && v != "" {
				parts = append(parts, v)
			}
		}
		if len(parts) > 0 {
			name = strings.Join(parts, "-")
		}
		path = filepath.Join(path, name+ext)
	}
	return path
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
	path = outPath(env, path, traces[0], ".itf.json")
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
	path = outPath(env, path, traces[0], ".html")
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
