package httpdriver_test

import (
	"encoding/json"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/mbt"
	"github.com/execspec/execspec/mbt/httpdriver"
	"github.com/execspec/execspec/trace"
)

// TestNewStepRequest: a step's picks become plain JSON, kind by kind.
func TestNewStepRequest(t *testing.T) {
	for _, tc := range []struct {
		name string
		pick itf.Value
		want string
	}{
		{"bool", itf.Bool(true), `true`},
		{"int", itf.Int(-3), `-3`},
		{"string", itf.String("alice"), `"alice"`},
		{"list", itf.List(itf.Int(1), itf.Int(2)), `[1,2]`},
		{"set", itf.Set(itf.String("b"), itf.String("a")), `["a","b"]`},
		{"tuple", itf.Tuple(itf.Int(1), itf.String("x")), `[1,"x"]`},
		{"record", itf.Record(itf.Field{Name: "amount", Value: itf.Int(2)}), `{"amount":2}`},
		{"map, string keys", itf.Map(itf.Entry{Key: itf.String("k"), Value: itf.Int(1)}), `{"k":1}`},
		{"map, integer keys", itf.Map(itf.Entry{Key: itf.Int(7), Value: itf.Bool(false)}), `{"7":false}`},
		{"map, other keys", itf.Map(itf.Entry{Key: itf.Tuple(itf.Int(1), itf.Int(2)), Value: itf.Int(3)}), `[[[1,2],3]]`},
		{"variant", itf.Variant("Some", itf.Int(4)), `{"tag":"Some","value":4}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := mbt.Step{Index: 3, Action: "act", Values: []trace.Pick{{Label: "p", Value: tc.pick}}}
			b, err := json.Marshal(httpdriver.NewStepRequest(s))
			if err != nil {
				t.Fatal(err)
			}
			want := `{"index":3,"action":"act","picks":{"p":` + tc.want + `}}`
			if string(b) != want {
				t.Errorf("got  %s\nwant %s", b, want)
			}
		})
	}
}
