package cli

import "context"

// explore is replaced by the state explorer's command.
func (s *session[S]) explore(ctx context.Context, args []string) (int, error) {
	return 0, usagef("explore is not available yet")
}
