package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestParseArgsErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-seeds", "0"}, "-seeds 0: need at least 1"},
		{[]string{"-timeout", "0s"}, "-timeout 0s: must be positive"},
		{[]string{"-bfs-timeout", "-1s"}, "-bfs-timeout -1s: must be positive"},
		{[]string{"-bfs-memory", "0"}, "-bfs-memory 0: need at least 1 MiB"},
		{[]string{"-max-steps", "-3"}, "-max-steps -3: need at least 1"},
		{[]string{"-samples", "0"}, "-samples 0: need at least 1"},
		{[]string{"-workers", "0"}, "-workers 0: need at least 1"},
		{[]string{"-strategies", "bfs"}, `unknown simulation strategy "bfs"`},
		{[]string{"-strategies", " , "}, "name at least one of uniform, swarm, guided"},
		{[]string{"semisync"}, `unexpected argument "semisync"`},
		{[]string{"-seeds", "many"}, `invalid value "many"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseArgs(tc.args, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestParseArgsDefaults(t *testing.T) {
	c, err := parseArgs(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.seeds != 20 || c.timeout != time.Minute || c.maxSteps != 100 || len(c.strategies) != 3 || c.models != nil || c.fixed {
		t.Errorf("defaults %+v", c)
	}
}

func TestSelectTargets(t *testing.T) {
	all := []target{
		{model: "a", instance: "small"}, {model: "a", instance: "small_fixed"},
		{model: "b", instance: "big"}, {model: "b", instance: "big_fixed"},
	}
	cases := []struct {
		filter []string
		fixed  bool
		want   string
	}{
		{nil, false, "a/small b/big"},
		{nil, true, "a/small a/small_fixed b/big b/big_fixed"},
		{[]string{"b"}, false, "b/big"},
		{[]string{"b"}, true, "b/big b/big_fixed"},
		{[]string{"a/small_fixed", "b/big"}, false, "a/small_fixed b/big"},
	}
	for _, tc := range cases {
		ts, err := selectTargets(all, tc.filter, tc.fixed)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tg := range ts {
			got = append(got, tg.model+"/"+tg.instance)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("filter %v fixed %v: %q, want %q", tc.filter, tc.fixed, g, tc.want)
		}
	}
	_, err := selectTargets(all, []string{"a", "c/x"}, false)
	if err == nil || !strings.Contains(err.Error(), `unknown model or instance "c/x"; valid: a/small, a/small_fixed, b/big, b/big_fixed`) {
		t.Errorf("unknown name: %v", err)
	}
}

func TestSummarize(t *testing.T) {
	ms := time.Millisecond
	runs := []seedRun{
		{found: true, cpu: 30 * ms, wall: 31 * ms, raw: 50, shrunk: 20},
		{found: false, cpu: 60 * ms},
		{found: true, cpu: 10 * ms, wall: 11 * ms, raw: 40, shrunk: 22},
		{found: true, cpu: 20 * ms, wall: 21 * ms, raw: 90, shrunk: 21},
	}
	got := summarize(runs)
	want := summary{found: 3, medianCPU: 20 * ms, worstCPU: -1, medianWall: 21 * ms, medianRaw: 50, medianShrunk: 21, longestShrunk: 22}
	if got != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	if got := summarize([]seedRun{{}, {}}); got.found != 0 || got.medianCPU != -1 || got.medianRaw != -1 || got.longestShrunk != -1 {
		t.Errorf("nothing found: %+v", got)
	}
}

func TestWriteReport(t *testing.T) {
	ms := time.Millisecond
	rep := report{
		model: "semisync", instance: "r2_t30", property: "no_acked_commit_lost",
		seeds: 2, timeout: time.Minute,
		bfs: &bfsRun{found: true, steps: 33, states: 1234, wall: 1500 * ms},
		rows: []row{
			{strategy: "uniform", runs: []seedRun{{}, {}}},
			{strategy: "swarm", runs: []seedRun{
				{found: true, cpu: 2 * ms, wall: 3 * ms, raw: 40, shrunk: 33},
				{found: true, cpu: 1234 * ms, wall: 1240 * ms, raw: 70, shrunk: 34},
			}},
		},
	}
	var b bytes.Buffer
	writeReport(&b, rep)
	want := `## semisync r2_t30 (no_acked_commit_lost)

BFS shortest: 33 steps (1234 states, 1.5s)

| strategy | found | median CPU | worst CPU | median wall | median length found | median length shrunk | longest shrunk |
| --- | --- | --- | --- | --- | --- | --- | --- |
| uniform | 0/2 | > 1m0s | > 1m0s | > 1m0s | - | - | - |
| swarm | 2/2 | 2ms | 1.23s | 3ms | 40 | 33 | 34 |
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	for _, tc := range []struct {
		bfs  bfsRun
		want string
	}{
		{bfsRun{complete: true, states: 9, wall: 500 * time.Microsecond}, "BFS shortest: none, every state explored (9 states, < 1ms)"},
		{bfsRun{depth: 41, states: 99, stopped: "timeout", wall: time.Minute}, "BFS shortest: more than 40 steps (stopped: timeout after 1m0s, 99 states)"},
		{bfsRun{stopped: "memory cap reached", wall: 2 * time.Second}, "BFS shortest: more than 0 steps (stopped: memory cap reached after 2s, 0 states)"},
	} {
		rep.bfs = &tc.bfs
		b.Reset()
		writeReport(&b, rep)
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("got\n%s\nwant a line %q", b.String(), tc.want)
		}
	}
}

func TestRunExitCodes(t *testing.T) {
	cases := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"-h"}, 0, "", "Models: raftvote, informergc, semisync"},
		{[]string{"-seeds", "-1"}, 2, "", "zoobench: -seeds -1: need at least 1"},
		{[]string{"-models", "nosuch"}, 2, "", `unknown model or instance "nosuch"`},
		{[]string{"-models", "semisync/r2_t3", "-seeds", "1", "-strategies", "uniform", "-timeout", "30s"}, 0,
			"| uniform | 1/1 |", "semisync/r2_t3: uniform seed 1: found true"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout.String(), stderr.String())
			}
		})
	}
}

// TestAllTargetsCompile: every instance zoobench names exists in its spec
// and compiles, and its property is one the model declares.
func TestAllTargetsCompile(t *testing.T) {
	for _, tg := range allTargets() {
		if _, err := tg.compile(); err != nil {
			t.Errorf("%s/%s: %v", tg.model, tg.instance, err)
		}
	}
}

// TestRunInterrupted: a cancelled run prints no partial table and exits
// 130, as a shell expects after Ctrl-C.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"-models", "semisync/r2_t3", "-seeds", "1"}, &stdout, &stderr)
	if code != 130 || strings.Contains(stdout.String(), "| uniform") || !strings.Contains(stderr.String(), "interrupted during semisync/r2_t3") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
}
