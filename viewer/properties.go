package viewer

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// Trace #meta keys of the per-step property table. A page shows the table
// with, for each property, the first step that violates it (an invariant
// that is false) or reaches it (an example that is true).
const (
	// MetaProperties maps each property's name to a list with its truth
	// at each step (true, false, or null when it could not be evaluated):
	// "#meta": {"properties": {"no_inconsistent_root": [true, true, false]}}.
	MetaProperties = "properties"
	// MetaPropertyKinds maps a property's name to "invariant" or
	// "example"; properties not listed are invariants.
	MetaPropertyKinds = "propertyKinds"
)

// AnnotateProperties records in t's #meta the truth of the named
// invariants at each step: values[i][j] is whether names[i] holds at step j.
// Model-less tools (execspec view) show the table; the model-side commands
// fill it. Use AnnotateModel to evaluate a model's properties.
func AnnotateProperties(t *trace.Trace, names []string, values [][]bool) error {
	if len(names) != len(values) {
		return fmt.Errorf("viewer: %d property names but %d value lists", len(names), len(values))
	}
	table := make(map[string]any, len(names))
	for i, name := range names {
		if len(values[i]) != len(t.Steps) {
			return fmt.Errorf("viewer: property %s: %d values for %d steps", name, len(values[i]), len(t.Steps))
		}
		if _, dup := table[name]; dup {
			return fmt.Errorf("viewer: property %s named twice", name)
		}
		list := make([]any, len(values[i]))
		for j, v := range values[i] {
			list[j] = v
		}
		table[name] = list
	}
	setTable(t, table, nil)
	return nil
}

// AnnotateModel evaluates every invariant and example of mc at every step of
// t and records the table in t's #meta, with each property's kind. A step
// invariant is evaluated on the step into each state (true for the
// initial state, which no step leads to) and shown as an invariant. A
// predicate that panics is recorded as null (not evaluated) at that step.
func AnnotateModel[S any](mc *machine.Machine[S], t *trace.Trace) error {
	var props []machine.Property[S]
	for _, p := range mc.Properties() {
		if p.Kind == machine.Invariant || p.Kind == machine.Example || p.Kind == machine.StepInvariant {
			props = append(props, p)
		}
	}
	table := make(map[string]any, len(props))
	kinds := make(map[string]any, len(props))
	lists := make([][]any, len(props))
	for i, p := range props {
		lists[i] = make([]any, len(t.Steps))
		kinds[p.Name] = p.Kind.String()
		if p.Kind == machine.StepInvariant {
			kinds[p.Name] = machine.Invariant.String() // violated where false
		}
	}
	var prev *S
	for j, st := range t.Steps {
		s, err := mc.FromITF(st.State)
		if err != nil {
			return fmt.Errorf("viewer: step %d: %w", j, err)
		}
		for i, p := range props {
			var ok bool
			switch {
			case p.Kind != machine.StepInvariant:
				ok, err = mc.Eval(p, &s)
			case prev == nil:
				ok, err = true, nil
			default:
				ok, err = mc.EvalStep(p, prev, &s)
			}
			if err == nil {
				lists[i][j] = ok
			}
		}
		prev = &s
	}
	for i, p := range props {
		table[p.Name] = lists[i]
	}
	setTable(t, table, kinds)
	return nil
}

func setTable(t *trace.Trace, table, kinds map[string]any) {
	if t.Meta == nil {
		t.Meta = map[string]any{}
	}
	t.Meta[MetaProperties] = table
	if kinds != nil {
		t.Meta[MetaPropertyKinds] = kinds
	}
}

// propView is one row of the page's property table.
type propView struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Values []*bool `json:"values"`
	// First is the index, among the steps shown, of the first step that
	// violates the invariant or reaches the example; -1 if none.
	First int `json:"first"`
}

// properties reads the property table of a trace's #meta for the steps
// from..to of a trace with n states. Malformed entries are skipped with a
// note saying so.
func properties(meta map[string]any, n, from, to int) ([]propView, []string) {
	raw, ok := meta[MetaProperties]
	if !ok {
		return []propView{}, nil
	}
	var notes []string
	table, ok := raw.(map[string]any)
	if !ok {
		return []propView{}, []string{fmt.Sprintf("ignored #meta.%s: not an object of per-step lists", MetaProperties)}
	}
	kinds, _ := meta[MetaPropertyKinds].(map[string]any)
	out := []propView{}
	for name, vals := range table {
		list, ok := toList(vals)
		if !ok || len(list) != n {
			notes = append(notes, fmt.Sprintf("ignored #meta.%s.%s: want a list of %d booleans, one per step", MetaProperties, name, n))
			continue
		}
		kind := "invariant"
		if k, _ := kinds[name].(string); k == "example" {
			kind = k
		}
		row := propView{Name: name, Kind: kind, First: -1}
		bad := false
		for j := from; j <= to; j++ {
			switch v := list[j].(type) {
			case nil:
				row.Values = append(row.Values, nil)
			case bool:
				b := v
				row.Values = append(row.Values, &b)
				if row.First < 0 && b == (kind == "example") {
					row.First = j - from
				}
			default:
				bad = true
			}
		}
		if bad {
			notes = append(notes, fmt.Sprintf("ignored #meta.%s.%s: its values must be true, false or null", MetaProperties, name))
			continue
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind == "invariant"
		}
		return out[i].Name < out[j].Name
	})
	sort.Strings(notes)
	return out, notes
}

// toList converts a decoded or in-memory per-step list.
func toList(v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case []bool:
		out := make([]any, len(v))
		for i, b := range v {
			out[i] = b
		}
		return out, true
	case json.RawMessage:
		var out []any
		if err := json.Unmarshal(v, &out); err != nil {
			return nil, false
		}
		return out, true
	}
	return nil, false
}
