//go:build unix

package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// newActivityFile returns a file of the activity table's size, zero-filled
// (so that writing through a mapping never needs a disk block) and already
// unlinked, in /dev/shm when there is one (memory, not disk), or the
// temporary directory.
func newActivityFile() (*os.File, error) {
	var firstErr error
	for _, dir := range []string{"/dev/shm", os.TempDir()} {
		f, err := os.CreateTemp(dir, "execspec-activity-*")
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		os.Remove(f.Name())
		if _, err := f.Write(make([]byte, activitySlots*activitySlotBytes)); err != nil {
			f.Close()
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		return f, nil
	}
	return nil, fmt.Errorf("activity table: %w", firstErr)
}

// mapActivity maps the activity table open as fd, shared with the front end.
func mapActivity(fd int) ([]byte, error) {
	mem, err := syscall.Mmap(fd, 0, activitySlots*activitySlotBytes, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mapping the activity table: %w", err)
	}
	return mem, nil
}

// processRSS returns the resident set size of process pid in bytes, from
// /proc (Linux); false where there is no /proc.
func processRSS(pid int) (int64, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	return parseVmRSS(string(data))
}

// closeOnExec keeps fd from the programs the process starts.
func closeOnExec(fd int) { syscall.CloseOnExec(fd) }

// selfRSS returns this process's resident set size in bytes, from
// /proc/self/statm (Linux); false where there is none.
func selfRSS() (int64, bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
