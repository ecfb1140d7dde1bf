// Package kvlog reads key-value histories in the Jepsen-style text format
// of porcupine's test logs, generates such histories, and gives the model
// and mbt histories to check them with: the shared ground of mbt's tests
// and of the side-by-side benchmark against porcupine
// (mbt/internal/porcupinebench).
//
// A log is one event a line:
//
//	{:process 3, :type :invoke, :f :put, :key "7", :value "x 3 0 y"}
//	{:process 3, :type :ok, :f :put, :key "7", :value "x 3 0 y"}
//
// with :f one of :get, :put and :append, and a get's :ok carrying the value
// read. An invocation without its :ok is an operation without an answer.
package kvlog

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt/linearize"
)

// Op is one operation of a log.
type Op struct {
	Client int
	// F is "get", "put" or "append".
	F   string
	Key string
	// Value is what a put or append writes, or what a get read.
	Value string
	// Call and Return are the indices of the invocation's and the answer's
	// events; Return is -1 for an operation without an answer.
	Call, Return int
}

var line = regexp.MustCompile(`^\{:process (\d+), :type :(invoke|ok), :f :(get|put|append), :key "(.*)", :value (nil|"(.*)")\}$`)

// Read reads a log.
func Read(r io.Reader) ([]Op, error) {
	var ops []Op
	open := map[int]int{} // client -> its invoked operation
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for ev := 0; sc.Scan(); ev++ {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			return nil, fmt.Errorf("kvlog: line %d: not an event: %q", ev+1, sc.Text())
		}
		client, err := strconv.Atoi(m[1])
		if err != nil || client > linearize.MaxHistoryClients {
			return nil, fmt.Errorf("kvlog: line %d: process %q", ev+1, m[1])
		}
		if m[2] == "invoke" {
			if _, busy := open[client]; busy {
				return nil, fmt.Errorf("kvlog: line %d: process %d invokes before its last answer", ev+1, client)
			}
			open[client] = len(ops)
			ops = append(ops, Op{Client: client, F: m[3], Key: m[4], Value: m[6], Call: ev, Return: -1})
			continue
		}
		i, busy := open[client]
		if !busy || ops[i].F != m[3] {
			return nil, fmt.Errorf("kvlog: line %d: an answer of process %d to no %s", ev+1, client, m[3])
		}
		delete(open, client)
		ops[i].Return = ev
		if m[3] == "get" {
			ops[i].Value = m[6]
		}
	}
	return ops, sc.Err()
}

// State is the model's state: the store's values by key.
type State struct {
	M map[string]string `itf:"m"`
}

// Checkable is a log made ready for mbt: its model and its history.
type Checkable struct {
	Model   *execspec.Model[State]
	History *linearize.History
	// Values lists what puts and appends write; an operation's input
	// pick "v" is an index into it.
	Values []string
}

// Outputs are the model's output picks.
var Outputs = []string{"value"}

// Prepare builds the model and the history of ops. The model's put and
// append pick their value by index among the log's values (a pick of an
// integer range follows a recorded value at once); a get reads the key's
// value through its output pick "value".
func Prepare(ops []Op) (*Checkable, error) {
	var keys, values []string
	seen := map[string]int{}
	for _, op := range ops {
		if !slices.Contains(keys, op.Key) {
			keys = append(keys, op.Key)
		}
		if op.F != "get" {
			if _, ok := seen[op.Value]; !ok {
				seen[op.Value] = len(values)
				values = append(values, op.Value)
			}
		}
	}
	slices.Sort(keys)
	m := execspec.NewModel[State]("kv")
	m.Init(func(c *execspec.Ctx[State]) { c.S.M = map[string]string{} })
	m.Action("get", func(c *execspec.Ctx[State]) {
		k := execspec.OneOf(c, "key", keys)
		execspec.OneOf(c, "value", []string{c.S.M[k]})
	})
	m.Action("put", func(c *execspec.Ctx[State]) {
		k := execspec.OneOf(c, "key", keys)
		c.S.M[k] = values[execspec.IntRange(c, "v", 0, len(values)-1)]
	})
	m.Action("append", func(c *execspec.Ctx[State]) {
		k := execspec.OneOf(c, "key", keys)
		c.S.M[k] += values[execspec.IntRange(c, "v", 0, len(values)-1)]
	})
	h := &linearize.History{Model: "kv"}
	sorted := slices.Clone(ops)
	slices.SortStableFunc(sorted, func(a, b Op) int { return a.Call - b.Call })
	for _, op := range sorted {
		h.Clients = max(h.Clients, op.Client+1)
		o := linearize.Operation{Client: op.Client, Action: op.F, Inputs: []linearize.Arg{{Label: "key", Value: itf.String(op.Key)}}, Call: int64(op.Call)}
		switch {
		case op.F != "get":
			o.Inputs = append(o.Inputs, linearize.Arg{Label: "v", Value: itf.Int(int64(seen[op.Value]))})
		case op.Return >= 0:
			o.Outputs = []linearize.Arg{{Label: "value", Value: itf.String(op.Value)}}
		}
		if op.Return < 0 {
			o.Pending = true
		} else {
			o.Return = int64(op.Return)
		}
		h.Ops = append(h.Ops, o)
	}
	return &Checkable{Model: m, History: h, Values: values}, nil
}
