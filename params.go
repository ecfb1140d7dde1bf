package execspec

import (
	"sort"
	"strings"
)

// Params records the parameters the model was built with (typically the
// struct its constructor takes), so that `execspec list` shows what tells
// one instance from another and traces carry them in their "#meta". Any
// value the ITF mapping handles will do: a struct, a map, a number.
func (m *Model[S]) Params(p any) { m.params = p }

// Params returns the value recorded with Model.Params, rendered as ITF
// would show it ("{deployers: 3, keep: 3}"), or "" when there is none.
func (mc *Machine[S]) Params() string {
	switch p := mc.model.params.(type) {
	case nil:
		return ""
	case map[string]any:
		// A map of named parameters reads as a record.
		keys := make([]string, 0, len(p))
		for k := range p {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + FormatValue(p[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return FormatValue(mc.model.params)
}
