// Command acme serves the ACME CloudDB DNS control plane: the status page,
// the health check, the resolver and the model-based testing API of package
// controlplane.
//
// Usage:
//
//	go run ./examples/dnscontrol/cmd/acme [-addr 127.0.0.1:8053] [-allow-host NAME,...] [-dir DIR] [-keep 3] [-fixed | -live] [-auto [-slow deployer-c] [-seed 1]]
//
// With -auto the planner and the deployers run on their own timers; with
// -slow deployer-c that deployer lags behind until the outage happens (unless
// -fixed). Open http://127.0.0.1:8053/ to watch.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/execspec/execspec/examples/dnscontrol/autopilot"
	"github.com/execspec/execspec/examples/dnscontrol/controlplane"
	"github.com/execspec/execspec/internal/localguard"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "acme:", err)
		stop()
		os.Exit(1)
	}
}

// run parses args, serves until ctx is done and shuts down gracefully.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("acme", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8053", "HTTP listen address")
	dir := fs.String("dir", filepath.Join(os.TempDir(), "acme-dnscontrol"), "data directory (zone, plans, deployer states)")
	keep := fs.Int("keep", 3, "plans kept by cleanup")
	fixed := fs.Bool("fixed", false, "enable the guards that prevent the outage")
	live := fs.Bool("live", false, "also let a deployer behind the root skip to the newest plan (implies -fixed)")
	auto := fs.Bool("auto", false, "run the planner and deployers on timers (autopilot)")
	slow := fs.String("slow", "", "with -auto, the deployer that waits long between sync and deploy, e.g. deployer-c")
	seed := fs.Uint64("seed", 1, "with -auto, the seed of the random schedule and plans")
	allowHosts := fs.String("allow-host", "", "host names, comma-separated, the API answers to besides loopback names and the -addr host (others are refused, against DNS rebinding)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := log.New(stderr, "", 0) // events carry their own time

	hosts := []string{localguard.ListenHost(*addr)}
	for _, h := range strings.Split(*allowHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	cp, err := controlplane.Open(controlplane.Config{Dir: *dir, Keep: *keep, Fixed: *fixed || *live, Live: *live, Hosts: hosts})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Slow or stalled clients are dropped, and at most so many are served
	// at once (see localguard.Limits).
	srv := localguard.DefaultLimits.Server(cp.Handler())
	if localguard.Exposed(*addr) {
		logger.Printf("acme: warning: -addr %s listens beyond this machine: anyone who can reach it can drive the control plane (use 127.0.0.1:PORT to keep it local)", *addr)
	}
	logger.Printf("ACME CloudDB control plane on http://%s/ (dir %s, keep %d, fixed %v, live %v)", ln.Addr(), *dir, *keep, *fixed || *live, *live)

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(localguard.DefaultLimits.Listener(ln)) }()
	if *auto {
		cfg := cp.Config()
		apCfg := autopilot.DefaultConfig(cfg.Deployers, cfg.IPs)
		apCfg.Slow = *slow
		ap, err := autopilot.New(cp, apCfg, autopilot.SystemClock(), rand.New(rand.NewPCG(*seed, 0)))
		if err != nil {
			_ = srv.Close()
			return err
		}
		go func() { errc <- ap.Run(ctx, func(ev autopilot.Event) { logger.Print(ev) }) }()
	}

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, context.Canceled) && !errors.Is(err, http.ErrServerClosed) {
			_ = srv.Close()
			return err
		}
	}
	logger.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
