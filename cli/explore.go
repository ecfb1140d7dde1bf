package cli

import (
	"strings"

	"context"
	"fmt"
	"path/filepath"

	"github.com/execspec/execspec/internal/localguard"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/viewer"
)

// explore serves the interactive state explorer for one instance of the
// model until ctx is done (Ctrl-C).
func (s *session[S]) explore(ctx context.Context, args []string) (int, error) {
	fs := s.newFlags("explore")
	instance := fs.String("instance", "", "the model instance `NAME` (default: the first one; see execspec list)")
	addr := fs.String("addr", "127.0.0.1:0", "address to serve on; the host defaults to 127.0.0.1 and port 0 picks a free one")
	allowHosts := fs.String("allow-host", "", "host names, comma-separated, under which the page may be reached besides loopback names and the --addr host (requests naming other hosts are refused, against DNS rebinding)")
	itfFile := fs.String("itf", "", "a saved ITF trace of this model to jump along")
	traceN := fs.Int("trace", 0, "which trace of the --itf file, from 0, when it holds several")
	pageSize := fs.Int("page-size", viewer.DefaultPageSize, fmt.Sprintf("successors per page (at most %d)", viewer.MaxPageSize))
	maxSucc := fs.Int("max-successors", viewer.DefaultMaxSuccessors, "successors listed per action at one state")
	if err := parseFlags(fs, args); err != nil {
		return 0, err
	}
	for _, c := range []struct {
		n string
		v int
	}{{"page-size", *pageSize}, {"max-successors", *maxSucc}} {
		if err := positive(c.n, c.v); err != nil {
			return 0, err
		}
	}
	if *pageSize > viewer.MaxPageSize {
		return 0, usagef("--page-size must be at most %d, got %d", viewer.MaxPageSize, *pageSize)
	}
	mc, name, err := s.machine(*instance)
	if err != nil {
		return 0, err
	}
	opts := viewer.ExplorerOptions{Instance: name, Source: s.pkg, PageSize: *pageSize, MaxSuccessors: *maxSucc, Hosts: []string{localguard.ListenHost(*addr)}}
	for _, h := range strings.Split(*allowHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			opts.Hosts = append(opts.Hosts, h)
		}
	}
	if *itfFile != "" {
		path := *itfFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(s.env.Dir, path)
		}
		traces, err := itf.ReadFile(path)
		if err != nil {
			return 0, &usageError{fmt.Errorf("--itf: %w", err)}
		}
		if *traceN < 0 || *traceN >= len(traces) {
			return 0, usagef("--trace %d: %s holds %d trace(s), numbered from 0", *traceN, *itfFile, len(traces))
		}
		opts.Trace = traces[*traceN]
	}
	ex, err := viewer.NewExplorer(mc, opts)
	if err != nil {
		return 0, &usageError{err}
	}
	fmt.Fprintf(s.env.Stderr, "execspec explore %s --instance %s: %d actions, %d variables\n", s.pkg, name, len(mc.Actions()), len(mc.Vars()))
	if err := serveUntilDone(ctx, s.env, "explore", *addr, ex); err != nil {
		return 0, &usageError{err}
	}
	return ExitOK, nil
}
