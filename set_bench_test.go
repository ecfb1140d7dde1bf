package execspec_test

import (
	"fmt"
	"testing"

	"github.com/execspec/execspec"
)

// Set-heavy states, as the checker's hot path sees them: a copy (Clone)
// and a canonical encoding per successor. Compare Set and VSet, and runs
// before and after a codec change, with
//
//	go test -run '^$' -bench 'SetState' -count 6 . > new.txt; benchstat old.txt new.txt

type setHeavy struct {
	Inbox map[string]execspec.Set[int]
	Seen  execspec.Set[string]
}

type vsetHeavy struct {
	Inbox map[string]execspec.VSet[int]
	Seen  execspec.VSet[string]
}

func setHeavyState() setHeavy {
	s := setHeavy{Inbox: map[string]execspec.Set[int]{}}
	for p := 0; p < 5; p++ {
		s.Inbox[fmt.Sprint("p", p)] = execspec.SetRange(0, 10+p)
		s.Seen.Add(fmt.Sprint("m", p))
	}
	return s
}

func vsetHeavyState() vsetHeavy {
	s := vsetHeavy{Inbox: map[string]execspec.VSet[int]{}}
	for p := 0; p < 5; p++ {
		s.Inbox[fmt.Sprint("p", p)] = execspec.VSetOf(execspec.SetRange(0, 10+p).Elems()...)
		s.Seen = s.Seen.With(fmt.Sprint("m", p))
	}
	return s
}

func benchCopyEncode[S any](b *testing.B, s S) {
	mc := compileWith(b, func(*S) {})
	var buf []byte
	var dst S
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			mc.Copy(&dst, &s)
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			buf = mc.AppendEncoding(buf[:0], &s)
		}
	})
}

func BenchmarkSetStateSet(b *testing.B)  { benchCopyEncode(b, setHeavyState()) }
func BenchmarkSetStateVSet(b *testing.B) { benchCopyEncode(b, vsetHeavyState()) }

// BenchmarkSetStateWith measures the value-semantics update a spec writes
// as inbox[q] \cup {m}.
func BenchmarkSetStateWith(b *testing.B) {
	s, v := execspec.SetRange(0, 20), execspec.VSetOf(execspec.SetRange(0, 20).Elems()...)
	b.Run("Set", func(b *testing.B) {
		for i := range b.N {
			_ = s.With(i % 40)
		}
	})
	b.Run("VSet", func(b *testing.B) {
		for i := range b.N {
			_ = v.With(i % 40)
		}
	})
}

type variantHeavy struct {
	Msgs execspec.Set[vMsg]
	Last vMsg
}

// BenchmarkSetStateVariants measures a Paxos-like set of sum-type messages.
func BenchmarkSetStateVariants(b *testing.B) {
	s := variantHeavy{Last: Ping{}}
	for i := range 10 {
		s.Msgs.Add(P1a{Bal: i})
		s.Msgs.Add(P1b{Acc: fmt.Sprint("a", i%3), Bal: i, MBal: i - 1})
	}
	benchCopyEncode(b, s)
}
