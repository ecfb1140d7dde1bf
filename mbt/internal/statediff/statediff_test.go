package statediff

import (
	"strings"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
)

func TestIgnorePatterns(t *testing.T) {
	lock := func(owner string, epoch int64) itf.Value {
		return itf.Record(itf.Field{Name: "owner", Value: itf.String(owner)}, itf.Field{Name: "epoch", Value: itf.Int(epoch)})
	}
	deployers := func(epochA, epochB int64, next int64) itf.Value {
		return itf.Map(
			itf.Entry{Key: itf.String("a"), Value: itf.Record(itf.Field{Name: "lock", Value: lock("a", epochA)}, itf.Field{Name: "next", Value: itf.Int(next)})},
			itf.Entry{Key: itf.String("b"), Value: itf.Record(itf.Field{Name: "lock", Value: lock("b", epochB)}, itf.Field{Name: "next", Value: itf.Int(1)})},
		)
	}
	x, y := deployers(1, 2, 1), deployers(7, 9, 1)
	for _, tc := range []struct {
		pattern string
		a, b    itf.Value
		changes []string
	}{
		{"deployers", x, y, nil},
		{"deployers[*].lock", x, y, nil},
		{"deployers[*].lock.epoch", x, y, nil},
		{"deployers[*].*.epoch", x, y, nil},
		{`deployers["a"].lock`, x, y, []string{`deployers["b"].lock.epoch`}},
		{"deployers[a].lock", x, y, []string{`deployers["b"].lock.epoch`}},
		{"deployers[*].lock.owner", x, y, []string{`deployers["a"].lock.epoch`, `deployers["b"].lock.epoch`}},
		{"deployers[*].lock", x, deployers(1, 2, 5), []string{`deployers["a"].next`}},
		{"list[1]", itf.List(itf.Int(1), itf.Int(2)), itf.List(itf.Int(1), itf.Int(3)), nil},
		{"list[0]", itf.List(itf.Int(1), itf.Int(2)), itf.List(itf.Int(1), itf.Int(3)), []string{"list[1]"}},
		{"set[*].epoch", itf.Set(lock("a", 1)), itf.Set(lock("a", 2)), nil},
	} {
		ip, err := parseIgnore(tc.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tc.pattern, err)
		}
		c := &Comparator[struct{}]{ignore: map[string][][]segment{ip.v: {ip.segs}}}
		v := ip.v
		got := c.DiffITF([]string{v}, map[string]itf.Value{v: tc.a}, map[string]itf.Value{v: tc.b})
		var paths []string
		for _, ch := range got {
			paths = append(paths, ch.Path)
		}
		if strings.Join(paths, " ") != strings.Join(tc.changes, " ") {
			t.Errorf("%s: changes %q, want %q", tc.pattern, paths, tc.changes)
		}
	}
	for _, bad := range []string{"", ".x", "a..b", "a[", `a["x]`, "a[]", "a[1]x"} {
		if _, err := parseIgnore(bad); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func TestFormatDiff(t *testing.T) {
	got := Format([]trace.Change{
		{Path: "a", Old: itf.Int(1), New: itf.Int(2)},
		{Path: "m[1]", New: itf.String("x")},
	}, "model", "implementation")
	want := "    a:\n      model:          1\n      implementation: 2\n    m[1]:\n      model:          (absent)\n      implementation: \"x\"\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
