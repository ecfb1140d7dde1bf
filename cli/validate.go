package cli

import "context"

// validateITF checks an ITF trace against the model.
func (s *session[S]) validateITF(ctx context.Context, f runFlags, file string) (int, error) {
	return 0, usagef("replay --itf is not available yet")
}
