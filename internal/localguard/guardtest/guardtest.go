// Package guardtest builds the requests with which the tests of
// internal/localguard and of the servers it guards (the viewer's explorer)
// probe the guard: a method, a path, and the headers a browser on another
// site would send.
package guardtest

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// Probe is one request to a guarded server.
type Probe struct {
	Method, Path string
	Host         string // the Host header
	Origin       string // the Origin header; empty: none
	ContentType  string // the Content-Type header; empty: none
}

// Request returns the probe as a server-side request with body.
func (p Probe) Request(body string) *http.Request {
	r := httptest.NewRequest(p.Method, p.Path, strings.NewReader(body))
	r.Host = p.Host
	if p.Origin != "" {
		r.Header.Set("Origin", p.Origin)
	}
	if p.ContentType != "" {
		r.Header.Set("Content-Type", p.ContentType)
	}
	return r
}
