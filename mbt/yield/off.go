//go:build !execspec_yield

package yield

import "context"

// Enabled is false: this build has no yield points (build with the
// execspec_yield tag to have them).
const Enabled = false

// Point does nothing in this build.
func Point(context.Context, string) {}
