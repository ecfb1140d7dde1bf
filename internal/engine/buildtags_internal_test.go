package engine

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildTags(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings []debug.BuildSetting
		want     string
	}{
		{"none recorded", nil, ""},
		{"no tags", []debug.BuildSetting{{Key: "-compiler", Value: "gc"}, {Key: "GOOS", Value: "linux"}}, ""},
		{"one tag", []debug.BuildSetting{{Key: "-compiler", Value: "gc"}, {Key: "-tags", Value: "execspec_yield"}}, "execspec_yield"},
		{"several", []debug.BuildSetting{{Key: "-tags", Value: "dnsrace,execspec_yield"}}, "dnsrace,execspec_yield"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := buildTags(tc.settings); got != tc.want {
				t.Errorf("buildTags = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTestCommandNamesTheBuildTags: the printed command carries the tags
// this test binary was built with, so that it rebuilds the same code.
func TestTestCommandNamesTheBuildTags(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this binary")
	}
	cmd := TestCommand("TestX")
	tags := buildTags(bi.Settings)
	if tags == "" {
		if strings.Contains(cmd, "-tags") {
			t.Errorf("a build without tags: %s", cmd)
		}
		return
	}
	if !strings.HasPrefix(cmd, "go test -tags "+ShellQuote(tags)+" -run ") {
		t.Errorf("a build with tags %q: %s", tags, cmd)
	}
}
