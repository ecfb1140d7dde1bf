package deployer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/execspec/execspec/examples/dnscontrol/internal/atomicfile"
)

// stateFile is the on-disk form of a deployer's state.
type stateFile struct {
	Name string `json:"name"`
	State
}

// save writes a deployer's state atomically.
func save(path, name string, s State) error {
	data, err := json.MarshalIndent(stateFile{Name: name, State: s}, "", "  ")
	if err != nil {
		return fmt.Errorf("deployer %s: encode state: %w", name, err)
	}
	if err := atomicfile.Write(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("deployer %s: save state: %w", name, err)
	}
	return nil
}

// load reads a deployer's state; found is false if the file does not exist.
func load(path, name string) (s State, found bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("deployer %s: read state: %w", name, err)
	}
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return State{}, false, fmt.Errorf("deployer %s: corrupt state file %s: %w", name, path, err)
	}
	if f.Name != name || f.Next < 1 || f.Root < 0 || f.Rollback < 0 || f.Lock.Owner == "" || f.Lock.Epoch < 0 {
		return State{}, false, fmt.Errorf("deployer %s: corrupt state file %s: invalid state %+v", name, path, f)
	}
	return f.State, true, nil
}
