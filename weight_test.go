package execspec_test

import (
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

func TestWeights(t *testing.T) {
	build := func(weights map[string]float64) (*machine.Machine[struct{ N int }], error) {
		m := execspec.NewModel[struct{ N int }]("w")
		m.Init(func(c *execspec.Ctx[struct{ N int }]) {})
		m.Action("a", func(c *execspec.Ctx[struct{ N int }]) { c.S.N++ })
		m.Action("b", func(c *execspec.Ctx[struct{ N int }]) { c.S.N-- })
		for _, name := range []string{"a", "b", "c"} {
			if w, ok := weights[name]; ok {
				m.Weight(name, w)
			}
		}
		return machine.Compile(m)
	}
	cases := []struct {
		name    string
		weights map[string]float64
		want    []float64
		err     string
	}{
		{"none declared: uniform", nil, nil, ""},
		{"all equal: uniform", map[string]float64{"a": 2, "b": 2}, nil, ""},
		{"rare action", map[string]float64{"b": 0.1}, []float64{1, 0.1}, ""},
		{"zero", map[string]float64{"a": 0}, nil, `weight of action "a" is 0`},
		{"negative", map[string]float64{"a": -1}, nil, "must be positive"},
		{"unknown action", map[string]float64{"c": 1}, nil, `weight for unknown action "c"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mc, err := build(tc.weights)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := mc.ActionWeights()
			if len(got) != len(tc.want) {
				t.Fatalf("weights %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("weights %v, want %v", got, tc.want)
				}
			}
		})
	}
}
