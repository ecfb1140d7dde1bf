package itf

import (
	"bytes"
	"io"
	"math/big"
	"strconv"
	"testing"
)

// benchTrace builds a trace of about 10 MB of canonical JSON: 2,000 states,
// each with a set of records, a map, a big integer and a Quint-style
// nondetPicks record.
func benchTrace() *Trace {
	tr := &Trace{
		Meta: map[string]any{"format": "ITF", "source": "bench.qnt", "status": "ok"},
		Vars: []string{"procs", "owner", "supply", "clock", NondetPicksVar},
	}
	huge := new(big.Int).Lsh(big.NewInt(1), 100)
	for i := range 2000 {
		procs := make([]Value, 26)
		for j := range procs {
			procs[j] = Record(
				Field{"id", Int(int64(j))},
				Field{"name", String("proc-" + strconv.Itoa(j))},
				Field{"balance", BigInt(new(big.Int).Add(huge, big.NewInt(int64(i*j))))},
				Field{"active", Bool((i+j)%2 == 0)},
				Field{"inbox", List(Int(int64(i)), Int(int64(j)))},
			)
		}
		owner := make([]Entry, 10)
		for j := range owner {
			owner[j] = Entry{Tuple(String("slot"), Int(int64(j))), Int(int64(i + j))}
		}
		tr.States = append(tr.States, State{
			Meta: map[string]any{"index": i},
			Values: map[string]Value{
				"procs":        Set(procs...),
				"owner":        Map(owner...),
				"supply":       BigInt(new(big.Int).Mul(huge, big.NewInt(int64(i+1)))),
				"clock":        Int(int64(i)),
				NondetPicksVar: Record(Field{"proc", Some(Int(int64(i % 26)))}, Field{"amount", None()}),
			},
		})
	}
	return tr
}

func benchData(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := benchTrace().Encode(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkDecode(b *testing.B) {
	data := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := DecodeBytes(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "input-MB")
}

func BenchmarkDecoderNext(b *testing.B) {
	data := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := NewDecoder(bytes.NewReader(data)).Next(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "input-MB")
}

func BenchmarkEncode(b *testing.B) {
	data := benchData(b)
	tr, err := DecodeBytes(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := tr.Encode(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "input-MB")
}

func BenchmarkUnmarshalStates(b *testing.B) {
	data := benchData(b)
	tr, err := DecodeBytes(data)
	if err != nil {
		b.Fatal(err)
	}
	type proc struct {
		ID      int      `itf:"id"`
		Name    string   `itf:"name"`
		Balance *big.Int `itf:"balance"`
		Active  bool     `itf:"active"`
		Inbox   []int    `itf:"inbox"`
	}
	type state struct {
		Procs  []proc           `itf:"procs"`
		Supply big.Int          `itf:"supply"`
		Clock  int              `itf:"clock"`
		Picks  map[string]Value `itf:"mbt::nondetPicks"`
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var states []state
		if err := tr.UnmarshalStates(&states); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "input-MB")
}
