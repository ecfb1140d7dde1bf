// Package atomicfile writes files so that a reader, or a process killed
// half-way, never sees a partial file: the data goes to a temporary file in
// the same directory, is synced, and is renamed over the destination (or,
// for a file that must not exist yet, linked into place). The directory is
// synced too where the platform allows it, so the rename survives a crash.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write replaces the file at path with data, atomically. On error the
// destination is unchanged and the temporary file is removed.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc replaces the file at path with what write writes to w,
// atomically: on any error, write's included, the destination is
// unchanged and the temporary file is removed. w is the temporary file
// itself, unbuffered: write buffers what it writes in small pieces.
func WriteFunc(path string, perm os.FileMode, write func(w io.Writer) error) error {
	tmp, err := writeTemp(path, perm, write)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// Create writes data to a new file at path, completely or not at all. It
// fails with an error wrapping os.ErrExist, changing nothing, when path
// exists.
func Create(path string, data []byte, perm os.FileMode) error {
	tmp, err := writeTemp(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes a synced, closed temporary file beside path and returns
// its name; on error it leaves none.
func writeTemp(path string, perm os.FileMode, write func(w io.Writer) error) (name string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return "", err
	}
	if err = f.Chmod(perm); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// syncDir makes a rename or link in dir durable where the platform allows
// it (best effort: not every file system syncs a directory).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
