package main

import (
	"bytes"
	"context"
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
