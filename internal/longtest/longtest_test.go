package longtest

import (
	"testing"
)

// recorder notes whether a test was skipped.
type recorder struct {
	testing.TB
	skipped bool
	msg     string
}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = true
	r.msg = format
}

func TestSkip(t *testing.T) {
	for _, tc := range []struct {
		env  string
		skip bool
	}{{"", true}, {"0", true}, {"1", false}} {
		t.Setenv(Env, tc.env)
		r := &recorder{TB: t}
		Skip(r)
		if r.skipped != tc.skip || Enabled() == tc.skip {
			t.Errorf("%s=%q: skipped %v, enabled %v; want skipped %v", Env, tc.env, r.skipped, Enabled(), tc.skip)
		}
	}
}
