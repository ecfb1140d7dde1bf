// Package localguard protects an HTTP server meant for the local machine
// (the DNS control plane's API, execspec explore) from the web pages its
// user visits:
//
//   - DNS rebinding: a page from evil.example re-resolves its own name to
//     127.0.0.1 and talks to the server as same-origin. The Host header
//     then names evil.example: only loopback names, the listen address
//     and the hosts the operator allows are accepted (403 otherwise).
//   - Cross-site requests: a page posts to http://127.0.0.1:PORT/... The
//     browser sends an Origin header naming the page: when present, it
//     must name the host the request was sent to (403 otherwise).
//   - Simple requests: a form or a text/plain fetch needs no CORS
//     preflight. Requests that change state (POST, PUT, PATCH, DELETE)
//     must carry Content-Type: application/json, which a page can only
//     send cross-origin after a preflight that is never granted (415
//     otherwise).
//
// Refusals are JSON, {"error": "..."}, like the servers' own errors.
package localguard

import (
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Wrap returns h behind the checks above. hosts are the host names or IP
// addresses, without port, accepted in the Host header besides loopback
// ones ("localhost", 127.0.0.0/8, ::1); see ListenHost.
func Wrap(h http.Handler, hosts ...string) http.Handler {
	allowed := make(map[string]bool, len(hosts))
	for _, host := range hosts {
		if host != "" {
			allowed[strings.ToLower(strings.Trim(host, "[]"))] = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status, err := check(r, allowed); err != nil {
			refuse(w, status, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// ListenHost returns the host of a listen address ("127.0.0.1:8053",
// ":8053", "[::1]:0") to allow in Wrap, or "" when the address names no
// particular host (all interfaces): requests by other names must then be
// allowed explicitly.
func ListenHost(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return ""
	}
	return host
}

func check(r *http.Request, allowed map[string]bool) (int, error) {
	host := hostOnly(r.Host)
	if !loopback(host) && !allowed[host] {
		return http.StatusForbidden, fmt.Errorf("host %q is not allowed: this server answers only to loopback names and its listen address (a page from another site may have re-pointed its name here)", r.Host)
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if origin == "null" || err != nil || !strings.EqualFold(u.Host, r.Host) {
			return http.StatusForbidden, fmt.Errorf("cross-origin request from %q refused (the request was sent to %q)", origin, r.Host)
		}
	}
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			return http.StatusUnsupportedMediaType, fmt.Errorf("%s needs Content-Type: application/json, got %q", r.Method, r.Header.Get("Content-Type"))
		}
	}
	return 0, nil
}

// hostOnly strips the port and brackets from a Host header, lower-cased.
func hostOnly(hostport string) string {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func refuse(w http.ResponseWriter, status int, err error) {
	data, _ := json.Marshal(map[string]string{"error": err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}
