package localguard

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits bounds what clients of a local server may hold: the time to send
// a request's header and whole request, to receive a response, to keep an
// idle connection open, and the number of connections open at once (more
// wait to be accepted). A slow or stalled client (2,000 connections that
// send a byte a minute) then holds neither a goroutine nor a socket for
// long.
type Limits struct {
	ReadHeader, Read, Write, Idle time.Duration
	MaxConns                      int
	_                             struct{}
}

// DefaultLimits are the limits of the servers of execspec and the DNS
// control plane: their requests are small, their pages at most a few
// hundred megabytes.
var DefaultLimits = Limits{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 5 * time.Minute, Idle: time.Minute, MaxConns: 256}

// Server returns a server for h with l's timeouts.
func (l Limits) Server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: l.ReadHeader, ReadTimeout: l.Read, WriteTimeout: l.Write, IdleTimeout: l.Idle, MaxHeaderBytes: 64 << 10}
}

// Listener returns ln accepting at most l.MaxConns connections open at
// once (0: no limit).
func (l Limits) Listener(ln net.Listener) net.Listener {
	if l.MaxConns <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, slots: make(chan struct{}, l.MaxConns)}
}

// limitListener accepts a connection only when one of its slots is free;
// closing the connection frees it.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, free: func() { <-l.slots }}, nil
}

// limitConn frees its slot once, when closed.
type limitConn struct {
	net.Conn
	once sync.Once
	free func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.free)
	return err
}

// Exposed reports whether a server listening on addr ("host:port") can be
// reached from other machines: a host that is empty or unspecified (":8053",
// "0.0.0.0:8053": every interface), or neither "localhost" nor a loopback
// address.
func Exposed(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "" {
		return true
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
