package engine

import (
	"fmt"
	"strings"
)

// ParseName returns the value of valid whose name is s, or an error that
// names what was asked for (what: "strategy", "simulation strategy") and
// lists the valid names.
func ParseName[T ~string](what, s string, valid []T) (T, error) {
	names := make([]string, len(valid))
	for i, v := range valid {
		if string(v) == s {
			return v, nil
		}
		names[i] = string(v)
	}
	return "", fmt.Errorf("unknown %s %q; valid: %s", what, s, strings.Join(names, ", "))
}
