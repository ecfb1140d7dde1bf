package idempotency_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/execspec/execspec/mbt"

	"github.com/execspec/execspec/cli/scaffold/idempotency"
)

// paymentServer stands in for the implementation under test: a payment
// API with an idempotency-key store on a fake clock. Replace it with your
// service's handler, called in process.
type paymentServer struct {
	mu      sync.Mutex
	now     int
	ttl     int
	keys    map[string]int // key -> tick it expires at
	charges map[string]int
}

// errKeyExpired is the answer to a request whose key is older than the
// TTL: the client must look its payment up.
var errKeyExpired = errors.New("idempotency key expired: look the payment up")

// Charge handles a charge request under key, created at tick created.
func (ps *paymentServer) Charge(key string, created int) error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if exp, ok := ps.keys[key]; ok && ps.now < exp {
		return nil // a duplicate: the stored result
	}
	if ps.now-created >= ps.ttl {
		return errKeyExpired
	}
	ps.charges[key]++
	ps.keys[key] = ps.now + ps.ttl
	return nil
}

// Advance moves the fake clock on by one tick.
func (ps *paymentServer) Advance() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.now++
}

// driver maps the model's actions onto the server's calls. The clients
// and the network between them and the server are the driver's.
type driver struct {
	p       idempotency.Params
	server  *paymentServer
	clients map[string]idempotency.Client
}

func (d *driver) Reset(ctx context.Context, init mbt.Step) error {
	d.server = &paymentServer{ttl: d.p.TTL, keys: map[string]int{}, charges: map[string]int{}}
	d.clients = map[string]idempotency.Client{}
	for _, n := range d.p.Clients {
		d.clients[n] = idempotency.Client{}
		d.server.charges[n] = 0
	}
	return nil
}

func (d *driver) Step(ctx context.Context, step mbt.Step) error {
	if step.Action == "tick" {
		d.server.Advance()
		return nil
	}
	n, err := mbt.Pick[string](step, "client")
	if err != nil {
		return err
	}
	cl, ok := d.clients[n]
	if !ok {
		return fmt.Errorf("unknown client %q", n)
	}
	switch step.Action {
	case "send":
		if cl.Sent {
			return mbt.Refusef("%s has sent its request", n)
		}
		cl.Sent, cl.Created, cl.InFlight = true, d.server.now, true
	case "retry":
		if !cl.Sent || cl.Result != "" || cl.InFlight || cl.Answer != "" {
			return mbt.Refusef("%s has no reason to retry", n)
		}
		cl.InFlight = true
	case "deliver":
		if !cl.InFlight {
			return mbt.Refusef("no request of %s in the network", n)
		}
		cl.InFlight = false
		switch err := d.server.Charge(n, cl.Created); {
		case errors.Is(err, errKeyExpired):
			cl.Answer = idempotency.Expired
		case err != nil:
			return err
		default:
			cl.Answer = idempotency.Charged
		}
	case "respond", "lose":
		if cl.Answer == "" {
			return mbt.Refusef("no answer to %s in the network", n)
		}
		if step.Action == "respond" {
			cl.Result = cl.Answer
		}
		cl.Answer = ""
	default:
		return fmt.Errorf("unknown action %q", step.Action)
	}
	d.clients[n] = cl
	return nil
}

// Observe reads the server's state (and the driver's clients), for
// comparison with the model's after every step.
func (d *driver) Observe(ctx context.Context) (idempotency.State, error) {
	ps := d.server
	ps.mu.Lock()
	defer ps.mu.Unlock()
	s := idempotency.State{Now: ps.now, Clients: map[string]idempotency.Client{}, Keys: map[string]int{}, Charges: map[string]int{}}
	for n, cl := range d.clients {
		s.Clients[n] = cl
	}
	for k, exp := range ps.keys {
		s.Keys[k] = exp
	}
	for k, c := range ps.charges {
		s.Charges[k] = c
	}
	return s, nil
}

// TestConformance drives the server with traces drawn from the fixed
// model and compares the two after every step; a divergence is shrunk,
// saved under testdata/execspec and replayed first by the next go test.
func TestConformance(t *testing.T) {
	p := idempotency.Small(true)
	p.Clients = append(p.Clients, "carol")
	p.MaxTime = 10
	mbt.Run(t, idempotency.New(p), func(testing.TB) mbt.Driver[idempotency.State] { return &driver{p: p} }, mbt.Options{Seed: 1})
}
