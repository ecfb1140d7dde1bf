package execspec

// Params records the parameters the model was built with (typically the
// struct its constructor takes), so that `execspec list` shows what tells
// one instance from another and traces carry them in their "#meta". Any
// value the ITF mapping handles will do: a struct, a map, a number.
func (m *Model[S]) Params(p any) { m.params = p }
