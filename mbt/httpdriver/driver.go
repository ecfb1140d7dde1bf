package httpdriver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/execspec/execspec/mbt"
)

// Driver is an mbt.Driver (and an mbt.Observer) for a service speaking JSON over
// HTTP. By default Reset posts the init step to ResetPath, Step posts the
// step as a StepRequest to StepPath, and Observe gets StatePath and decodes
// it into S with encoding/json; Request and DecodeState adapt it to other
// interfaces. A refusal is a response for which Client.Refused holds (409
// Conflict by default).
type Driver[S any] struct {
	Client *Client
	// ResetPath receives a POST of the init step's StepRequest (default
	// "/mbt/reset").
	ResetPath string
	// StepPath receives a POST of each step's StepRequest (default
	// "/mbt/step").
	StepPath string
	// Request, when set, gives the path and the body (nil: none) to POST
	// for a step instead.
	Request func(mbt.Step) (path string, body any)
	// StatePath is fetched with GET to observe the state; empty: the driver
	// does not observe.
	StatePath string
	// DecodeState, when set, converts StatePath's response into S (default:
	// encoding/json).
	DecodeState func([]byte) (S, error)
	_           struct{}
}

// Reset implements mbt.Driver.
func (d *Driver[S]) Reset(ctx context.Context, init mbt.Step) error {
	path := d.ResetPath
	if path == "" {
		path = "/mbt/reset"
	}
	return d.Client.Post(ctx, path, NewStepRequest(init))
}

// Step implements mbt.Driver.
func (d *Driver[S]) Step(ctx context.Context, s mbt.Step) error {
	if d.Request != nil {
		path, body := d.Request(s)
		return d.Client.Post(ctx, path, body)
	}
	path := d.StepPath
	if path == "" {
		path = "/mbt/step"
	}
	return d.Client.Post(ctx, path, NewStepRequest(s))
}

// Observe implements mbt.Observer; it returns mbt.ErrNotObserved when StatePath is
// empty.
func (d *Driver[S]) Observe(ctx context.Context) (S, error) {
	var s S
	if d.StatePath == "" {
		return s, mbt.ErrNotObserved
	}
	var raw json.RawMessage
	if err := d.Client.Do(ctx, http.MethodGet, d.StatePath, nil, &raw); err != nil {
		return s, err
	}
	if d.DecodeState != nil {
		return d.DecodeState(raw)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("GET %s%s: decoding the state into %T: %w", d.Client.BaseURL, d.StatePath, s, err)
	}
	return s, nil
}
