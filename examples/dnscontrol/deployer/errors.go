package deployer

import "errors"

// Refusals: the action is not allowed by the rules, and nothing changed. Test
// them with errors.Is, or IsRefusal for any of them.
var (
	// ErrNothingToDeploy: the deployer's next plan does not exist yet.
	ErrNothingToDeploy = errors.New("nothing to deploy")
	// ErrSafetyCheck: the root the deployer observed is no longer in the zone.
	ErrSafetyCheck = errors.New("safety check failed")
	// ErrStalePlan (fixed mode only): the next plan is older than the root.
	ErrStalePlan = errors.New("stale plan")
	// ErrLockMoved: the lock is not the one observed; another deployer
	// deployed since the last sync, so the batch was rejected.
	ErrLockMoved = errors.New("lock moved")
	// ErrNothingToClean: no plan tree is old enough to delete.
	ErrNothingToClean = errors.New("nothing to clean up")
)

// IsRefusal reports whether err is a refusal by the deployer's rules rather
// than a failure (such as an I/O error).
func IsRefusal(err error) bool {
	for _, r := range []error{ErrNothingToDeploy, ErrSafetyCheck, ErrStalePlan, ErrLockMoved, ErrNothingToClean} {
		if errors.Is(err, r) {
			return true
		}
	}
	return false
}
