package cli

import "testing"

// The help and messages read the strategies from the registries of
// packages check and simulate, and read as they did when they were
// written out here.
func TestStrategyTexts(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{checkStrategyHelp(), "bfs (shortest counterexamples), dfs, random-dfs"},
		{runStrategyHelp(), "swarm (each sample holds back a random half of the actions, taken only at a step where no other is enabled, and draws the rest by random weights times the model's); guided (half the samples start from a corpus of prefixes that reached new states); uniform"},
		{joinWords(checkpointStrategies(), "or"), "bfs"},
		{joinWords(possessives([]string{"bfs"}), "and"), "bfs's"},
		{joinWords([]string{"dfs", "random-dfs"}, "and"), "dfs and random-dfs"},
		{joinWords([]string{"a", "b", "c"}, "or"), "a, b or c"},
		{joinWords(nil, "or"), ""},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
