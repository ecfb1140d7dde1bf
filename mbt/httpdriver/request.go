package httpdriver

import (
	"encoding/json"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
)

// StepRequest is the JSON body Driver posts for a step by default:
//
//	{"index": 3, "action": "withdraw", "picks": {"account": "alice", "amount": 2}}
//
// It does not say whether the model allows the step: the service must
// decide that itself.
// Picks are plain JSON: integers as numbers, sets, lists and tuples as
// arrays, records and maps with string or integer keys as objects, other
// maps as arrays of [key, value] pairs, variants as {"tag": .., "value": ..}.
type StepRequest struct {
	Index  int            `json:"index"`
	Action string         `json:"action"`
	Picks  map[string]any `json:"picks"`
}

// NewStepRequest returns the request body of step s.
func NewStepRequest(s mbt.Step) StepRequest {
	r := StepRequest{Index: s.Index, Action: s.Action, Picks: map[string]any{}}
	for _, p := range s.Values {
		r.Picks[p.Label] = plainJSON(p.Value)
	}
	return r
}

// plainJSON converts an ITF value to what encoding/json writes as plain
// JSON.
func plainJSON(v itf.Value) any {
	switch v.Kind() {
	case itf.KindBool:
		b, _ := v.AsBool()
		return b
	case itf.KindInt:
		if i, ok := v.AsBigInt(); ok {
			return json.Number(i.String())
		}
	case itf.KindString:
		s, _ := v.AsString()
		return s
	case itf.KindList, itf.KindTuple, itf.KindSet:
		out := make([]any, 0, v.Len())
		for _, e := range v.Elems() {
			out = append(out, plainJSON(e))
		}
		return out
	case itf.KindRecord:
		out := make(map[string]any, v.Len())
		for _, f := range v.Fields() {
			out[f.Name] = plainJSON(f.Value)
		}
		return out
	case itf.KindMap:
		obj := make(map[string]any, v.Len())
		for _, e := range v.Entries() {
			switch e.Key.Kind() {
			case itf.KindString:
				k, _ := e.Key.AsString()
				obj[k] = plainJSON(e.Value)
			case itf.KindInt:
				obj[e.Key.String()] = plainJSON(e.Value)
			default:
				pairs := make([]any, 0, v.Len())
				for _, e := range v.Entries() {
					pairs = append(pairs, []any{plainJSON(e.Key), plainJSON(e.Value)})
				}
				return pairs
			}
		}
		return obj
	case itf.KindVariant:
		return map[string]any{"tag": v.Tag(), "value": plainJSON(v.Payload())}
	}
	return v.String()
}
