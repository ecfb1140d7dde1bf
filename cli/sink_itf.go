package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// itfKind is --out-itf: the findings' traces as ITF, in a file or on
// stdout.
func itfKind(fs *flag.FlagSet) func(Env) sink {
	path := fs.String("out-itf", "", "write the trace of each finding as ITF to this file (- for stdout)")
	return func(Env) sink {
		if *path == "" {
			return nil
		}
		return itfSink{path: *path}
	}
}

// itfSink writes the findings' traces as ITF to path ("-": stdout).
type itfSink struct{ path string }

// stdout is false: the traces go to stdout only when the command ends,
// after its text.
func (itfSink) stdout() bool { return false }

func (itfSink) event(reportEvent) {}

func (k itfSink) finish(out findingsOutput) error { return writeITF(out.env, k.path, out.traces) }

// file implements traceFile: the file --out-itf names, or the file it
// names in the directory it names; none for stdout.
func (k itfSink) file(env Env, first *trace.Trace) string {
	if k.path == "-" {
		return ""
	}
	file := outPath(env, k.path, first, ".itf.json")
	if !filepath.IsAbs(k.path) {
		if rel, err := filepath.Rel(env.Dir, file); err == nil {
			file = rel
		}
	}
	return file
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
