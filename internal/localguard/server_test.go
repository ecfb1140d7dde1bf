package localguard

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serve starts l's server for a handler answering "ok" on a loopback port
// and returns its address.
func serve(t *testing.T, l Limits) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := l.Server(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "ok")
	}))
	go srv.Serve(l.Listener(ln))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedWithin reports whether the server closes c within d, reading (and
// discarding) what it sends.
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	return err == nil // EOF: the server closed it; a timeout is an error
}

// Clients that stall, at any point of a request or between requests, are
// disconnected by the limits; beyond MaxConns, a connection waits.
func TestLimits(t *testing.T) {
	l := Limits{ReadHeader: 50 * time.Millisecond, Read: 100 * time.Millisecond, Write: time.Second, Idle: 100 * time.Millisecond, MaxConns: 2}
	addr := serve(t, l)
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// A connection within its limits stays open.
	patient := serve(t, Limits{ReadHeader: time.Minute, Read: time.Minute, Idle: time.Minute})
	if c, err := net.Dial("tcp", patient); err != nil {
		t.Fatal(err)
	} else {
		io.WriteString(c, "GET / HTTP/1.1\r\n")
		if closedWithin(c, 100*time.Millisecond) {
			t.Error("a connection within its limits was closed")
		}
		c.Close()
	}
	cases := []struct {
		name  string
		write string
	}{
		{"half a header", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"},
		{"half a body", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nab"},
		{"idle after a request", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
	}
	for _, tc := range cases {
		c := dial()
		io.WriteString(c, tc.write)
		if !closedWithin(c, 2*time.Second) {
			t.Errorf("%s: the connection is still open after 2s", tc.name)
		}
	}
	// Two stalled connections hold both slots: a third waits until one goes.
	a, b := dial(), dial()
	io.WriteString(a, "GET / HTTP/1.1\r\n")
	io.WriteString(b, "GET / HTTP/1.1\r\n")
	c := dial()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("the third connection got no answer once the stalled ones were dropped: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if strings.TrimSpace(string(body)) != "ok" {
		t.Errorf("third connection: %q", body)
	}
	if DefaultLimits.MaxConns <= 0 || DefaultLimits.Read <= 0 || DefaultLimits.Idle <= 0 || DefaultLimits.ReadHeader <= 0 {
		t.Errorf("DefaultLimits leave something unbounded: %+v", DefaultLimits)
	}
}

func TestExposed(t *testing.T) {
	for addr, want := range map[string]bool{
		":18070": true, "0.0.0.0:8053": true, "[::]:8053": true, "192.0.2.7:80": true, "dns.internal:80": true,
		"127.0.0.1:8053": false, "localhost:0": false, "[::1]:80": false, "127.0.0.2:1": false,
	} {
		if got := Exposed(addr); got != want {
			t.Errorf("Exposed(%q) = %v, want %v", addr, got, want)
		}
	}
}
