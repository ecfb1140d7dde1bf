package wormhole53

import (
	"errors"
	"fmt"
)

// Action is what a Change does to its record.
type Action string

// The actions of a change batch.
const (
	Create Action = "CREATE" // add a record that must not exist yet
	Delete Action = "DELETE" // remove a record that must match exactly
	Upsert Action = "UPSERT" // add or replace a record
)

// Change is one entry of a batch passed to Store.Apply.
type Change struct {
	Action Action `json:"action"`
	Record Record `json:"record"`
}

// Errors a rejected batch wraps; test them with errors.Is.
var (
	// ErrConflict: a CREATE of a record that exists, or an A record and an
	// ALIAS record at the same name.
	ErrConflict = errors.New("record conflict")
	// ErrNotFound: a DELETE of a record that does not exist.
	ErrNotFound = errors.New("record not found")
	// ErrMismatch: a DELETE whose value or targets differ from the stored record.
	ErrMismatch = errors.New("record does not match")
	// ErrInvalid: a malformed change, record or batch.
	ErrInvalid = errors.New("invalid change")
	// ErrCorrupt: the zone file cannot be decoded or holds invalid records.
	ErrCorrupt = errors.New("corrupt zone file")
)

// ChangeError reports the change that rejected a batch.
type ChangeError struct {
	Index  int    // position of the change in the batch
	Change Change // the change as submitted
	Err    error  // wraps ErrConflict, ErrNotFound, ErrMismatch or ErrInvalid
}

// Error describes the failing change.
func (e *ChangeError) Error() string {
	return fmt.Sprintf("change %d (%s %s %s): %v", e.Index, e.Change.Action, e.Change.Record.Type, e.Change.Record.Name, e.Err)
}

// Unwrap returns the cause, so errors.Is(err, ErrMismatch) works.
func (e *ChangeError) Unwrap() error { return e.Err }
