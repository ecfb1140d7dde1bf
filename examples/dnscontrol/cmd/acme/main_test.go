package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestRunShutsDownWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if SIGINT arrived right after start-up
	var stderr bytes.Buffer
	err := run(ctx, []string{"-addr", "127.0.0.1:0", "-dir", t.TempDir(), "-auto", "-slow", "deployer-c", "-fixed"}, &stderr)
	if err != nil {
		t.Fatalf("run = %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Fatalf("no shutdown message:\n%s", stderr.String())
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-bogus"},
		{"-keep", "-1", "-dir", t.TempDir()},
		{"-addr", "127.0.0.1:0", "-dir", t.TempDir(), "-auto", "-slow", "deployer-z"},
		{"-addr", "not an address", "-dir", t.TempDir()},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), args, &stderr); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// acme says so when it listens beyond the machine, and only then.
func TestExposedAddressWarning(t *testing.T) {
	for addr, warns := range map[string]bool{":0": true, "127.0.0.1:0": false} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		errc := make(chan error, 1)
		go func() { errc <- run(ctx, []string{"-addr", addr, "-dir", t.TempDir()}, pw) }()
		var seen []string
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			seen = append(seen, sc.Text())
			if strings.Contains(sc.Text(), "control plane on http://") {
				break
			}
		}
		cancel()
		go io.Copy(io.Discard, pr) // the shutdown message
		if err := <-errc; err != nil {
			t.Fatalf("-addr %s: %v", addr, err)
		}
		pw.Close()
		got := strings.Contains(strings.Join(seen, "\n"), "warning: -addr "+addr+" listens beyond this machine")
		if got != warns {
			t.Errorf("-addr %s: warning %v, want %v:\n%s", addr, got, warns, strings.Join(seen, "\n"))
		}
	}
}
