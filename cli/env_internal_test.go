package cli

import "testing"

func TestEnvGetenv(t *testing.T) {
	env := Env{Environ: []string{"A=1", "B=x=y", "EMPTY=", "A=2", "NOEQUALS"}}
	for _, c := range []struct{ key, want string }{
		{"A", "2"}, // the last one wins, as for a process's environment
		{"B", "x=y"},
		{"EMPTY", ""},
		{"MISSING", ""},
		{"NOEQUALS", ""},
		{"", ""},
	} {
		if got := env.Getenv(c.key); got != c.want {
			t.Errorf("Getenv(%q) = %q, want %q", c.key, got, c.want)
		}
	}
}
