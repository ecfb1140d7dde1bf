package mbt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/execspec/execspec/itf"
)

// HTTPClient sends JSON requests to a service under test: an
// httptest.Server's URL or a real address. The zero value needs only
// BaseURL.
type HTTPClient struct {
	// BaseURL is the service's address, such as "http://127.0.0.1:8080";
	// request paths are appended to it.
	BaseURL string
	// Client sends the requests (default: a client of its own, without
	// cookies or a global timeout).
	Client *http.Client
	// Timeout bounds each request (default 10s); the context passed in can
	// end it sooner.
	Timeout time.Duration
	// Refused reports whether a response with a non-2xx status is the
	// service refusing the request, which becomes an error wrapping
	// ErrRefused (default: status 409 Conflict).
	Refused func(status int, body []byte) bool
	// Header is added to every request.
	Header http.Header
	_      struct{}
}

// maxResponse bounds the response bodies read.
const maxResponse = 16 << 20

var defaultHTTPClient = &http.Client{}

// HTTPError is a failed request: the service could not be reached or did
// not answer in time (Status 0), answered with an error status, or sent a
// body that did not decode. It unwraps to the cause, to ErrRefused for a
// refusal.
type HTTPError struct {
	Method, URL string
	Status      int    // 0 when no response arrived
	Body        string // the response body, shortened
	Err         error
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.URL)
	switch {
	case e.Status == 0:
		b.WriteString(e.Err.Error())
	case errors.Is(e.Err, ErrRefused):
		fmt.Fprintf(&b, "refused (%d %s)", e.Status, http.StatusText(e.Status))
		if msg := errorMessage(e.Body); msg != "" {
			b.WriteString(": " + msg)
		}
	case e.Status/100 == 2:
		fmt.Fprintf(&b, "%v (body: %s)", e.Err, e.Body)
	default:
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
		if e.Body != "" {
			b.WriteString(": " + e.Body)
		}
	}
	return b.String()
}

func (e *HTTPError) Unwrap() error { return e.Err }

// errorMessage extracts {"error": "..."} from a body, or returns it whole.
func errorMessage(body string) string {
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal([]byte(body), &v) == nil && v.Error != "" {
		return v.Error
	}
	return body
}

// Do sends a request with body (nil: none; []byte: sent as is; anything
// else: encoded as JSON) and decodes a 2xx response's JSON into out (nil:
// discard it). Errors are *HTTPError values.
func (c *HTTPClient) Do(ctx context.Context, method, path string, body, out any) error {
	url := strings.TrimSuffix(c.BaseURL, "/") + path
	fail := func(status int, data []byte, err error) error {
		return &HTTPError{Method: method, URL: url, Status: status, Body: shorten(data), Err: err}
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return fail(0, nil, fmt.Errorf("encoding the request: %w", err))
		}
		rd = bytes.NewReader(data)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return fail(0, nil, err)
	}
	if rd != nil || method == http.MethodPost {
		// Also on an empty POST: servers that guard against cross-site
		// requests refuse POSTs that are not JSON.
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	client := c.Client
	if client == nil {
		client = defaultHTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail(0, nil, transportError(ctx, timeout, err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fail(resp.StatusCode, nil, fmt.Errorf("reading the response: %w", transportError(ctx, timeout, err)))
	}
	if resp.StatusCode/100 != 2 {
		refused := c.Refused
		if refused == nil {
			refused = func(status int, _ []byte) bool { return status == http.StatusConflict }
		}
		if refused(resp.StatusCode, data) {
			return fail(resp.StatusCode, data, ErrRefused)
		}
		return fail(resp.StatusCode, data, errors.New(http.StatusText(resp.StatusCode)))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fail(resp.StatusCode, data, fmt.Errorf("decoding the response into %T: %w", out, err))
		}
	}
	return nil
}

// transportError explains a request that got no response.
func transportError(ctx context.Context, timeout time.Duration, err error) error {
	var op *net.OpError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("no response within %s: %w", timeout, err)
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &op) && op.Op == "dial":
		return fmt.Errorf("service not reachable (is it running?): %w", err)
	}
	return err
}

func shorten(b []byte) string {
	const n = 512
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = s[:n] + "..."
	}
	return s
}

// Post sends body as JSON with POST and discards the response.
func (c *HTTPClient) Post(ctx context.Context, path string, body any) error {
	return c.Do(ctx, http.MethodPost, path, body, nil)
}

// PostJSON sends body as JSON with POST and decodes the response as an R.
func PostJSON[R any](ctx context.Context, c *HTTPClient, path string, body any) (R, error) {
	var out R
	err := c.Do(ctx, http.MethodPost, path, body, &out)
	return out, err
}

// GetJSON sends a GET and decodes the response as an R.
func GetJSON[R any](ctx context.Context, c *HTTPClient, path string) (R, error) {
	var out R
	err := c.Do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// StepRequest is the JSON body HTTPDriver posts for a step by default:
//
//	{"index": 3, "action": "withdraw", "picks": {"account": "alice", "amount": 2}}
//
// It does not say whether the model allows the step: the service must
// decide that itself.
// Picks are plain JSON: integers as numbers, sets, lists and tuples as
// arrays, records and maps with string or integer keys as objects, other
// maps as arrays of [key, value] pairs, variants as {"tag": .., "value": ..}.
type StepRequest struct {
	Index  int            `json:"index"`
	Action string         `json:"action"`
	Picks  map[string]any `json:"picks"`
}

// Request returns the step as a StepRequest.
func (s Step) Request() StepRequest {
	r := StepRequest{Index: s.Index, Action: s.Action, Picks: map[string]any{}}
	for _, p := range s.Values {
		r.Picks[p.Label] = plainJSON(p.Value)
	}
	return r
}

// plainJSON converts an ITF value to what encoding/json writes as plain
// JSON.
func plainJSON(v itf.Value) any {
	switch v.Kind() {
	case itf.KindBool:
		b, _ := v.AsBool()
		return b
	case itf.KindInt:
		if i, ok := v.AsBigInt(); ok {
			return json.Number(i.String())
		}
	case itf.KindString:
		s, _ := v.AsString()
		return s
	case itf.KindList, itf.KindTuple, itf.KindSet:
		out := make([]any, 0, v.Len())
		for _, e := range v.Elems() {
			out = append(out, plainJSON(e))
		}
		return out
	case itf.KindRecord:
		out := make(map[string]any, v.Len())
		for _, f := range v.Fields() {
			out[f.Name] = plainJSON(f.Value)
		}
		return out
	case itf.KindMap:
		obj := make(map[string]any, v.Len())
		for _, e := range v.Entries() {
			switch e.Key.Kind() {
			case itf.KindString:
				k, _ := e.Key.AsString()
				obj[k] = plainJSON(e.Value)
			case itf.KindInt:
				obj[e.Key.String()] = plainJSON(e.Value)
			default:
				pairs := make([]any, 0, v.Len())
				for _, e := range v.Entries() {
					pairs = append(pairs, []any{plainJSON(e.Key), plainJSON(e.Value)})
				}
				return pairs
			}
		}
		return obj
	case itf.KindVariant:
		return map[string]any{"tag": v.Tag(), "value": plainJSON(v.Payload())}
	}
	return v.String()
}

// HTTPDriver is a Driver (and an Observer) for a service speaking JSON over
// HTTP. By default Reset posts the init step to ResetPath, Step posts the
// step as a StepRequest to StepPath, and Observe gets StatePath and decodes
// it into S with encoding/json; Request and DecodeState adapt it to other
// interfaces. A refusal is a response for which Client.Refused holds (409
// Conflict by default).
type HTTPDriver[S any] struct {
	Client *HTTPClient
	// ResetPath receives a POST of the init step's StepRequest (default
	// "/mbt/reset").
	ResetPath string
	// StepPath receives a POST of each step's StepRequest (default
	// "/mbt/step").
	StepPath string
	// Request, when set, gives the path and the body (nil: none) to POST
	// for a step instead.
	Request func(Step) (path string, body any)
	// StatePath is fetched with GET to observe the state; empty: the driver
	// does not observe.
	StatePath string
	// DecodeState, when set, converts StatePath's response into S (default:
	// encoding/json).
	DecodeState func([]byte) (S, error)
	_           struct{}
}

// Reset implements Driver.
func (d *HTTPDriver[S]) Reset(ctx context.Context, init Step) error {
	path := d.ResetPath
	if path == "" {
		path = "/mbt/reset"
	}
	return d.Client.Post(ctx, path, init.Request())
}

// Step implements Driver.
func (d *HTTPDriver[S]) Step(ctx context.Context, s Step) error {
	if d.Request != nil {
		path, body := d.Request(s)
		return d.Client.Post(ctx, path, body)
	}
	path := d.StepPath
	if path == "" {
		path = "/mbt/step"
	}
	return d.Client.Post(ctx, path, s.Request())
}

// Observe implements Observer; it returns ErrNotObserved when StatePath is
// empty.
func (d *HTTPDriver[S]) Observe(ctx context.Context) (S, error) {
	var s S
	if d.StatePath == "" {
		return s, ErrNotObserved
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
