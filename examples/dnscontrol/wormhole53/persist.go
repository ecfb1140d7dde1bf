package wormhole53

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
)

// fileVersion is the version of the zone file format.
const fileVersion = 1

// zoneFile is the on-disk form of a zone.
type zoneFile struct {
	Version int      `json:"version"`
	Zone    string   `json:"zone"`
	Records []Record `json:"records"`
}

// save writes records to path atomically.
func save(path, zone string, records map[key]Record) error {
	data, err := json.MarshalIndent(zoneFile{Version: fileVersion, Zone: zone, Records: sortedRecords(records)}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode zone %s: %w", zone, err)
	}
	if err := atomicfile.Write(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("save zone %s: %w", zone, err)
	}
	return nil
}

// load reads the zone file at path; a missing file is an empty zone.
func load(path, zone string) (map[key]Record, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[key]Record{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("wormhole53: open zone file: %w", err)
	}
	corrupt := func(format string, args ...any) error {
		return fmt.Errorf("wormhole53: zone file %s: %w: %s", path, ErrCorrupt, fmt.Sprintf(format, args...))
	}
	var f zoneFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, corrupt("%v", err)
	}
	if f.Version != fileVersion {
		return nil, corrupt("version %d, want %d", f.Version, fileVersion)
	}
	if f.Zone != zone {
		return nil, corrupt("holds zone %q, want %q", f.Zone, zone)
	}
	records := make(map[key]Record, len(f.Records))
	for i, r := range f.Records {
		n := r.normalize()
		if err := n.validate(zone); err != nil {
			return nil, corrupt("record %d: %v", i, err)
		}
		if _, dup := records[n.key()]; dup {
			return nil, corrupt("record %d: duplicate %s %s", i, n.Name, n.Type)
		}
		if err := checkExclusive(records, n); err != nil {
			return nil, corrupt("record %d: %v", i, err)
		}
		records[n.key()] = n
	}
	return records, nil
}
