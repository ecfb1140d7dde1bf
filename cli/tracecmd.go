package cli

import (
	"bytes"
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
	maxSize := fs.String("max-size", defaultMaxSize, maxSizeUsage)
	files, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if len(files) != 1 {
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
	name := files[0]
	its, err := readTraces(env, name, limit, *strict, "")
	if err != nil {
		return fail(err)
	}
	if name == "-" {
		name = "stdin"
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

// defaultMaxSize is the default --max-size of trace, view and replay
// --itf: the whole trace is held in memory, as JSON and decoded.
const defaultMaxSize = "50MiB"

// maxSizeUsage documents --max-size.
const maxSizeUsage = "refuse a trace that holds more than this in memory, its JSON and its decoded values together (KiB, MiB, GiB; MB means MiB; 0 for no limit)"

// readTraces reads the traces of file ("-": stdin), holding at most limit
// bytes (0: no limit) of JSON and decoded values together: the JSON is
// refused before it is read, and decoding stops where the estimate of what
// its values hold (itf.DecodeOptions.MaxBytes) passes what is left. A
// trace of many small states holds many times its JSON.
// A file that is not ITF is an error prefixed with invalid.
func readTraces(env Env, file string, limit int64, strict bool, invalid string) ([]*itf.Trace, error) {
	name := file
	if file == "-" {
		name = "stdin"
	}
	data, err := readTraceInput(env, file, limit)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))) == 0 {
		return nil, fmt.Errorf("%s: the input holds no trace", name)
	}
	opts := itf.DecodeOptions{Strict: strict}
	if limit > 0 {
		opts.MaxBytes = max(limit-int64(len(data)), 1)
	}
	traces, err := opts.DecodeAll(data)
	var se *itf.SizeError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("%s: its %s of JSON decode to more than the limit of %s allows (stopped at byte offset %d; the trace is held in memory, and a trace of many small states holds many times its JSON); raise the limit with --max-size, e.g. --max-size %s, or 0 for none",
			name, bytesize.Format(int64(len(data))), bytesize.Format(limit), se.Offset, strings.ReplaceAll(bytesize.Format(8*limit), " ", ""))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s%w", name, invalid, err)
	}
	return traces, nil
}

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
