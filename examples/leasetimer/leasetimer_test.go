package leasetimer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/execspec/execspec/examples/leasetimer"
	"github.com/execspec/execspec/mbt"
)

var clients = []string{"a", "b"}

const ttl = 3 // ticks; a tick is a second of the bubble's fake clock

// driver drives a Server inside a synctest bubble: "advance" sleeps on the
// fake clock, then waits for the timers that fired.
type driver struct {
	forgetful bool
	srv       *leasetimer.Server
}

func (d *driver) Reset(context.Context, mbt.Step) error {
	if d.srv != nil {
		d.srv.Close()
	}
	d.srv = leasetimer.NewServer(ttl * time.Second)
	d.srv.Forgetful = d.forgetful
	return nil
}

func (d *driver) Step(_ context.Context, s mbt.Step) error {
	var err error
	switch s.Action {
	case "acquire", "release":
		var c string
		if c, err = mbt.Pick[string](s, "client"); err != nil {
			return err
		}
		if s.Action == "acquire" {
			err = d.srv.Acquire(c)
		} else {
			err = d.srv.Release(c)
		}
	case "advance":
		n, err := mbt.Pick[int](s, "ticks")
		if err != nil {
			return err
		}
		time.Sleep(time.Duration(n) * time.Second) // fake time: returns at once
		synctest.Wait()                            // the expired timers have run
		return nil
	default:
		return fmt.Errorf("unknown action %q", s.Action)
	}
	if errors.Is(err, leasetimer.ErrHeld) || errors.Is(err, leasetimer.ErrNotHolder) {
		return mbt.Refusef("%v", err)
	}
	return err
}

func (d *driver) Observe(context.Context) (leasetimer.State, error) {
	return leasetimer.State{Holder: d.srv.Holder()}, nil
}

func newDriver(forgetful bool) func(testing.TB) mbt.Driver[leasetimer.State] {
	return func(tb testing.TB) mbt.Driver[leasetimer.State] {
		d := &driver{forgetful: forgetful}
		tb.Cleanup(func() {
			if d.srv != nil {
				d.srv.Close()
			}
		})
		return d
	}
}

// The implementation knows no tick counter: the clock and the deadline
// are the model's alone.
var options = mbt.Options{Seed: 1, Traces: 200, Steps: 30, Ignore: []string{"now", "expires"}}

// TestLeaseUnderSynctest is the pattern: mbt.Run inside synctest.Test, the
// model's "advance" mapped onto the fake clock. 200 traces of up to 30
// steps, each advancing the clock by up to 90 seconds, run in milliseconds
// and the same way every time.
func TestLeaseUnderSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		o := options
		o.Dir = t.TempDir()
		rep := mbt.Run(t, leasetimer.New(clients, ttl), newDriver(false), o)
		if rep == nil || rep.Steps == 0 {
			t.Fatalf("report %v", rep)
		}
		if time.Since(start) < time.Minute {
			t.Errorf("the fake clock moved %v only: the driver did not advance it", time.Since(start))
		}
	})
}

// TestSynctestFindsStaleTimer: the forgetful server's old timer expires
// the next holder's lease early, and mbt finds the divergence.
func TestSynctestFindsStaleTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{TB: t}
		o := options
		o.Dir = t.TempDir()
		rep := mbt.Run(rec, leasetimer.New(clients, ttl), newDriver(true), o)
		if rep == nil || rep.Divergence == nil {
			t.Fatalf("no divergence; errors: %q", rec.errs)
		}
		if msg := strings.Join(rec.errs, "\n"); !strings.Contains(msg, "holder") {
			t.Errorf("the report does not show the holder's difference:\n%s", msg)
		}
		t.Logf("%s", rec.errs[0])
	})
}

// recorder records a run's failures instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }
func (r *recorder) Fail()             { r.errs = append(r.errs, "Fail") }
func (r *recorder) Failed() bool      { return len(r.errs) > 0 }
