package cli

import "context"

// check is replaced by the model checker's command.
func (s *session[S]) check(ctx context.Context, args []string) (int, error) {
	return 0, usagef("check is not available yet")
}
