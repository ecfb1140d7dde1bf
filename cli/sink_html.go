package cli

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/viewer"
)

// htmlKind is --out-html: each finding's trace as a self-contained page.
func htmlKind(fs *flag.FlagSet) func(Env) sink {
	path := fs.String("out-html", "", "write the trace of each finding as a self-contained HTML page to this file")
	return func(Env) sink {
		if *path == "" {
			return nil
		}
		return htmlSink{path: *path}
	}
}

// htmlSink writes the findings' traces as pages.
type htmlSink struct{ path string }

func (htmlSink) stdout() bool { return false }

func (htmlSink) event(reportEvent) {}

func (k htmlSink) finish(out findingsOutput) error {
	return writeHTML(out.env, k.path, out.annotate, out.traces)
}

// writeHTML writes each trace as a self-contained HTML page, with every
// invariant and example evaluated at every step: to path for one trace,
// to path with -1, -2, ... before its extension for several.
func writeHTML(env Env, path string, annotate func(*trace.Trace) error, traces []*trace.Trace) error {
	if path == "" || len(traces) == 0 {
		return nil
	}
	path = outPath(env, path, traces[0], ".html")
	for i, t := range traces {
		if err := annotate(t); err != nil {
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
