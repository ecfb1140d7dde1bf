// Package statediff compares a model's states with observed ones, leaving
// out the parts an ignore pattern names (mbt.Options.Ignore,
// linearize.CheckOptions.Ignore), and renders the differences.
package statediff

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
)

// ignored replaces the parts of a state that Options.Ignore leaves out, on
// both sides of a comparison.
var ignored = itf.Unserializable("ignored")

// ignorePath is one parsed Options.Ignore pattern: a variable and the
// segments below it.
type ignorePath struct {
	text string
	v    string
	segs []segment
}

// segment is one step of an ignore pattern: a record field or variant tag
// (".name", "*" for any), or an index, map key or set element ("[k]", "[*]"
// for any).
type segment struct {
	name  string
	index bool
}

func (s segment) any() bool { return s.name == "*" }

// matchKey reports whether the bracket segment selects the map key or list
// index k: "*", the key as ITF text ("alice" quoted, 3, (1, 2)), or a string
// key unquoted.
func (s segment) matchKey(k itf.Value) bool {
	if s.any() {
		return true
	}
	if str, ok := k.AsString(); ok && str == s.name {
		return true
	}
	return k.String() == s.name
}

// parseIgnore parses a pattern such as `zone.lock.epoch`,
// `deployers[*].lock` or `balances["alice"]`.
func parseIgnore(p string) (ignorePath, error) {
	ip := ignorePath{text: p}
	bad := func(why string) (ignorePath, error) {
		return ignorePath{}, fmt.Errorf("ignore pattern %q: %s", p, why)
	}
	i := strings.IndexAny(p, ".[")
	if i < 0 {
		i = len(p)
	}
	ip.v = p[:i]
	if ip.v == "" {
		return bad("must start with a state variable")
	}
	rest := p[i:]
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			j := strings.IndexAny(rest, ".[")
			if j < 0 {
				j = len(rest)
			}
			if j == 0 {
				return bad("empty field name")
			}
			ip.segs = append(ip.segs, segment{name: rest[:j]})
			rest = rest[j:]
		case '[':
			rest = rest[1:]
			var key string
			if strings.HasPrefix(rest, `"`) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					return bad("unterminated quoted key")
				}
				key, rest = q, rest[len(q):]
				if !strings.HasPrefix(rest, "]") {
					return bad("missing ] after quoted key")
				}
			} else {
				j := strings.IndexByte(rest, ']')
				if j < 0 {
					return bad("missing ]")
				}
				key, rest = rest[:j], rest[j:]
			}
			if key == "" {
				return bad("empty [] (use [*] for any key)")
			}
			rest = rest[1:]
			ip.segs = append(ip.segs, segment{name: key, index: true})
		default:
			return bad(fmt.Sprintf("unexpected %q", rest[0]))
		}
	}
	return ip, nil
}

// prune returns v with the parts selected by segs replaced by ignored.
func prune(v itf.Value, segs []segment) itf.Value {
	if !v.IsValid() {
		return v
	}
	if len(segs) == 0 {
		return ignored
	}
	s, rest := segs[0], segs[1:]
	if !s.index {
		switch v.Kind() {
		case itf.KindRecord:
			fs := v.Fields()
			out := make([]itf.Field, len(fs))
			for i, f := range fs {
				out[i] = f
				if s.any() || s.name == f.Name {
					out[i].Value = prune(f.Value, rest)
				}
			}
			return itf.Record(out...)
		case itf.KindVariant:
			if s.any() || s.name == v.Tag() {
				return itf.Variant(v.Tag(), prune(v.Payload(), rest))
			}
		}
		return v
	}
	switch v.Kind() {
	case itf.KindMap:
		es := v.Entries()
		out := make([]itf.Entry, len(es))
		for i, e := range es {
			out[i] = e
			if s.matchKey(e.Key) {
				out[i].Value = prune(e.Value, rest)
			}
		}
		return itf.Map(out...)
	case itf.KindList, itf.KindTuple:
		es := v.Elems()
		out := make([]itf.Value, len(es))
		for i, e := range es {
			out[i] = e
			if s.any() || s.name == strconv.Itoa(i) {
				out[i] = prune(e, rest)
			}
		}
		if v.Kind() == itf.KindTuple {
			return itf.Tuple(out...)
		}
		return itf.List(out...)
	case itf.KindSet:
		if !s.any() {
			return v
		}
		es := v.Elems()
		out := make([]itf.Value, len(es))
		for i, e := range es {
			out[i] = prune(e, rest)
		}
		return itf.Set(out...)
	}
	return v
}

// Comparator compares model states with observed ones, leaving out what
// its ignore patterns declare.
type Comparator[S any] struct {
	mc     *machine.Machine[S]
	vars   []string
	ignore map[string][][]segment // by variable
	a, b   []byte
}

// New returns a Comparator of mc's states that leaves out what patterns
// name: a variable, then .field, [key] or [*] segments below it.
func New[S any](mc *machine.Machine[S], patterns []string) (*Comparator[S], error) {
	c := &Comparator[S]{mc: mc, vars: mc.Vars(), ignore: map[string][][]segment{}}
	for _, p := range patterns {
		ip, err := parseIgnore(p)
		if err != nil {
			return nil, err
		}
		known := false
		for _, v := range c.vars {
			known = known || v == ip.v
		}
		if !known {
			return nil, fmt.Errorf("ignore pattern %q: %w", p, &execspec.UnknownNameError{What: "state variable", Name: ip.v, Valid: c.vars})
		}
		c.ignore[ip.v] = append(c.ignore[ip.v], ip.segs)
	}
	return c, nil
}

// Diff returns the differences between the model's state and the observed
// one (Old is the model's value, New the implementation's), nil when they
// agree on everything not ignored.
func (c *Comparator[S]) Diff(model, observed *S) ([]trace.Change, error) {
	c.a = c.mc.AppendEncoding(c.a[:0], model)
	c.b = c.mc.AppendEncoding(c.b[:0], observed)
	if bytes.Equal(c.a, c.b) {
		return nil, nil
	}
	mv, err := c.mc.ToITF(model)
	if err != nil {
		return nil, err
	}
	ov, err := c.mc.ToITF(observed)
	if err != nil {
		return nil, fmt.Errorf("observed %w", err)
	}
	return c.DiffITF(c.vars, mv, ov), nil
}

// DiffITF compares two states given as ITF values over vars.
func (c *Comparator[S]) DiffITF(vars []string, a, b map[string]itf.Value) []trace.Change {
	var out []trace.Change
	for _, v := range vars {
		av, bv := a[v], b[v]
		for _, segs := range c.ignore[v] {
			av, bv = prune(av, segs), prune(bv, segs)
		}
		out = append(out, trace.Diff(v, av, bv)...)
	}
	return out
}

// Format renders changes from the model's state (Old) to the observed
// one (New), one per line, indented.
func Format(changes []trace.Change, model, observed string) string {
	var b strings.Builder
	w := max(len(model), len(observed))
	for _, ch := range changes {
		fmt.Fprintf(&b, "    %s:\n", ch.Path)
		fmt.Fprintf(&b, "      %-*s %s\n", w+1, model+":", OrAbsent(ch.Old))
		fmt.Fprintf(&b, "      %-*s %s\n", w+1, observed+":", OrAbsent(ch.New))
	}
	return b.String()
}

// OrAbsent is v as text, "(absent)" when there is none.
func OrAbsent(v itf.Value) string {
	if !v.IsValid() {
		return "(absent)"
	}
	return v.String()
}
