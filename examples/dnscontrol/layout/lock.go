package layout

import (
	"fmt"
	"strconv"
	"strings"
)

// NoOwner is the owner of the initial lock.
const NoOwner = "none"

// Lock is the value of the lock TXT record: the deployer that last deployed
// and a counter incremented by every deploy.
type Lock struct {
	Owner string `json:"owner" itf:"owner"`
	Epoch int    `json:"epoch" itf:"epoch"`
}

// InitialLock returns the lock of a fresh zone: owner none, epoch 0.
func InitialLock() Lock { return Lock{Owner: NoOwner, Epoch: 0} }

// String formats the lock as its TXT value, e.g. "owner=deployer-a epoch=3".
func (l Lock) String() string { return fmt.Sprintf("owner=%s epoch=%d", l.Owner, l.Epoch) }

// Next returns the lock that deployer owner writes when it replaces l.
func (l Lock) Next(owner string) Lock { return Lock{Owner: owner, Epoch: l.Epoch + 1} }

// ParseLock parses a lock TXT value.
func ParseLock(value string) (Lock, error) {
	fields := strings.Fields(value)
	if len(fields) != 2 {
		return Lock{}, fmt.Errorf("lock %q: want \"owner=<name> epoch=<n>\"", value)
	}
	owner, ok := strings.CutPrefix(fields[0], "owner=")
	if !ok || owner == "" {
		return Lock{}, fmt.Errorf("lock %q: missing owner", value)
	}
	digits, ok := strings.CutPrefix(fields[1], "epoch=")
	if !ok {
		return Lock{}, fmt.Errorf("lock %q: missing epoch", value)
	}
	epoch, err := strconv.Atoi(digits)
	if err != nil || epoch < 0 {
		return Lock{}, fmt.Errorf("lock %q: bad epoch", value)
	}
	return Lock{Owner: owner, Epoch: epoch}, nil
}

// ValidDeployerName checks that name can own the lock and name a state file:
// 1 to 63 characters among a-z, 0-9 and '-', not starting with '-', and not
// the reserved owner "none".
func ValidDeployerName(name string) error {
	if name == "" || len(name) > 63 {
		return fmt.Errorf("deployer name %q: want 1 to 63 characters", name)
	}
	if name == NoOwner {
		return fmt.Errorf("deployer name %q is reserved", name)
	}
	for i, c := range name {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > 0
		if !ok {
			return fmt.Errorf("deployer name %q: want only a-z, 0-9 and '-' (not first)", name)
		}
	}
	return nil
}
