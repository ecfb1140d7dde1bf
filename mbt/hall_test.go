package mbt_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/mbt"
)

// A hall books seats: the hall (the implementation) chooses the seat, so
// the model declares the pick an output.

var (
	seats   = []string{"s1", "s2", "s3"}
	patrons = []string{"ann", "bob"}
)

// Hall is the model's state: who holds each seat taken.
type Hall struct {
	Taken map[string]string `itf:"taken"`
}

func hallModel() *execspec.Model[Hall] {
	m := execspec.NewModel[Hall]("hall")
	m.Init(func(c *execspec.Ctx[Hall]) { c.S.Taken = map[string]string{} })
	m.Action("book", func(c *execspec.Ctx[Hall]) {
		p := execspec.OneOf(c, "patron", patrons)
		s := execspec.OneOf(c, "seat", seats) // the output
		if _, taken := c.S.Taken[s]; !c.Assume(!taken) {
			return
		}
		c.S.Taken[s] = p
	})
	m.Action("leave", func(c *execspec.Ctx[Hall]) {
		s := execspec.OneOf(c, "at", seats)
		if _, taken := c.S.Taken[s]; !c.Assume(taken) {
			return
		}
		delete(c.S.Taken, s)
	})
	return m
}

// hallMode selects the hall's implementation and its driver's manners.
type hallMode string

const (
	hallCorrect  hallMode = ""
	hallForgets  hallMode = "forgets"   // the hall forgets that s3 is taken
	hallSelf     hallMode = "self"      // no outputs: the driver compares the seat itself
	hallExtra    hallMode = "extra"     // the driver returns an output nobody declared
	hallMissing  hallMode = "missing"   // the driver returns no seat
	hallNotPicks hallMode = "not_picks" // the driver returns a declared output book does not pick
)

// hallDriver drives an in-memory hall that hands out the last free seat
// (the model's first candidate is the first free one).
type hallDriver struct {
	mode  hallMode
	taken map[string]string
}

func (d *hallDriver) Reset(context.Context, mbt.Step) error {
	d.taken = map[string]string{}
	return nil
}

func (d *hallDriver) book(p string) (string, bool) {
	for i := len(seats) - 1; i >= 0; i-- {
		s := seats[i]
		if _, taken := d.taken[s]; !taken || d.mode == hallForgets && s == "s3" {
			d.taken[s] = p
			return s, true
		}
	}
	return "", false
}

// do performs a step and returns the hall's answers.
func (d *hallDriver) do(st mbt.Step) ([]mbt.Labelled, error) {
	switch st.Action {
	case "book":
		p, err := mbt.Pick[string](st, "patron")
		if err != nil {
			return nil, err
		}
		s, ok := d.book(p)
		if !ok {
			return nil, mbt.Refusef("the hall is full")
		}
		switch d.mode {
		case hallExtra:
			return []mbt.Labelled{mbt.Output("seat", s), mbt.Output("row", 1)}, nil
		case hallMissing:
			return nil, nil
		case hallNotPicks:
			return []mbt.Labelled{mbt.Output("seat", s), mbt.Output("gate", "north")}, nil
		}
		return []mbt.Labelled{mbt.Output("seat", s)}, nil
	case "sweep":
		if _, err := mbt.Pick[string](st, "sweeper"); err != nil {
			return nil, err
		}
		if _, taken := d.taken["s1"]; !taken {
			return nil, mbt.Refusef("s1 is free")
		}
		return nil, nil
	case "leave":
		s, err := mbt.Pick[string](st, "at")
		if err != nil {
			return nil, err
		}
		if _, taken := d.taken[s]; !taken {
			return nil, mbt.Refusef("%s is free", s)
		}
		delete(d.taken, s)
		return nil, nil
	}
	return nil, fmt.Errorf("unknown action %q", st.Action)
}

func (d *hallDriver) Observe(context.Context) (Hall, error) {
	h := Hall{Taken: map[string]string{}}
	for s, p := range d.taken {
		h.Taken[s] = p
	}
	return h, nil
}

// selfDriver has no outputs: the model picks the seat, and the driver
// compares the hall's answer with it itself.
type selfDriver struct{ hallDriver }

func (d *selfDriver) Step(_ context.Context, st mbt.Step) error {
	if st.Action != "book" || !st.Enabled {
		_, err := d.do(st)
		return err
	}
	want, err := mbt.Pick[string](st, "seat")
	if err != nil {
		return err
	}
	p, err := mbt.Pick[string](st, "patron")
	if err != nil {
		return err
	}
	got, ok := d.book(p)
	switch {
	case !ok:
		return mbt.Refusef("the hall is full")
	case got != want:
		return mbt.Mismatchf("book gave %s, the model expected %s", got, want)
	}
	return nil
}

// outputHallDriver is a hall driver that reports outputs.
type outputHallDriver struct{ hallDriver }

func (d *outputHallDriver) Step(_ context.Context, st mbt.Step) error {
	_, err := d.do(st)
	return err
}

func (d *outputHallDriver) StepOutputs(_ context.Context, st mbt.Step) ([]mbt.Labelled, error) {
	return d.do(st)
}

func newHallDriver(mode hallMode) func(testing.TB) mbt.Driver[Hall] {
	return func(testing.TB) mbt.Driver[Hall] {
		if mode == hallSelf {
			return &selfDriver{hallDriver{mode: mode}}
		}
		return &outputHallDriver{hallDriver{mode: mode}}
	}
}

// A driver that compares an answer itself (ErrMismatch) gets a divergence
// like any other: shrunk, saved, printed with its trace.
func TestDriverMismatch(t *testing.T) {
	dir := t.TempDir()
	rt := newRecTB(t, "TestSelf")
	rep := mbt.Run(rt, hallModel(), newHallDriver(hallSelf), mbt.Options{Seed: 1, Dir: dir})
	d := rep.Divergence
	if d == nil || d.Kind != mbt.Mismatch || !errors.Is(d.Err, mbt.ErrMismatch) {
		t.Fatalf("divergence %+v, want the driver's mismatch:\n%s", d, rt.errors())
	}
	msg := rt.errors()
	if d.Len() != 1 || d.File == "" || !strings.Contains(msg, "book gave s3, the model expected s1") || !strings.Contains(msg, "trace (model states):") {
		t.Errorf("want a saved 1-step trace (the first booking) and the driver's words:\n%s", msg)
	}
}
