package check

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

func TestMemTable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		wide    bool
		hint    int64
		workers int
		n       int
	}{
		{"64-bit, growing from empty", false, 0, 1, 100_000},
		{"64-bit, presized", false, 100_000, 1, 100_000},
		{"64-bit, concurrent", false, 0, 4, 200_000},
		{"128-bit, concurrent", true, 0, 4, 200_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := newMemTable[uint32](tc.wide, tc.hint, nil)
			if err != nil {
				t.Fatal(err)
			}
			fp := func(i int) fingerprint {
				r := rand.New(rand.NewPCG(uint64(i), 7))
				return fingerprint{r.Uint64(), r.Uint64()}
			}
			// Every worker inserts every fingerprint: exactly one Put per
			// fingerprint must find it absent.
			var absent sync.Map
			var wg sync.WaitGroup
			for w := 0; w < tc.workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < tc.n; i++ {
						_, ok, err := tab.Put(fp(i), uint32(i), nil)
						if err != nil {
							t.Error(err)
							return
						}
						if ok {
							if _, dup := absent.LoadOrStore(i, true); dup {
								t.Errorf("fingerprint %d inserted twice", i)
							}
						}
					}
				}()
			}
			wg.Wait()
			if got := tab.Len(); got != int64(tc.n) {
				t.Fatalf("Len = %d, want %d", got, tc.n)
			}
			for i := 0; i < tc.n; i++ {
				v, ok := tab.Get(fp(i))
				if !ok || v != uint32(i) {
					t.Fatalf("Get(%d) = %d, %v", i, v, ok)
				}
			}
			if _, ok := tab.Get(fp(tc.n + 1)); ok {
				t.Fatal("found a fingerprint never inserted")
			}
			perSlot := int64(12)
			if tc.wide {
				perSlot = 20
			}
			if max := int64(tc.n) * perSlot * 8 / 3; tab.Bytes() > max {
				t.Errorf("%d bytes for %d fingerprints: load below 3/8", tab.Bytes(), tc.n)
			}
		})
	}
}

func TestMemTableZeroFingerprintAndBetter(t *testing.T) {
	tab, _ := newMemTable[uint32](false, 0, nil)
	if _, ok, _ := tab.Put(fingerprint{}, 9, nil); !ok {
		t.Fatal("the zero fingerprint was not stored")
	}
	if v, ok := tab.Get(fingerprint{}); !ok || v != 9 {
		t.Fatalf("Get(zero) = %d, %v", v, ok)
	}
	old, ok, _ := tab.Put(fingerprint{}, 3, minDepth)
	if ok || old != 9 {
		t.Fatalf("second Put: old %d, absent %v", old, ok)
	}
	if v, _ := tab.Get(fingerprint{}); v != 3 {
		t.Fatalf("better did not keep the minimum: %d", v)
	}
	tab.Reset()
	if tab.Len() != 0 {
		t.Fatal("Reset kept fingerprints")
	}
	if _, ok := tab.Get(fingerprint{}); ok {
		t.Fatal("Reset kept the zero fingerprint")
	}
}

func TestMemTableMemoryCap(t *testing.T) {
	b := &budget{limit: 256 << 10}
	tab, err := newMemTable[struct{}](false, 0, b)
	if err != nil {
		t.Fatal(err)
	}
	var stored int64
	for i := uint64(1); ; i++ {
		_, _, err := tab.Put(fingerprint{hi: i * 0x9e3779b97f4a7c15}, struct{}{}, nil)
		if errors.Is(err, errMemory) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		stored++
		if stored > 1<<20 {
			t.Fatal("the cap never stopped the table")
		}
	}
	if tab.Bytes() > b.limit || b.used.Load() > b.limit {
		t.Errorf("table holds %d bytes, budget used %d, over the %d cap", tab.Bytes(), b.used.Load(), b.limit)
	}
	if tab.Len() != stored {
		t.Errorf("Len %d after %d successful inserts", tab.Len(), stored)
	}
	if _, err := newMemTable[struct{}](false, 0, &budget{limit: 100}); err == nil {
		t.Error("a table larger than its budget was created")
	}
}

func TestRecords(t *testing.T) {
	var r records
	if err := r.reserve(3*recordBlock + 5); err != nil {
		t.Fatal(err)
	}
	for i := int64(0); i < 3*recordBlock+5; i++ {
		r.set(i, record{parent: uint32(i), succ: uint32(i * 2)})
	}
	r.extend(3*recordBlock + 5)
	for _, i := range []int64{0, recordBlock - 1, recordBlock, 3*recordBlock + 4} {
		if got := r.get(i); got.parent != uint32(i) || got.succ != uint32(2*i) {
			t.Errorf("record %d = %+v", i, got)
		}
	}
	capped := records{budget: &budget{limit: 1000}}
	if err := capped.reserve(1); !errors.Is(err, errMemory) {
		t.Errorf("reserve over the cap: %v", err)
	}
}

// casTable is a lock-free, fixed-size open-addressing set of 64-bit
// fingerprints, the alternative to memTable's locked shards, kept here only
// to measure against (BenchmarkStorePut): it cannot grow without stopping
// every writer, which is why the checker uses shards.
type casTable struct {
	keys []atomic.Uint64
	mask uint64
}

func (t *casTable) put(fp uint64) bool {
	for i := fp & t.mask; ; i = (i + 1) & t.mask {
		k := t.keys[i].Load()
		if k == fp {
			return false
		}
		if k == 0 {
			if t.keys[i].CompareAndSwap(0, fp) {
				return true
			}
			if t.keys[i].Load() == fp {
				return false
			}
		}
	}
}

// BenchmarkStorePut inserts b.N distinct fingerprints, 1 or 2 goroutines,
// into the sharded locked table (growing from its default size, or
// presized) and into a presized lock-free CAS table.
func BenchmarkStorePut(b *testing.B) {
	for _, workers := range []int{1, 2} {
		for _, kind := range []string{"sharded", "sharded-presized", "cas-presized"} {
			b.Run(fmt.Sprintf("%s/workers=%d", kind, workers), func(b *testing.B) {
				var put func(uint64)
				switch kind {
				case "cas-presized":
					slots := uint64(1)
					for slots*3/4 < uint64(b.N) {
						slots *= 2
					}
					t := &casTable{keys: make([]atomic.Uint64, slots), mask: slots - 1}
					put = func(fp uint64) { t.put(fp) }
				default:
					hint := int64(0)
					if kind == "sharded-presized" {
						hint = int64(b.N)
					}
					t, _ := newMemTable[struct{}](false, hint, nil)
					put = func(fp uint64) { t.Put(fingerprint{hi: fp}, struct{}{}, nil) }
				}
				b.ResetTimer()
				var wg sync.WaitGroup
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := w; i < b.N; i += workers {
							put(splitmix(uint64(i)))
						}
					}()
				}
				wg.Wait()
			})
		}
	}
}

// splitmix is SplitMix64's finalizer: distinct inputs, uniform outputs.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// DFS without a depth bound keeps fingerprints only: every depth reads 0,
// and a fingerprint is absent once.
func TestDepthlessStore(t *testing.T) {
	for _, bounded := range []bool{false, true} {
		s, err := newDepthStore(false, bounded, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(depthless); ok == bounded {
			t.Fatalf("bounded %v: the store is %T", bounded, s)
		}
		fp := fingerprint{hi: 42}
		if _, absent, err := s.Put(fp, 7, minDepth); !absent || err != nil {
			t.Fatalf("bounded %v: first put: absent %v, %v", bounded, absent, err)
		}
		old, absent, _ := s.Put(fp, 3, minDepth)
		if absent {
			t.Fatalf("bounded %v: second put absent", bounded)
		}
		v, ok := s.Get(fp)
		want := map[bool][2]uint32{false: {0, 0}, true: {7, 3}}[bounded]
		if !ok || old != want[0] || v != want[1] {
			t.Errorf("bounded %v: old %d, now %d (present %v); want %d, %d", bounded, old, v, ok, want[0], want[1])
		}
		n := 0
		s.Each(func(got fingerprint, d uint32) {
			n++
			if got != fp || d != want[1] {
				t.Errorf("bounded %v: Each gave %v, %d", bounded, got, d)
			}
		})
		if n != 1 || s.Len() != 1 {
			t.Errorf("bounded %v: %d by Each, Len %d", bounded, n, s.Len())
		}
		s.Close()
	}
}
