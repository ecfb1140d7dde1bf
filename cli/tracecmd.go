package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// cmdTrace prints ITF traces readably, without a model.
func cmdTrace(args []string, env Env) int {
	fs := newFrontFlags("trace", env)
	full := fs.Bool("full-states", false, "print every variable of every state")
	strict := fs.Bool("strict", false, strictUsage)
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "usage: execspec trace [--full-states] [--strict] FILE.itf.json (- for stdin)")
		return ExitUsage
	}
	name := fs.Arg(0)
	var its []*itf.Trace
	if name == "-" {
		name = "stdin"
		data, err := io.ReadAll(env.Stdin)
		if err != nil {
			fmt.Fprintf(env.Stderr, "execspec trace: reading stdin: %v\n", err)
			return ExitUsage
		}
		if its, err = decodeTraces(data, itf.DecodeOptions{Strict: *strict}); err != nil {
			fmt.Fprintf(env.Stderr, "execspec trace: stdin: %v\n", err)
			return ExitUsage
		}
	} else {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(env.Dir, path)
		}
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(env.Stderr, "execspec trace: %v\n", err)
			return ExitUsage
		}
		var err error
		if its, err = (itf.DecodeOptions{Strict: *strict}).ReadFile(path); err != nil {
			fmt.Fprintf(env.Stderr, "execspec trace: %s: %v\n", name, err)
			return ExitUsage
		}
	}
	for i, it := range its {
		t, err := trace.FromITF(it)
		if err != nil {
			fmt.Fprintf(env.Stderr, "execspec trace: %s: trace %d: %v\n", name, i, err)
			return ExitUsage
		}
		if len(its) > 1 {
			fmt.Fprintf(env.Stdout, "== trace %d ==\n", i)
		}
		for _, k := range []string{trace.MetaModel, trace.MetaInstance, trace.MetaProperty, trace.MetaStatus, trace.MetaReplay, "source", "description"} {
			if v, ok := t.Meta[k]; ok {
				fmt.Fprintf(env.Stdout, "# %s: %v\n", k, v)
			}
		}
		if err := t.Print(env.Stdout, trace.PrintOptions{FullStates: *full, Highlight: -1}); err != nil {
			return ExitUsage
		}
	}
	return ExitOK
}
