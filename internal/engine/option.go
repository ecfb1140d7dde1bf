package engine

import "fmt"

// OptionError is an engine option with a value it cannot take. It names
// the Options field, so that a front end that set the field from a flag
// of its own reports the error under the flag's name.
type OptionError struct {
	// Field is the Options field, as Go spells it: "MaxDepth".
	Field string
	// Name is the field in words: "max depth".
	Name string
	// Want says what the field takes: "must not be negative".
	Want string
	// Value is the value given.
	Value any
}

func (e *OptionError) Error() string { return fmt.Sprintf("%s %s, got %v", e.Name, e.Want, e.Value) }

// NotNegative returns an OptionError for field (name in words) when v is
// negative, nil otherwise.
func NotNegative[T ~int | ~int64](field, name string, v T) error {
	if v < 0 {
		return &OptionError{Field: field, Name: name, Want: "must not be negative", Value: v}
	}
	return nil
}
