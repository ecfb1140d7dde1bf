package httpdriver

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

	"github.com/execspec/execspec/mbt"
)

// Client sends JSON requests to a service under test: an
// httptest.Server's URL or a real address. The zero value needs only
// BaseURL.
type Client struct {
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
	// mbt.ErrRefused (default: status 409 Conflict).
	Refused func(status int, body []byte) bool
	// Header is added to every request.
	Header http.Header
	_      struct{}
}

// maxResponse bounds the response bodies read.
const maxResponse = 16 << 20

var defaultHTTPClient = &http.Client{}

// Error is a failed request: the service could not be reached or did
// not answer in time (Status 0), answered with an error status, or sent a
// body that did not decode. It unwraps to the cause, to mbt.ErrRefused for a
// refusal.
type Error struct {
	Method, URL string
	Status      int    // 0 when no response arrived
	Body        string // the response body, shortened
	Err         error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.URL)
	switch {
	case e.Status == 0:
		b.WriteString(e.Err.Error())
	case errors.Is(e.Err, mbt.ErrRefused):
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

func (e *Error) Unwrap() error { return e.Err }

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
// discard it). Errors are *Error values.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	url := strings.TrimSuffix(c.BaseURL, "/") + path
	fail := func(status int, data []byte, err error) error {
		return &Error{Method: method, URL: url, Status: status, Body: shorten(data), Err: err}
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
			return fail(resp.StatusCode, data, mbt.ErrRefused)
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
func (c *Client) Post(ctx context.Context, path string, body any) error {
	return c.Do(ctx, http.MethodPost, path, body, nil)
}

// PostJSON sends body as JSON with POST and decodes the response as an R.
func PostJSON[R any](ctx context.Context, c *Client, path string, body any) (R, error) {
	var out R
	err := c.Do(ctx, http.MethodPost, path, body, &out)
	return out, err
}

// GetJSON sends a GET and decodes the response as an R.
func GetJSON[R any](ctx context.Context, c *Client, path string) (R, error) {
	var out R
	err := c.Do(ctx, http.MethodGet, path, nil, &out)
	return out, err
}
