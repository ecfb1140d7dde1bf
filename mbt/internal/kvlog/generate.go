package kvlog

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Generate returns a linearizable log of ops operations by clients
// clients on keys keys, from seed: each client calls its next operation a
// while after its last answer, the operation takes effect a while after
// its call and is answered a while after that, and gets read what the
// operations that took effect before them wrote. Puts write a value unique
// to the operation; a fifth of the writes are appends.
func Generate(seed uint64, clients, ops, keys int) []Op {
	rnd := rand.New(rand.NewPCG(seed, 0x6b76))
	type timed struct {
		op                  Op
		call, effect, reply int64
	}
	var all []timed
	next := make([]int64, clients)
	for c := range next {
		next[c] = int64(c) // every time of client c is c modulo clients: distinct
	}
	for i := 0; i < ops; i++ {
		c := rnd.IntN(clients)
		t := timed{op: Op{Client: c, Key: strconv.Itoa(rnd.IntN(keys))}}
		t.call = next[c] + int64(1+rnd.IntN(20))*int64(clients)
		t.effect = t.call + int64(1+rnd.IntN(40))*int64(clients)
		t.reply = t.effect + int64(1+rnd.IntN(40))*int64(clients)
		next[c] = t.reply
		switch r := rnd.IntN(10); {
		case r < 5:
			t.op.F = "get"
		case r < 8:
			t.op.F, t.op.Value = "put", fmt.Sprintf("x %d %d y", c, i)
		default:
			t.op.F, t.op.Value = "append", fmt.Sprintf("x %d %d y", c, i)
		}
		all = append(all, t)
	}
	// Apply the operations in the order they took effect.
	byEffect := make([]int, len(all))
	for i := range byEffect {
		byEffect[i] = i
	}
	slices.SortFunc(byEffect, func(a, b int) int { return cmp.Compare(all[a].effect, all[b].effect) })
	store := map[string]string{}
	for _, i := range byEffect {
		op := &all[i].op
		switch op.F {
		case "get":
			op.Value = store[op.Key]
		case "put":
			store[op.Key] = op.Value
		case "append":
			store[op.Key] += op.Value
		}
	}
	// Number the events in time order.
	type event struct {
		t    int64
		i    int
		call bool
	}
	var evs []event
	for i, t := range all {
		evs = append(evs, event{t.call, i, true}, event{t.reply, i, false})
	}
	slices.SortFunc(evs, func(a, b event) int { return cmp.Compare(a.t, b.t) })
	out := make([]Op, len(all))
	for n, e := range evs {
		if e.call {
			out[e.i] = all[e.i].op
			out[e.i].Call = n
		} else {
			out[e.i].Return = n
		}
	}
	return out
}

// Corrupt returns ops with the read at or after index i changed to a
// value nobody wrote: a non-linearizable log (false when there is no read
// to change).
func Corrupt(ops []Op, i int) ([]Op, bool) {
	out := slices.Clone(ops)
	for j := i; j < len(out); j++ {
		if out[j].F == "get" && out[j].Return >= 0 {
			out[j].Value += " never written"
			return out, true
		}
	}
	return out, false
}

// Format writes ops back as a log, one event a line, in time order.
func Format(ops []Op) []string {
	type line struct {
		at   int
		text string
	}
	var lines []line
	q := func(s string) string { return strconv.Quote(s) }
	for _, op := range ops {
		in := "nil"
		if op.F != "get" {
			in = q(op.Value)
		}
		lines = append(lines, line{op.Call, fmt.Sprintf("{:process %d, :type :invoke, :f :%s, :key %s, :value %s}", op.Client, op.F, q(op.Key), in)})
		if op.Return >= 0 {
			lines = append(lines, line{op.Return, fmt.Sprintf("{:process %d, :type :ok, :f :%s, :key %s, :value %s}", op.Client, op.F, q(op.Key), q(op.Value))})
		}
	}
	slices.SortFunc(lines, func(a, b line) int { return a.at - b.at })
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return out
}
