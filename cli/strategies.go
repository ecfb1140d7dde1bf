package cli

import (
	"strings"

	"github.com/execspec/execspec/check"
	"github.com/execspec/execspec/simulate"
)

// What the help and the messages say of the strategies, read from the
// registries of packages check and simulate, so that a strategy
// registered there is listed, validated and explained here unchanged.

// checkStrategies returns the names of the search strategies keep
// accepts (every one for nil), in the registry's order.
func checkStrategies(keep func(check.StrategyInfo) bool) []string {
	var names []string
	for _, st := range check.Strategies() {
		if keep == nil || keep(st.Info()) {
			names = append(names, string(st))
		}
	}
	return names
}

// checkStrategyHelp lists the search strategies for --strategy's help:
// "bfs (shortest counterexamples), dfs, random-dfs".
func checkStrategyHelp() string {
	var names, notes []string
	for _, st := range check.Strategies() {
		names, notes = append(names, string(st)), append(notes, st.Info().Note)
	}
	return listStrategies(names, notes, ", ")
}

// runStrategyHelp lists the simulation strategies for --strategy's help:
// "swarm (each sample holds back ...); guided (...); uniform".
func runStrategyHelp() string {
	var names, notes []string
	for _, st := range simulate.Strategies() {
		names, notes = append(names, string(st)), append(notes, st.Info().Note)
	}
	return listStrategies(names, notes, "; ")
}

// listStrategies lists names with their notes in parentheses, those with
// a note first, each group in the given order.
func listStrategies(names, notes []string, sep string) string {
	var noted, plain []string
	for i, n := range names {
		if notes[i] != "" {
			noted = append(noted, n+" ("+notes[i]+")")
		} else {
			plain = append(plain, n)
		}
	}
	return strings.Join(append(noted, plain...), sep)
}

// joinWords joins words as a sentence lists them: "a", "a and b",
// "a, b and c" (with "or" for conj "or").
func joinWords(words []string, conj string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// possessives makes each word possessive: "bfs" becomes "bfs's".
func possessives(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w + "'s"
	}
	return out
}
