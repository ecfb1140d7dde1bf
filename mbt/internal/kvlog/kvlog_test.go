package kvlog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/execspec/execspec/mbt/internal/kvlog"
	"github.com/execspec/execspec/mbt/linearize"
)

func check(t *testing.T, ops []kvlog.Op, partition bool) linearize.Linearization {
	t.Helper()
	c, err := kvlog.Prepare(ops)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.History.Validate(); err != nil {
		t.Fatal(err)
	}
	opts := linearize.CheckOptions{}
	if partition {
		opts.Partition = linearize.PartitionBy("key")
	}
	chk, err := linearize.NewChecker(c.Model, opts)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := chk.Check(c.History)
	if err != nil {
		t.Fatal(err)
	}
	return lin
}

// TestPorcupineLogs: porcupine's key-value logs get porcupine's verdicts
// within the default budget, checked by key as porcupine checks them.
func TestPorcupineLogs(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"c10-ok", true},
		{"c10-bad", false},
		{"c50-ok", true}, // about a million attempts: seconds
		{"c50-bad", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "c50-ok" && testing.Short() {
				t.Skip("seconds long; runs without -short")
			}
			f, err := os.Open(filepath.Join("testdata", tc.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ops, err := kvlog.Read(f)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			lin := check(t, ops, true)
			t.Logf("%d operations, by key: %v in %v, %d attempts", len(ops), lin.OK, time.Since(start), lin.Nodes)
			if lin.OK != tc.ok || lin.Partitions != 10 {
				t.Errorf("by key: OK %v in %d partitions, want %v in 10", lin.OK, lin.Partitions, tc.ok)
			}
		})
	}
}

// TestGenerate: generated logs are linearizable, and corrupting a read
// makes them not; they read back from their text.
func TestGenerate(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		ops := kvlog.Generate(seed, 8, 300, 4)
		back, err := kvlog.Read(strings.NewReader(strings.Join(kvlog.Format(ops), "\n")))
		if err != nil {
			t.Fatal(err)
		}
		byCall := map[int]kvlog.Op{}
		for _, op := range ops {
			byCall[op.Call] = op
		}
		if len(back) != len(ops) {
			t.Fatalf("seed %d: read back %d operations of %d", seed, len(back), len(ops))
		}
		for _, op := range back {
			if byCall[op.Call] != op {
				t.Fatalf("seed %d: read back %+v for %+v", seed, op, byCall[op.Call])
			}
		}
		for _, part := range []bool{false, true} {
			if lin := check(t, ops, part); !lin.OK {
				t.Fatalf("seed %d, partitioned %v: a generated log is not linearizable", seed, part)
			}
			bad, ok := kvlog.Corrupt(ops, int(seed)*40)
			if !ok {
				t.Fatalf("seed %d: no read to corrupt", seed)
			}
			if lin := check(t, bad, part); lin.OK {
				t.Fatalf("seed %d, partitioned %v: a corrupted log is linearizable", seed, part)
			}
		}
	}
}

func TestCorruptNeedsARead(t *testing.T) {
	ops := []kvlog.Op{{F: "put", Key: "a", Value: "x", Call: 0, Return: 1}, {F: "get", Key: "a", Value: "x", Call: 2, Return: -1}}
	if _, ok := kvlog.Corrupt(ops, 0); ok {
		t.Error("Corrupt changed a read without an answer, or a put")
	}
}

func TestReadRejects(t *testing.T) {
	for _, tc := range []struct{ log, want string }{
		{"hello", "line 1: not an event"},
		{`{:process 1, :type :ok, :f :get, :key "a", :value "x"}`, "an answer of process 1 to no get"},
		{`{:process 1, :type :invoke, :f :get, :key "a", :value nil}` + "\n" + `{:process 1, :type :invoke, :f :get, :key "a", :value nil}`, "invokes before its last answer"},
		{`{:process 99999, :type :invoke, :f :get, :key "a", :value nil}`, "process"},
	} {
		if _, err := kvlog.Read(strings.NewReader(tc.log)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.log, err, tc.want)
		}
	}
	ops, err := kvlog.Read(strings.NewReader(`{:process 1, :type :invoke, :f :put, :key "a", :value "x"}`))
	if err != nil || len(ops) != 1 || ops[0].Return != -1 {
		t.Fatalf("an invocation without an answer: %+v, %v", ops, err)
	}
	c, err := kvlog.Prepare(ops)
	if err != nil || !c.History.Ops[0].Pending {
		t.Errorf("it is not pending: %+v, %v", c, err)
	}
}
