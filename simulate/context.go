package simulate

import (
	"context"
	"testing"
)

// tbContext returns t.Context() where the testing package provides it.
func tbContext(t testing.TB) context.Context {
	if c, ok := t.(interface{ Context() context.Context }); ok {
		return c.Context()
	}
	return context.Background()
}
