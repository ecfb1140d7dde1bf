//go:build !unix

package cli

import (
	"errors"
	"os"
)

// newActivityFile fails: the activity table needs a shared mapping.
func newActivityFile() (*os.File, error) {
	return nil, errors.New("activity table: no shared memory on this platform")
}

// mapActivity fails: see newActivityFile.
func mapActivity(fd int) ([]byte, error) {
	return nil, errors.New("activity table: no shared memory on this platform")
}

// processRSS is not known on this platform.
func processRSS(pid int) (int64, bool) { return 0, false }

// closeOnExec does nothing on this platform.
func closeOnExec(fd int) {}

// selfRSS is not known on this platform.
func selfRSS() (int64, bool) { return 0, false }
