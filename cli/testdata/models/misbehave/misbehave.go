// Package misbehave holds models whose code leaves the engines no way to
// report it: each instance has an action "bad" that, on its branch n = 2,
// exits the process, calls runtime.Goexit, overflows the stack, panics in a
// goroutine it starts, loops for ever or allocates without bound. The
// execspec command must still end with its documented exit code and name
// the action.
package misbehave

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/execspec/execspec"
)

// State is the model state.
type State struct{ N int }

// keep holds what the "hog" action allocates, so the collector cannot free it.
var keep [][]byte

// spins counts the "loop" action's iterations.
var spins int

// announce makes the "loop" action say once that it loops.
var announce sync.Once

// Spec returns the model, one instance per misbehaviour.
func Spec() *execspec.Spec[State] {
	// A stack overflow then costs 64 MiB of stack, not the default 1 GiB.
	debug.SetMaxStack(64 << 20)
	sp := execspec.NewSpec[State]("misbehave")
	for _, in := range []struct {
		name string
		bad  func()
	}{
		{"exit", func() { os.Exit(0) }},
		{"goexit", runtime.Goexit},
		{"overflow", func() { spins += deep(0) }},
		{"goroutine_panic", func() {
			go func() { panic("boom in a goroutine the action started") }()
			select {}
		}},
		{"loop", func() {
			// Say so, once, so that a test knows when to stop the run.
			announce.Do(func() { fmt.Fprintln(os.Stderr, "misbehave: action bad loops for ever") })
			for {
				spins++
			}
		}},
		{"hog", func() {
			for {
				b := make([]byte, 1<<20)
				for i := 0; i < len(b); i += 4096 {
					b[i] = 1
				}
				keep = append(keep, b)
			}
		}},
	} {
		sp.Instance(in.name, func() *execspec.Model[State] { return build(in.bad, false) })
	}
	sp.Instance("goexit_invariant", func() *execspec.Model[State] { return build(nil, true) })
	return sp
}

func build(bad func(), goexitInInvariant bool) *execspec.Model[State] {
	m := execspec.NewModel[State]("misbehave")
	m.Init(func(c *execspec.Ctx[State]) {})
	m.Action("step", func(c *execspec.Ctx[State]) {
		c.Assume(c.S.N < 3)
		c.S.N++
	})
	m.Action("bad", func(c *execspec.Ctx[State]) {
		n := execspec.IntRange(c, "n", 1, 2)
		if n == 2 && c.S.N >= 1 && bad != nil {
			bad()
		}
	})
	m.Invariant("small", func(s *State) bool {
		if goexitInInvariant && s.N == 2 {
			runtime.Goexit()
		}
		return s.N < 10
	})
	return m
}

// deep recurses until the stack overflows.
func deep(n int) int { return deep(n+1) + 1 }
