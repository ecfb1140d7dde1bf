package linearize

import (
	"fmt"
	"strings"
)

// FormatHistory prints a history, one operation a line with its client,
// logical call and return times and outcome, and the verdict of lin: the
// longest linearizable prefix and what broke it.
func FormatHistory(h *History, lin Linearization) string {
	pos := map[int]int{}
	for i, op := range lin.Order {
		pos[op] = i + 1
	}
	var b strings.Builder
	for i, op := range h.Ops {
		mark := "  -"
		if p, ok := pos[i]; ok {
			mark = fmt.Sprintf("%3d", p)
		}
		ret := fmt.Sprintf("%4d", op.Return)
		if op.Pending {
			ret = "   -" // no answer
		}
		fmt.Fprintf(&b, "  %s  [%4d,%s] %s\n", mark, op.Call, ret, op)
	}
	switch {
	case lin.OK:
		b.WriteString("linearizable (the first column is the order)")
	case lin.FinalMismatch:
		b.WriteString("every operation fits some order, but none ends in the implementation's observed final state; the first order tried ends with:\n")
		b.WriteString(strings.TrimRight(lin.FinalDiff, "\n"))
	default:
		fmt.Fprintf(&b, "the longest linearizable prefix found has %d of %d operations (first column: their order; -: not explained)", len(lin.Order), len(h.Ops))
	}
	if lin.Partition != "" {
		fmt.Fprintf(&b, "\nchecked by partition (%d): the partition %s is not linearizable; the partitions after it were not searched", lin.Partitions, lin.Partition)
	}
	return b.String()
}
