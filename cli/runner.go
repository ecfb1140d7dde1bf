package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

// RunModel is the main function of a model runner: it runs one execspec
// command (run, replay, check, list) on spec and returns the exit code.
// Prefer [RunSpec], which also reports a panic in the Spec function itself.
func RunModel[S any](args []string, spec *execspec.Spec[S]) int {
	return RunSpec(args, func() *execspec.Spec[S] { return spec })
}

// RunSpec is the main function of a model runner: it calls spec (the
// model package's Spec function), runs one execspec command on its result
// and returns the exit code. A panic in spec, in an instance's constructor
// or while compiling the model is reported as an input error (exit 4)
// naming what panicked, not as a crash. Model code that calls
// runtime.Goexit, or does not return within the grace period after the
// run is told to stop, ends the run with ExitNoResult (see DefaultGrace).
// Under the execspec command, the runner reports to it over a side
// channel, ending with a final record of the exit code.
func RunSpec[S any](args []string, spec func() *execspec.Spec[S]) int {
	env := ProcessEnv()
	if os.Getenv(envTerminal) == "1" {
		env.StderrIsTerminal = true
	}
	mon := newMonitor(env)
	env.mon = mon
	ctx, got, again := stopOnSignals()
	code, reason := mon.run(ctx, again, func() int { return runSpec(ctx, args, spec, env, got) })
	mon.final(code, reason)
	return code
}

// runSpec is RunSpec's command, run under its monitor.
func runSpec[S any](ctx context.Context, args []string, spec func() *execspec.Spec[S], env Env, got func() os.Signal) int {
	sp, err := recoverUser("Spec()", func() (*execspec.Spec[S], error) { return spec(), nil })
	if err == nil && sp == nil {
		err = errors.New("Spec() returned nil")
	}
	if err != nil {
		reportError(env, "", err)
		return ExitUsage
	}
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	env.mon.setCommand(cmd)
	code, err := recoverUser("execspec "+cmd+" (model code outside an action)", func() (int, error) {
		return RunModelEnv(ctx, args, sp, env), nil
	})
	if err != nil {
		reportError(env, cmd, err)
		return ExitUsage
	}
	if code == ExitInterrupted {
		code = interruptedCode(got())
	}
	return code
}

// sameSignalWindow is how close two signals must be to count as one: a
// terminal's Ctrl-C reaches the runner both directly and forwarded by the
// front end.
const sameSignalWindow = time.Second

// stopOnSignals returns a context cancelled by the first SIGINT, SIGTERM
// or SIGHUP, a function returning that signal (nil before), and a channel
// that receives when another signal comes, sameSignalWindow or more after
// the first: stop at once. The signals stay caught until the process
// exits: a second one must not kill the runner while it prints its
// statistics.
func stopOnSignals() (context.Context, func() os.Signal, <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 4)
	again := make(chan struct{}, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	var mu sync.Mutex
	var first os.Signal
	var firstAt time.Time
	go func() {
		for sig := range ch {
			mu.Lock()
			switch {
			case first == nil:
				first, firstAt = sig, time.Now()
			case time.Since(firstAt) >= sameSignalWindow:
				select {
				case again <- struct{}{}:
				default:
				}
			}
			mu.Unlock()
			cancel()
		}
	}()
	return ctx, func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		return first
	}, again
}

// interruptedCode is the exit code of a command stopped by sig, by the
// shell's convention 128+n: 130 for SIGINT (and when sig is unknown), 143
// for SIGTERM, 129 for SIGHUP.
func interruptedCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok && s != syscall.SIGINT {
		return 128 + int(s)
	}
	return ExitInterrupted
}

// reportError prints an error that ends a command: the message, and the
// stack of a panic when the environment asks for it.
func reportError(env Env, cmd string, err error) {
	prefix := "execspec"
	if cmd != "" {
		prefix += " " + cmd
	}
	fmt.Fprintf(env.Stderr, "%s: %v\n", prefix, err)
	var up *userPanicError
	if errors.As(err, &up) {
		if tracebackWanted(env.Environ) {
			fmt.Fprintf(env.Stderr, "%s\n", up.stack)
		} else {
			fmt.Fprintf(env.Stderr, "(set %s=1 for the goroutine stack)\n", EnvTraceback)
		}
	}
}

// RunModelEnv is RunModel with an explicit context and environment (for
// tests).
func RunModelEnv[S any](ctx context.Context, args []string, spec *execspec.Spec[S], env Env) int {
	env = env.withDefaults()
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	s := &session[S]{spec: spec, env: env, pkg: packageName(env)}
	var code int
	var err error
	switch args[0] {
	case "run":
		code, err = s.run(ctx, args[1:])
	case "replay":
		code, err = s.replay(ctx, args[1:])
	case "list":
		code, err = s.list(args[1:])
	case "check":
		code, err = s.check(ctx, args[1:])
	case "explore":
		code, err = s.explore(ctx, args[1:])
	default:
		err = usagef("unknown command %q", args[0])
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		// Errors that reach here are all about the input: flags, names,
		// the model's definition, files.
		reportError(env, args[0], err)
		return ExitUsage
	}
	return code
}

func packageName(env Env) string {
	if v := env.Getenv(EnvPackage); v != "" {
		return v
	}
	return "."
}

// session is one command run against a spec.
type session[S any] struct {
	spec *execspec.Spec[S]
	env  Env
	pkg  string
	// out receives human-readable text: stdout, or stderr when a sink
	// writes to stdout (--json).
	out   io.Writer
	sinks []sink
}

func (s *session[S]) printf(format string, args ...any) {
	fmt.Fprintf(s.out, format, args...)
}

// machine builds and compiles the named instance.
func (s *session[S]) machine(instance string) (*machine.Machine[S], string, error) {
	if instance == "" {
		names := s.spec.Instances()
		if len(names) == 0 {
			return nil, "", usagef("spec %s has no instances", s.spec.Name())
		}
		instance = names[0]
	}
	m, err := recoverUser(fmt.Sprintf("the constructor of instance %q", instance), func() (*execspec.Model[S], error) {
		return s.spec.Model(instance)
	})
	if err != nil {
		return nil, "", &usageError{err}
	}
	mc, err := recoverUser(fmt.Sprintf("compiling instance %q", instance), func() (*machine.Machine[S], error) {
		return machine.Compile(m)
	})
	if err != nil {
		return nil, "", &usageError{variantsHint(err, s.pkgDir(), s.pkg)}
	}
	attach(s.env.mon, mc)
	return mc, instance, nil
}

// pkgDir returns the model package's directory when it was named by a
// path ("./model"), "" when by an import path.
func (s *session[S]) pkgDir() string {
	switch {
	case filepath.IsAbs(s.pkg):
		return s.pkg
	case s.pkg == "." || strings.HasPrefix(s.pkg, "./") || strings.HasPrefix(s.pkg, "../"):
		return filepath.Join(s.env.Dir, s.pkg)
	}
	return ""
}

// newFlags returns a flag set whose errors go to stderr.
func (s *session[S]) newFlags(name string) *flag.FlagSet {
	return newFlagSet(name, "execspec "+name+" PACKAGE [flags]", s.env.Stderr)
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (the package goes right after the command)", fs.Arg(0))
	}
	return nil
}

// positive checks that a numeric flag is at least 1.
func positive(name string, v int) error {
	if v < 1 {
		return usagef("--%s must be at least 1, got %d", name, v)
	}
	return nil
}
