package itf

// Names of the variables that Quint adds to every state when it runs with
// --mbt (model-based testing).
const (
	// ActionTakenVar holds the name of the action that led to the state,
	// as a string ("init" for the first state).
	ActionTakenVar = "mbt::actionTaken"
	// NondetPicksVar holds a record mapping the name of each
	// non-deterministic choice of the action to Some(value), or to None
	// when the action did not make it.
	NondetPicksVar = "mbt::nondetPicks"
)

// Some returns Quint's Some(v): Variant("Some", v).
func Some(v Value) Value { return Variant("Some", v) }

// None returns Quint's None: Variant("None", Unit()).
func None() Value { return Variant("None", Unit()) }

// ActionTaken returns the action recorded in s under [ActionTakenVar], and
// false when s has none or it is not a string.
func ActionTaken(s State) (string, bool) {
	v, ok := s.Values[ActionTakenVar]
	if !ok {
		return "", false
	}
	return v.AsString()
}

// NondetPicks returns the non-deterministic choices recorded in s under
// [NondetPicksVar], keyed by name: Some(v) is unwrapped to v and None is
// left out. It returns false when s has no such record. Entries that are
// not Some/None variants are returned as they are.
func NondetPicks(s State) (map[string]Value, bool) {
	v, ok := s.Values[NondetPicksVar]
	if !ok || v.Kind() != KindRecord {
		return nil, false
	}
	picks := make(map[string]Value, v.Len())
	for _, f := range v.Fields() {
		x := f.Value
		if x.Kind() == KindVariant {
			switch x.Tag() {
			case "None":
				continue
			case "Some":
				x = x.Payload()
			}
		}
		picks[f.Name] = x
	}
	return picks, true
}
