package leasetimer

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrHeld is returned by Acquire while another client holds the lease;
// ErrNotHolder by Release from a client that does not hold it.
var (
	ErrHeld      = errors.New("lease held")
	ErrNotHolder = errors.New("not the lease holder")
)

// Server grants one lease at a time and expires it after its TTL.
type Server struct {
	// Forgetful plants the bug: Release does not stop the lease's timer,
	// and an expiring timer clears whichever lease is current.
	Forgetful bool

	mu     sync.Mutex
	ttl    time.Duration
	holder string
	grant  int // counts grants, so a timer knows whether its lease is current
	timer  *time.Timer
}

// NewServer returns a server granting leases of ttl.
func NewServer(ttl time.Duration) *Server { return &Server{ttl: ttl} }

// Acquire grants the lease to client.
func (s *Server) Acquire(client string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holder != "" {
		return fmt.Errorf("acquire by %s: %w (by %s)", client, ErrHeld, s.holder)
	}
	s.holder = client
	s.grant++
	g := s.grant
	s.timer = time.AfterFunc(s.ttl, func() { s.expire(g) })
	return nil
}

// expire ends the lease of grant g when its TTL is up.
func (s *Server) expire(g int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Forgetful || g == s.grant {
		s.holder = ""
	}
}

// Release ends client's lease.
func (s *Server) Release(client string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holder != client {
		return fmt.Errorf("release by %s: %w", client, ErrNotHolder)
	}
	s.holder = ""
	if !s.Forgetful {
		s.timer.Stop()
	}
	return nil
}

// Holder returns the client holding the lease, "" for none.
func (s *Server) Holder() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holder
}

// Close stops the current lease's timer.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
}
