package guardtest

import (
	"io"
	"testing"
)

func TestRequest(t *testing.T) {
	for _, c := range []struct {
		p             Probe
		origin, ctype string
	}{
		{Probe{Method: "POST", Path: "/api/x", Host: "h:1", Origin: "http://o", ContentType: "application/json"}, "http://o", "application/json"},
		{Probe{Method: "GET", Path: "/", Host: "h:1"}, "", ""},
	} {
		r := c.p.Request("{}")
		body, _ := io.ReadAll(r.Body)
		if r.Method != c.p.Method || r.URL.Path != c.p.Path || r.Host != c.p.Host || string(body) != "{}" {
			t.Errorf("%+v: request %s %s host %s body %q", c.p, r.Method, r.URL.Path, r.Host, body)
		}
		if _, set := r.Header["Origin"]; r.Header.Get("Origin") != c.origin || set != (c.origin != "") {
			t.Errorf("%+v: Origin %q", c.p, r.Header.Get("Origin"))
		}
		if _, set := r.Header["Content-Type"]; r.Header.Get("Content-Type") != c.ctype || set != (c.ctype != "") {
			t.Errorf("%+v: Content-Type %q", c.p, r.Header.Get("Content-Type"))
		}
	}
}
