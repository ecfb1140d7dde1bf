package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/execspec/execspec/internal/bytesize"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

// cmdTrace prints ITF traces readably, without a model.
func cmdTrace(args []string, env Env) int {
	fs := newFlagSet("trace", "execspec trace [flags] FILE.itf.json (- reads stdin)", env.Stderr)
	full := fs.Bool("full-states", false, "print every variable of every state")
	strict := fs.Bool("strict", false, strictUsage)
	maxSize := fs.String("max-size", defaultMaxSize, "refuse a trace whose JSON is larger than this (KiB, MiB, GiB; MB means MiB; 0 for no limit)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return ExitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(env.Stderr, "execspec trace: %v\n", err)
		return ExitUsage
	}
	limit, err := bytesize.Parse(*maxSize)
	if err != nil {
		return fail(fmt.Errorf("--max-size: %w", err))
	}
	name := fs.Arg(0)
	data, err := readTraceInput(env, name, limit)
	if err != nil {
		return fail(err)
	}
	if name == "-" {
		name = "stdin"
	}
	its, err := decodeTraces(data, itf.DecodeOptions{Strict: *strict})
	if err != nil {
		return fail(fmt.Errorf("%s: %w", name, err))
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

// defaultMaxSize is the default --max-size of trace and view: the whole
// trace is held in memory, several times its JSON size.
const defaultMaxSize = "50MiB"

// readTraceInput reads the trace file named on the command line ("-" for
// stdin), refusing more than limit bytes (0: no limit) before reading them.
func readTraceInput(env Env, file string, limit int64) ([]byte, error) {
	tooLarge := func(what string, size int64) error {
		return fmt.Errorf("%s is %s of JSON, over the limit of %s (the trace is held in memory); raise the limit with --max-size, e.g. --max-size %s, or 0 for none",
			what, bytesize.Format(size), bytesize.Format(limit), strings.ReplaceAll(bytesize.Format(2*size), " ", ""))
	}
	if file == "-" {
		r := io.Reader(env.Stdin)
		if limit > 0 {
			r = io.LimitReader(env.Stdin, limit+1)
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		if limit > 0 && int64(len(data)) > limit {
			return nil, tooLarge("stdin", int64(len(data)))
		}
		return data, nil
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.Dir, path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not an ITF trace file", file)
	}
	if limit > 0 && fi.Size() > limit {
		return nil, tooLarge(file, fi.Size())
	}
	return os.ReadFile(path)
}
