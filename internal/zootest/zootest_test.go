package zootest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/internal/zootest"
)

// recorder captures what the helpers report instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Errorf(f string, args ...any) { r.errs = append(r.errs, fmt.Sprintf(f, args...)) }
func (r *recorder) Fatalf(f string, args ...any) { r.errs = append(r.errs, fmt.Sprintf(f, args...)) }
func (r *recorder) Logf(string, ...any)          {}

type counter struct{ N int }

// model counts to limit; "small" fails from 3 on.
func model(limit int) *execspec.Model[counter] {
	m := execspec.NewModel[counter]("counter")
	m.Init(func(c *execspec.Ctx[counter]) {})
	m.Action("inc", func(c *execspec.Ctx[counter]) {
		if c.Assume(c.S.N < limit) {
			c.S.N++
		}
	})
	m.Invariant("small", func(s *counter) bool { return s.N < 3 })
	return m
}

func TestHelpers(t *testing.T) {
	t.Chdir(t.TempDir()) // check.Test saves failing traces under ./testdata
	for _, tc := range []struct {
		name string
		run  func(tb testing.TB)
		want string // "" passes
	}{
		{"shortest as pinned", func(tb testing.TB) { zootest.Shortest(tb, model(5), "small", 3) }, ""},
		{"shortest differs", func(tb testing.TB) { zootest.Shortest(tb, model(5), "small", 4) }, "has 3 steps, want 4"},
		{"no violation", func(tb testing.TB) { zootest.Shortest(tb, model(2), "small", 3) }, "no violation of small found"},
		{"unknown property", func(tb testing.TB) { zootest.Shortest(tb, model(2), "big", 3) }, `unknown property "big"`},
		{"clean as pinned", func(tb testing.TB) { zootest.Clean(tb, func() *execspec.Model[counter] { return model(2) }, 3) }, ""},
		{"clean count differs", func(tb testing.TB) { zootest.Clean(tb, func() *execspec.Model[counter] { return model(2) }, 4) }, "3 distinct states; want complete, 4"},
		{"not clean", func(tb testing.TB) { zootest.Clean(tb, func() *execspec.Model[counter] { return model(5) }, 4) }, "invariant violated: small"},
		{"instances compile", func(tb testing.TB) {
			zootest.Instances(tb, execspec.NewSpec[counter]("c").Instance("a", func() *execspec.Model[counter] { return model(2) }))
		}, ""},
		{"an instance does not compile", func(tb testing.TB) {
			zootest.Instances(tb, execspec.NewSpec[counter]("c").Instance("bad", func() *execspec.Model[counter] { return execspec.NewModel[counter]("empty") }))
		}, "bad: "},
		{"no instance", func(tb testing.TB) { zootest.Instances(tb, execspec.NewSpec[counter]("c")) }, "has no instance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			tc.run(rec)
			switch {
			case tc.want == "" && len(rec.errs) > 0:
				t.Errorf("failed: %q", rec.errs)
			case tc.want != "" && (len(rec.errs) == 0 || !strings.Contains(strings.Join(rec.errs, "\n"), tc.want)):
				t.Errorf("errors %q, want one with %q", rec.errs, tc.want)
			}
		})
	}
}
