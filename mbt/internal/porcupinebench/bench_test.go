package porcupinebench

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/anishathalye/porcupine"
	"github.com/execspec/execspec/mbt/internal/kvlog"
	"github.com/execspec/execspec/mbt/linearize"
)

// history is one benchmark input.
type history struct {
	name string
	ops  []kvlog.Op
	ok   bool
}

// generated are the 4-key histories of 1,000 and 10,000
// operations by 8 clients, linearizable and with one read corrupted.
func generated(tb testing.TB) []history {
	var out []history
	for _, n := range []int{1000, 10000} {
		ops := kvlog.Generate(1, 8, n, 4)
		bad, ok := kvlog.Corrupt(ops, n/2)
		if !ok {
			tb.Fatal("no read to corrupt")
		}
		out = append(out, history{fmt.Sprintf("gen4keys_%d_ok", n), ops, true}, history{fmt.Sprintf("gen4keys_%d_bad", n), bad, false})
	}
	return out
}

// logs are porcupine's own key-value logs.
func logs(tb testing.TB) []history {
	var out []history
	for _, name := range []string{"c10-ok", "c10-bad", "c50-ok", "c50-bad"} {
		f, err := os.Open(filepath.Join("..", "kvlog", "testdata", name+".txt"))
		if err != nil {
			tb.Fatal(err)
		}
		ops, err := kvlog.Read(f)
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, history{"porcupine_" + name, ops, name[len(name)-2:] == "ok"})
	}
	return out
}

func execspecCheck(tb testing.TB, ops []kvlog.Op, partition bool) (func() bool, int) {
	c, err := kvlog.Prepare(ops)
	if err != nil {
		tb.Fatal(err)
	}
	opts := linearize.CheckOptions{}
	if partition {
		opts.Partition = linearize.PartitionBy("key")
	}
	chk, err := linearize.NewChecker(c.Model, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return func() bool {
		lin, err := chk.Check(c.History)
		if err != nil {
			tb.Fatal(err)
		}
		return lin.OK
	}, len(c.History.Ops)
}

// TestAgree: both checkers give the expected verdict on every history,
// partitioned; on the small ones also whole.
func TestAgree(t *testing.T) {
	for _, h := range append(generated(t), logs(t)...) {
		t.Run(h.name, func(t *testing.T) {
			check, _ := execspecCheck(t, h.ops, true)
			if got := check(); got != h.ok {
				t.Errorf("execspec by key: %v, want %v", got, h.ok)
			}
			if got := porcupine.CheckOperations(Model(true), Operations(h.ops)); got != h.ok {
				t.Errorf("porcupine by key: %v, want %v", got, h.ok)
			}
		})
	}
}

// BenchmarkCheck times both checkers on each history, by key.
func BenchmarkCheck(b *testing.B) {
	hs := generated(b)
	if os.Getenv("PORCUPINEBENCH_LOGS") != "" {
		hs = append(hs, logs(b)...)
	}
	for _, h := range hs {
		b.Run(h.name+"/execspec", func(b *testing.B) {
			check, _ := execspecCheck(b, h.ops, true)
			cpu := startCPU()
			for b.Loop() {
				if check() != h.ok {
					b.Fatal("wrong verdict")
				}
			}
			cpu.report(b)
		})
		b.Run(h.name+"/porcupine", func(b *testing.B) {
			ops, model := Operations(h.ops), Model(true)
			cpu := startCPU()
			for b.Loop() {
				if porcupine.CheckOperations(model, ops) != h.ok {
					b.Fatal("wrong verdict")
				}
			}
			cpu.report(b)
		})
	}
}
