package tracelog_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/tracelog"
)

// Counter is a small model: clients add 1 or 2, or reset the count.
type Counter struct {
	Count int    `itf:"count"`
	Last  string `itf:"last"`
}

func counterModel() *execspec.Model[Counter] {
	m := execspec.NewModel[Counter]("counter")
	m.Init(func(c *execspec.Ctx[Counter]) {})
	m.Action("inc", func(c *execspec.Ctx[Counter]) {
		cl := execspec.OneOf(c, "client", []string{"a", "b"})
		c.S.Count += execspec.IntRange(c, "by", 1, 2)
		c.S.Last = cl
	})
	m.Action("reset", func(c *execspec.Ctx[Counter]) {
		cl := execspec.OneOf(c, "client", []string{"a", "b"})
		if !c.Assume(c.S.Count > 0) {
			return
		}
		c.S.Count, c.S.Last = 0, cl
	})
	return m
}

// logOf writes events with a Logger and reads them back.
func logOf(t *testing.T, write func(l *tracelog.Logger)) *itf.Trace {
	t.Helper()
	var buf bytes.Buffer
	l := tracelog.NewLogger(&buf)
	write(l)
	if err := l.Err(); err != nil {
		t.Fatal(err)
	}
	tr, err := tracelog.ReadLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func pick[T any](label string, x T) tracelog.Field { return tracelog.Pick(label, x) }
func v[T any](name string, x T) tracelog.Field     { return tracelog.Var(name, x) }

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		write   func(l *tracelog.Logger)
		matched int
		valid   bool
		want    string // in the failure's text
	}{
		{"every variable logged", func(l *tracelog.Logger) {
			l.Step("init", v("count", 0), v("last", ""))
			l.Step("inc", pick("client", "a"), pick("by", 2), v("count", 2), v("last", "a"))
			l.Step("reset", pick("client", "b"), v("count", 0), v("last", "b"))
		}, 3, true, ""},
		{"only actions, then one variable", func(l *tracelog.Logger) {
			l.Step("inc")
			l.Step("inc")
			l.Step("inc", pick("by", 1), v("count", 5))
		}, 3, true, ""},
		{"a variable not logged decides a later step", func(l *tracelog.Logger) {
			l.Step("inc", pick("client", "a"))
			l.Step("inc", pick("by", 1), v("count", 3))
		}, 2, true, ""},
		{"events without an action", func(l *tracelog.Logger) {
			l.Step("init")
			l.Step("", v("count", 2))
			l.Step("", v("count", 0), v("last", "a"))
		}, 3, true, ""},
		{"a count the model cannot reach", func(l *tracelog.Logger) {
			l.Step("init", v("count", 0))
			l.Step("inc", pick("client", "a"), pick("by", 1), v("count", 1))
			l.Step("inc", pick("client", "a"), pick("by", 1), v("count", 5))
		}, 2, false, "count: model 2, log 5"},
		{"a reset the model does not allow", func(l *tracelog.Logger) {
			l.Step("init")
			l.Step("reset")
		}, 1, false, "not enabled"},
		{"a wrong initial state", func(l *tracelog.Logger) {
			l.Step("init", v("count", 7))
		}, 0, false, "event 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := tracelog.Validate(context.Background(), counterModel(), logOf(t, tc.write), tracelog.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid() != tc.valid || rep.Matched != tc.matched {
				t.Fatalf("valid %v, matched %d; want %v, %d\n%s", rep.Valid(), rep.Matched, tc.valid, tc.matched, rep)
			}
			if !tc.valid && !strings.Contains(rep.String(), tc.want) {
				t.Errorf("the report lacks %q:\n%s", tc.want, rep)
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name  string
		write func(l *tracelog.Logger)
		opts  tracelog.Options
		want  string
	}{
		{"unknown variable", func(l *tracelog.Logger) { l.Step("inc", v("total", 1)) }, tracelog.Options{}, `"total", which model counter does not (it has: count, last)`},
		{"unknown action", func(l *tracelog.Logger) { l.Step("dec") }, tracelog.Options{}, "dec"},
		{"too many candidates", func(l *tracelog.Logger) { l.Step("inc"); l.Step("inc") }, tracelog.Options{MaxStates: 2}, "incomplete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tracelog.Validate(context.Background(), counterModel(), logOf(t, tc.write), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
	_, err := tracelog.Validate(context.Background(), counterModel(), logOf(t, func(l *tracelog.Logger) { l.Step("inc"); l.Step("inc") }), tracelog.Options{MaxStates: 2})
	if !errors.Is(err, tracelog.ErrIncomplete) {
		t.Errorf("error %v does not wrap ErrIncomplete", err)
	}
}

func TestReadLogErrors(t *testing.T) {
	for _, in := range []string{"{\n", "[1, 2]\n", `{"mbt::actionTaken": 3}` + "\n", `{"mbt::nondetPicks": "n"}` + "\n"} {
		if _, err := tracelog.ReadLog(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ReadLog(%q): %v", in, err)
		}
	}
	tr, err := tracelog.ReadLog(strings.NewReader("\n" + `{"mbt::actionTaken": "inc", "count": 1}` + "\n\n"))
	if err != nil || len(tr.States) != 1 || strings.Join(tr.Vars, ",") != "count" {
		t.Errorf("ReadLog with blank lines: %+v, %v", tr, err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLoggerErrors(t *testing.T) {
	var buf bytes.Buffer
	l := tracelog.NewLogger(&buf)
	l.Step("inc", v("count", func() {}))
	l.Step("inc", v("count", 1))
	if err := l.Err(); err == nil || !strings.Contains(err.Error(), "count") || buf.Len() != 0 {
		t.Errorf("an unencodable value: error %v, %d bytes written", err, buf.Len())
	}
	l = tracelog.NewLogger(failingWriter{})
	l.Step("inc")
	if err := l.Err(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failing writer: error %v", err)
	}
}
