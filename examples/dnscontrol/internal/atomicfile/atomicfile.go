// Package atomicfile writes files so that a reader, or a process recovering
// after a crash, sees either the old content or the new content, never a
// partial write.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
)

// Write replaces the file at path with data: it writes a temporary file in the
// same directory, syncs it, renames it over path and syncs the directory.
func Write(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("atomicfile: rename %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// Create writes a new file at path with data and fails with an error wrapping
// fs.ErrExist if path already exists: an existing file is never rewritten.
// The content is written to a temporary file first and then hard-linked into
// place, so the file appears complete or not at all.
func Create(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, data, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: create %s: %w", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// TempName reports whether name is the name of a temporary file Write or
// Create made for a file named target: "." + target + ".tmp-" + digits.
func TempName(name string) (target string, ok bool) {
	rest, ok := strings.CutPrefix(name, ".")
	if !ok {
		return "", false
	}
	i := strings.LastIndex(rest, ".tmp-")
	if i <= 0 {
		return "", false
	}
	digits := rest[i+len(".tmp-"):]
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return rest[:i], true
}

// RemoveStale removes the temporary files that Write and Create leave in
// dir when the process dies between writing and renaming (kill -9, power
// loss), for the targets that owns reports as its own. Other files are
// left alone. It returns the names removed. Call it only when no other
// process writes to dir.
func RemoveStale(dir string, owns func(target string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("atomicfile: remove stale temporary files: %w", err)
	}
	var removed []string
	for _, e := range entries {
		target, ok := TempName(e.Name())
		if !ok || !e.Type().IsRegular() || !owns(target) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("atomicfile: remove stale temporary file: %w", err)
		}
		removed = append(removed, e.Name())
	}
	return removed, nil
}

// fault, when set, is asked before every write whether it fails (see
// SetFault).
var fault atomic.Pointer[func(path string) error]

// SetFault makes every later Write and Create first call f with the
// target's path: an error f returns fails the write as the file system
// would have, with nothing written (nil f: no faults). It is for fault
// injection in tests (a full disk): a process under test sets it at start.
func SetFault(f func(path string) error) {
	if f == nil {
		fault.Store(nil)
		return
	}
	fault.Store(&f)
}

// writeTemp writes data to a new synced temporary file next to path and
// returns its name.
func writeTemp(path string, data []byte, perm os.FileMode) (string, error) {
	if f := fault.Load(); f != nil {
		if err := (*f)(path); err != nil {
			return "", fmt.Errorf("atomicfile: write %s: %w", path, err)
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("atomicfile: temp file for %s: %w", path, err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		_ = f.Close()
		_ = os.Remove(name)
		return "", fmt.Errorf("atomicfile: write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(name)
		return "", fmt.Errorf("atomicfile: close %s: %w", path, err)
	}
	return name, nil
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for sync there
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("atomicfile: open dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("atomicfile: sync dir %s: %w", dir, err)
	}
	return nil
}
