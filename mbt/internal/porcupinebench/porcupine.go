package porcupinebench

import (
	"sort"

	"github.com/anishathalye/porcupine"
	"github.com/execspec/execspec/mbt/internal/kvlog"
)

type kvInput struct {
	op         uint8 // 0 get, 1 put, 2 append
	key, value string
}

type kvOutput struct{ value string }

func step(state, input, output any) (bool, any) {
	in := input.(kvInput)
	st := state.(string)
	switch in.op {
	case 0:
		return output.(kvOutput).value == st, state
	case 1:
		return true, in.value
	}
	return true, st + in.value
}

// Model is porcupine's key-value model, checking each key alone when
// partition is true, else the whole store as a map.
func Model(partition bool) porcupine.Model {
	if partition {
		return porcupine.Model{
			Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
				by := map[string][]porcupine.Operation{}
				var keys []string
				for _, op := range h {
					k := op.Input.(kvInput).key
					if _, ok := by[k]; !ok {
						keys = append(keys, k)
					}
					by[k] = append(by[k], op)
				}
				sort.Strings(keys)
				out := make([][]porcupine.Operation, len(keys))
				for i, k := range keys {
					out[i] = by[k]
				}
				return out
			},
			Init: func() any { return "" },
			Step: step,
		}
	}
	return porcupine.Model{
		Init: func() any { return map[string]string{} },
		Step: func(state, input, output any) (bool, any) {
			st := state.(map[string]string)
			in := input.(kvInput)
			ok, v := step(st[in.key], input, output)
			if !ok || in.op == 0 {
				return ok, state
			}
			next := make(map[string]string, len(st)+1)
			for k, x := range st {
				next[k] = x
			}
			next[in.key] = v.(string)
			return true, next
		},
		Equal: func(a, b any) bool {
			x, y := a.(map[string]string), b.(map[string]string)
			if len(x) != len(y) {
				return false
			}
			for k, v := range x {
				if w, ok := y[k]; !ok || w != v {
					return false
				}
			}
			return true
		},
	}
}

// Operations converts a log for porcupine. An operation without an answer
// returns after every other event with no output, as porcupine's own
// reader of these logs does.
func Operations(ops []kvlog.Op) []porcupine.Operation {
	last := int64(0)
	for _, op := range ops {
		last = max(last, int64(op.Call), int64(op.Return))
	}
	out := make([]porcupine.Operation, len(ops))
	for i, op := range ops {
		in := kvInput{key: op.Key}
		switch op.F {
		case "put":
			in.op, in.value = 1, op.Value
		case "append":
			in.op, in.value = 2, op.Value
		}
		ret, res := int64(op.Return), kvOutput{}
		if op.F == "get" {
			res.value = op.Value
		}
		if op.Return < 0 {
			last++
			ret = last
		}
		out[i] = porcupine.Operation{ClientId: op.Client, Input: in, Call: int64(op.Call), Output: res, Return: ret}
	}
	return out
}
