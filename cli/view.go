package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/execspec/execspec/internal/atomicfile"
	"github.com/execspec/execspec/internal/localguard"
	"github.com/execspec/execspec/viewer"
)

// EnvNoBrowser, set to any non-empty value, stops `execspec view --open`
// from launching the desktop's browser (it still prints the page's URL).
const EnvNoBrowser = "EXECSPEC_NO_BROWSER"

const viewUsage = `Usage: execspec view TRACE.itf.json [flags]

Writes the ITF trace (execspec's, Quint's or Apalache's; - reads stdin) as
one self-contained HTML page: a timeline of the steps, the state at each
step with what changed highlighted, each variable's history, lanes per
actor and the per-step property table of the trace's #meta. The page needs
no network.

Flags:
`

// cmdView turns an ITF trace into a self-contained HTML page.
func cmdView(args []string, env Env) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return viewMain(ctx, args, env)
}

// viewFlags are the view command's settings.
type viewFlags struct {
	out, serve, vars, steps, actor, title string
	maxSize, maxPage                      string
	open, strict                          bool
	trace                                 int
}

func viewMain(ctx context.Context, args []string, env Env) int {
	var f viewFlags
	fs := newFrontFlags("view", env)
	fs.StringVar(&f.out, "o", "", "write the page to this file (default: the trace's file name with .html; - for stdout)")
	fs.BoolVar(&f.open, "open", false, "print the page's file URL on stdout and open it in the desktop's browser (unless $"+EnvNoBrowser+" is set)")
	fs.StringVar(&f.serve, "serve", "", "serve the page over HTTP on this address until interrupted, e.g. :8080 (the host defaults to 127.0.0.1)")
	fs.StringVar(&f.vars, "vars", "", "show only these variables, comma-separated (e.g. zone,plans)")
	fs.StringVar(&f.steps, "steps", "", "show only these steps: FROM..TO (both included), FROM.., ..TO or STEP")
	fs.StringVar(&f.actor, "actor", "", "pick label naming each step's actor, for the lanes view (default: detected; - for none)")
	fs.StringVar(&f.maxSize, "max-size", defaultMaxSize, maxSizeUsage)
	fs.StringVar(&f.maxPage, "max-page", defaultMaxSize, "embed at most this much of the trace's JSON and view in the page: a larger trace is shown as a window of its steps ending at the finding (0 for no limit)")
	fs.BoolVar(&f.strict, "strict", false, strictUsage)
	fs.IntVar(&f.trace, "trace", 0, "which trace to show, from 0, when the file holds several (NDJSON)")
	fs.StringVar(&f.title, "title", "", "the page's title (default: from the trace's #meta, or the file name)")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, viewUsage)
		printFlags(env.Stderr, fs)
	}
	files, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(env.Stderr, "execspec view: %v\n", err)
		return ExitUsage
	}
	if len(files) != 1 {
		fs.Usage()
		return ExitUsage
	}
	if err := runView(ctx, env, files[0], f); err != nil {
		return fail(err)
	}
	return ExitOK
}

// parseInterleaved parses flags placed before or after the positional
// arguments (execspec view FILE -o out.html) and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func runView(ctx context.Context, env Env, file string, f viewFlags) error {
	opts := viewer.Options{Title: f.title, Actor: f.actor}
	if f.open && f.serve != "" {
		return errors.New("--open and --serve do not go together: --serve serves the page, --open writes it to a file")
	}
	if f.trace < 0 {
		return fmt.Errorf("--trace %d: want a trace number from 0", f.trace)
	}
	max, err := viewer.ParseBytes(f.maxSize)
	if err != nil {
		return fmt.Errorf("--max-size: %w", err)
	}
	pageMax, err := viewer.ParseBytes(f.maxPage)
	if err != nil {
		return fmt.Errorf("--max-page: %w", err)
	}
	opts.MaxBytes = pageMax
	if pageMax == 0 {
		opts.MaxBytes = -1
	}
	if f.vars != "" {
		if opts.Vars, err = viewer.ParseVars(f.vars); err != nil {
			return fmt.Errorf("--vars: %w", err)
		}
	}
	if f.steps != "" {
		r, err := viewer.ParseSteps(f.steps)
		if err != nil {
			return fmt.Errorf("--steps: %w", err)
		}
		opts.Steps = &r
	}
	if file == "-" && f.out == "" && f.serve == "" {
		return errors.New("reading stdin: say where to write the page with -o FILE (or - for stdout), or use --serve")
	}

	// The trace is held whole: its JSON and decoded values count against
	// --max-size; the page, if over --max-page, shows a window of it.
	traces, err := readTraces(env, file, max, f.strict, "not a valid ITF trace: ")
	if err != nil {
		return err
	}
	name := file
	if file == "-" {
		name = "stdin"
	}
	if f.trace >= len(traces) {
		return fmt.Errorf("--trace %d: %s holds %d trace(s), numbered from 0", f.trace, name, len(traces))
	}
	if len(traces) > 1 {
		fmt.Fprintf(env.Stderr, "execspec view: %s holds %d traces; showing trace %d (choose with --trace N)\n", name, len(traces), f.trace)
	}
	t := traces[f.trace]
	if opts.Title == "" && t.Meta["model"] == nil && t.Meta["property"] == nil {
		opts.Title = filepath.Base(name)
	}
	var page bytes.Buffer
	if err := viewer.Write(&page, t, opts); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}

	out := f.out
	if out == "" && f.serve == "" {
		out = defaultHTMLPath(file)
	}
	if out == "-" {
		if _, err := env.Stdout.Write(page.Bytes()); err != nil {
			return fmt.Errorf("writing the page to stdout: %w", err)
		}
	} else if out != "" {
		path := out
		if !filepath.IsAbs(path) {
			path = filepath.Join(env.Dir, path)
		}
		if err := atomicfile.Write(path, page.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "execspec view: wrote %s (%s, %d states)\n", out, viewer.FormatBytes(int64(page.Len())), len(t.States))
		if f.open {
			u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
			fmt.Fprintln(env.Stdout, u)
			openBrowser(env, u)
		}
	}
	if f.serve != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" && r.URL.Path != "/index.html" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(page.Bytes())
		})
		// The page is the trace: a page on another site must not read it
		// by re-pointing its name at this address (DNS rebinding).
		return serveUntilDone(ctx, env, "view", f.serve, localguard.Wrap(mux, localguard.ListenHost(f.serve)))
	}
	return nil
}

// strictUsage documents the --strict flag of trace, view and replay --itf.
const strictUsage = "refuse what ADR-015 does not define but producers write: null values, \"loop\": null, state variables not in \"vars\""

// defaultHTMLPath is the trace's path with .itf.json (or .json) replaced by
// .html.
func defaultHTMLPath(file string) string {
	for _, ext := range []string{".itf.json", ".json", ".ndjson"} {
		if strings.HasSuffix(file, ext) {
			return strings.TrimSuffix(file, ext) + ".html"
		}
	}
	return file + ".html"
}

// openBrowser starts the desktop's browser on u, unless EnvNoBrowser is set
// or there is no known opener; failures are only reported.
func openBrowser(env Env, u string) {
	if env.Getenv(EnvNoBrowser) != "" {
		return
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		if _, err := exec.LookPath("xdg-open"); err != nil {
			return
		}
		cmd = exec.Command("xdg-open", u)
	}
	cmd.Env = env.Environ
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(env.Stderr, "execspec view: could not open a browser: %v\n", err)
		return
	}
	go cmd.Wait() // reap it; its fate does not matter
}

// serveUntilDone serves h on addr (host defaulting to 127.0.0.1) until ctx
// is done, printing the URL on stderr.
func serveUntilDone(ctx context.Context, env Env, cmd, addr string, h http.Handler) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		// A bare port, "8080".
		host, port = "", strings.TrimPrefix(addr, ":")
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); (ip == nil && host != "localhost") || (ip != nil && !ip.IsLoopback()) {
		fmt.Fprintf(env.Stderr, "execspec %s: warning: %s is not a loopback address: anyone who can reach it can use this page\n", cmd, host)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	srv := localguard.DefaultLimits.Server(h)
	fmt.Fprintf(env.Stderr, "execspec %s: serving http://%s/ (Ctrl-C to stop)\n", cmd, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(localguard.DefaultLimits.Listener(ln)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
	}
	fmt.Fprintf(env.Stderr, "execspec %s: stopped\n", cmd)
	return nil
}
