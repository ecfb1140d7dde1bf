package localguard

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/execspec/execspec/internal/localguard/guardtest"
)

func TestWrap(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := Wrap(ok, "dns.internal", "", "[fd00::1]")
	cases := []struct {
		name, method, host, origin, ctype string
		want                              int
		msg                               string
	}{
		{"loopback IP", "GET", "127.0.0.1:8053", "", "", http.StatusTeapot, ""},
		{"localhost", "GET", "localhost:8053", "", "", http.StatusTeapot, ""},
		{"IPv6 loopback", "GET", "[::1]:8053", "", "", http.StatusTeapot, ""},
		{"allowed name", "GET", "DNS.internal:80", "", "", http.StatusTeapot, ""},
		{"allowed IPv6", "GET", "[fd00::1]:80", "", "", http.StatusTeapot, ""},
		{"rebinding", "GET", "evil.example:8053", "", "", http.StatusForbidden, `host "evil.example:8053" is not allowed`},
		{"no host", "GET", "", "", "", http.StatusForbidden, "is not allowed"},
		{"same origin", "POST", "127.0.0.1:8053", "http://127.0.0.1:8053", "application/json", http.StatusTeapot, ""},
		{"cross origin", "POST", "127.0.0.1:8053", "http://evil.example", "application/json", http.StatusForbidden, `cross-origin request from "http://evil.example"`},
		{"other port", "GET", "127.0.0.1:8053", "http://127.0.0.1:9999", "", http.StatusForbidden, "cross-origin"},
		{"null origin", "POST", "127.0.0.1:8053", "null", "application/json", http.StatusForbidden, "cross-origin"},
		{"evil host and origin", "POST", "evil.example", "http://evil.example", "application/json", http.StatusForbidden, "is not allowed"},
		{"text/plain POST", "POST", "127.0.0.1:8053", "", "text/plain", http.StatusUnsupportedMediaType, "needs Content-Type: application/json"},
		{"form POST", "POST", "127.0.0.1:8053", "", "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType, "needs Content-Type"},
		{"POST without type", "POST", "127.0.0.1:8053", "", "", http.StatusUnsupportedMediaType, "needs Content-Type"},
		{"JSON with charset", "POST", "127.0.0.1:8053", "", "application/json; charset=utf-8", http.StatusTeapot, ""},
		{"DELETE without type", "DELETE", "127.0.0.1:8053", "", "", http.StatusUnsupportedMediaType, "needs Content-Type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := guardtest.Probe{Method: tc.method, Path: "/mbt/reset", Host: tc.host, Origin: tc.origin, ContentType: tc.ctype}.Request("")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Errorf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			var body struct{ Error string }
			_ = json.Unmarshal(w.Body.Bytes(), &body)
			if tc.msg != "" && (!strings.Contains(body.Error, tc.msg) || w.Header().Get("Content-Type") != "application/json") {
				t.Errorf("body %q (%s), want JSON containing %q", w.Body, w.Header().Get("Content-Type"), tc.msg)
			}
		})
	}
}

func TestListenHost(t *testing.T) {
	for addr, want := range map[string]string{"127.0.0.1:8053": "127.0.0.1", ":8053": "", "0.0.0.0:80": "", "[::]:80": "", "[::1]:0": "::1", "dns.internal:80": "dns.internal", "localhost": "localhost"} {
		if got := ListenHost(addr); got != want {
			t.Errorf("ListenHost(%q) = %q, want %q", addr, got, want)
		}
	}
}
