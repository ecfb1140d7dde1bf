package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.json")
	for _, content := range []string{"one", "two"} {
		if err := Write(path, []byte(content), 0o644); err != nil {
			t.Fatalf("Write(%q): %v", content, err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != content {
			t.Fatalf("content = %q, want %q", got, content)
		}
	}
	assertOnlyFile(t, filepath.Dir(path), "f.json")
}

func TestCreateRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.json")
	if err := Create(path, []byte("first"), 0o644); err != nil {
		t.Fatalf("first Create: %v", err)
	}
	err := Create(path, []byte("second"), 0o644)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create error = %v, want fs.ErrExist", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "first" {
		t.Fatalf("content = %q, want %q", got, "first")
	}
	assertOnlyFile(t, filepath.Dir(path), "f.json")
}

func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v, want only %s (no temporary files left)", names, name)
	}
}

func TestTempName(t *testing.T) {
	cases := []struct {
		name, target string
		ok           bool
	}{
		{".plan-000003.json.tmp-1234567", "plan-000003.json", true},
		{".zone.json.tmp-0", "zone.json", true},
		{".a.tmp-1.tmp-22", "a.tmp-1", true},
		{"plan-000003.json", "", false},
		{".plan-000003.json.tmp-", "", false},
		{".plan-000003.json.tmp-12x", "", false},
		{"..tmp-12", "", false},
		{".notes.txt", "", false},
	}
	for _, tc := range cases {
		target, ok := TempName(tc.name)
		if target != tc.target || ok != tc.ok {
			t.Errorf("TempName(%q) = %q, %v; want %q, %v", tc.name, target, ok, tc.target, tc.ok)
		}
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	files := map[string]bool{ // name: removed
		".plan-000001.json.tmp-123": true,
		".zone.json.tmp-9":          false, // not owned
		"plan-000001.json":          false,
		".plan-000001.json.tmp-x":   false, // not our pattern
		"notes.txt":                 false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".plan-000002.json.tmp-5"), 0o755); err != nil { // a directory: kept
		t.Fatal(err)
	}
	removed, err := RemoveStale(dir, func(target string) bool { return strings.HasPrefix(target, "plan-") })
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != ".plan-000001.json.tmp-123" {
		t.Errorf("removed %v", removed)
	}
	for name, gone := range files {
		if _, err := os.Stat(filepath.Join(dir, name)); (err != nil) != gone {
			t.Errorf("%s: stat error %v, want removed=%v", name, err, gone)
		}
	}
	if _, err := RemoveStale(filepath.Join(dir, "absent"), func(string) bool { return true }); err == nil {
		t.Error("RemoveStale of a missing directory: no error")
	}
}

// A fault set with SetFault fails Write and Create with nothing written,
// for the paths it names, until it is cleared.
func TestSetFault(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.json")
	SetFault(func(path string) error {
		if path == full {
			return syscall.ENOSPC
		}
		return nil
	})
	defer SetFault(nil)
	if err := Write(full, []byte("x"), 0o644); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Write under a fault: %v", err)
	}
	if err := Create(full, []byte("x"), 0o644); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Create under a fault: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed write left %v", entries)
	}
	if err := Write(filepath.Join(dir, "other.json"), []byte("x"), 0o644); err != nil {
		t.Errorf("Write of a path the fault spares: %v", err)
	}
	SetFault(nil)
	if err := Write(full, []byte("x"), 0o644); err != nil {
		t.Errorf("Write once the fault is cleared: %v", err)
	}
}
