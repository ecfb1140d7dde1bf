package wormhole53

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestPersistenceAndRecovery(t *testing.T) {
	s, path := openTemp(t)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("zone file exists before the first Apply: %v", err)
	}
	mustApply(t, s,
		create(alias("root.api.acme", Target{"lb-1.api.acme", 3})),
		create(a("lb-1.api.acme", "192.0.2.1")),
		create(txt("_lock.api.acme", "owner=none epoch=0")),
	)
	mustApply(t, s, del(a("lb-1.api.acme", "192.0.2.1")), create(a("lb-1.api.acme", "192.0.2.2")))

	reopened, err := Open(path, testZone)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if !reflect.DeepEqual(reopened.Records(), s.Records()) {
		t.Fatalf("recovered %v, want %v", reopened.Records(), s.Records())
	}
	if got := reopened.Resolve("root.api.acme"); !reflect.DeepEqual(got, []Address{{"192.0.2.2", 3}}) {
		t.Fatalf("recovered zone resolves to %v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries, want only the zone file", len(entries))
	}
}

func TestOpenCorrupt(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"truncated json", `{"version":1,"zone":"api.acme","records":[`},
		{"not json", "garbage"},
		{"wrong version", `{"version":2,"zone":"api.acme","records":[]}`},
		{"wrong zone", `{"version":1,"zone":"other.acme","records":[]}`},
		{"invalid record", `{"version":1,"zone":"api.acme","records":[{"name":"x.api.acme","type":"A","value":"nope"}]}`},
		{"duplicate record", `{"version":1,"zone":"api.acme","records":[{"name":"x.api.acme","type":"TXT","value":"1"},{"name":"x.api.acme","type":"TXT","value":"2"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "zone.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path, testZone)
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open error = %v, want ErrCorrupt", err)
			}
		})
	}
}
