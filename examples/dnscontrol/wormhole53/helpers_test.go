package wormhole53

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

const testZone = "api.acme"

func a(name, ip string) Record { return Record{Name: name, Type: TypeA, Value: ip} }

func txt(name, value string) Record { return Record{Name: name, Type: TypeTXT, Value: value} }

func alias(name string, targets ...Target) Record {
	return Record{Name: name, Type: TypeAlias, Targets: targets}
}

func create(r Record) Change { return Change{Action: Create, Record: r} }
func del(r Record) Change    { return Change{Action: Delete, Record: r} }
func upsert(r Record) Change { return Change{Action: Upsert, Record: r} }

// openTemp opens a persisted store in a fresh directory and returns it with
// its file path.
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "zone.json")
	s, err := Open(path, testZone)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s, path
}

func mustApply(t *testing.T, s *Store, batch ...Change) {
	t.Helper()
	if err := s.Apply(context.Background(), batch); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
