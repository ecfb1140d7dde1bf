package check

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSeenSetOnDisk compares the set, merged to disk in parts of several
// sizes, with a map: what is seen, what is old, the count, and every
// fingerprint given back, with 64- and 128-bit fingerprints (zero
// included, which the table stores as one).
func TestSeenSetOnDisk(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for _, tc := range []struct {
		name  string
		wide  bool
		parts []int // fingerprints added between merges
	}{
		{"64-bit, one part", false, []int{1000}},
		{"64-bit, parts across blocks", false, []int{5000, 1, 9000, 4096, 3}},
		{"128-bit, parts across blocks", true, []int{4095, 4097, 20000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			s, err := newSeenSet(tc.wide, 0, nil, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			in := map[fingerprint]bool{}
			norm := func(fp fingerprint) fingerprint { return s.mem.norm(fp) }
			random := func() fingerprint {
				fp := fingerprint{hi: r.Uint64() >> r.IntN(40)}
				if tc.wide {
					fp.lo = r.Uint64()
				}
				return fp
			}
			if err := s.put(fingerprint{}); err != nil { // the zero fingerprint
				t.Fatal(err)
			}
			in[norm(fingerprint{})] = true
			for _, n := range tc.parts {
				for range n {
					fp := random()
					if in[norm(fp)] {
						continue
					}
					if err := s.put(fp); err != nil {
						t.Fatal(err)
					}
					in[norm(fp)] = true
				}
				if err := s.makeRoom(0); err != nil {
					t.Fatal(err)
				}
				if !s.delayed() || s.mem.Len() != 0 {
					t.Fatalf("after a merge: delayed %v, %d in memory", s.delayed(), s.mem.Len())
				}
				if s.Len() != int64(len(in)) {
					t.Fatalf("Len %d, want %d", s.Len(), len(in))
				}
				// Half the queries seen, half not.
				var qs []fingerprint
				var want []fingerprint
				for fp := range in {
					if r.IntN(2) == 0 {
						qs = append(qs, fp)
						want = append(want, fp)
					}
				}
				for range len(qs) {
					if fp := random(); !in[norm(fp)] {
						qs = append(qs, fp)
					}
				}
				qs = append(qs, qs[:len(qs)/4]...) // duplicates
				old, err := s.filterOld(qs)
				if err != nil {
					t.Fatal(err)
				}
				slices.SortFunc(want, fpCompare)
				if !slices.Equal(old, want) {
					t.Fatalf("filterOld: %d old, want %d", len(old), len(want))
				}
				for _, fp := range want {
					if !s.isIn(old, fp) {
						t.Fatalf("isIn(%v) false", fp)
					}
				}
			}
			got := map[fingerprint]bool{}
			if err := s.each(func(fp fingerprint) {
				if got[fp] {
					t.Errorf("%v given twice", fp)
				}
				got[fp] = true
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(in) {
				t.Fatalf("each gave %d fingerprints, want %d", len(got), len(in))
			}
			for fp := range in {
				if !got[fp] {
					t.Fatalf("each left out %v", fp)
				}
			}
		})
	}
}

// TestSeenSetRefusesATwiceMerged: a fingerprint already on disk merged
// again is an error, not a set with a duplicate.
func TestSeenSetRefusesATwiceMerged(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s, err := newSeenSet(false, 0, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	for _, fp := range []fingerprint{{hi: 5}, {hi: 7}, {hi: 5}} {
		if err := s.put(fp); err != nil {
			t.Fatal(err)
		}
		err = s.flush()
	}
	if !errors.Is(err, errFingerprintOrder) {
		t.Fatalf("merging 5 twice: %v, want %v", err, errFingerprintOrder)
	}
}

// TestRecordsOnDisk: records spilled level after level read back the same
// one at a time and in order, and the memory is reused.
func TestRecordsOnDisk(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var r records
	defer r.close()
	want := func(i int64) record { return record{parent: uint32(i*7) ^ 3, succ: uint32(i)} }
	var n int64
	for _, level := range []int64{1, 10, recordBlock, 3*recordBlock + 5, 2, 0, 5000} {
		if err := r.reserve(level); err != nil {
			t.Fatal(err)
		}
		for i := n; i < n+level; i++ {
			r.set(i, want(i))
		}
		r.extend(level)
		n += level
		if err := r.spill(1); err != nil {
			t.Fatal(err)
		}
		if r.base != n || r.fileBytes() != n*recordSize {
			t.Fatalf("after %d records: %d on disk", n, r.base)
		}
	}
	if r.bytes() > (3*recordBlock+5+recordBlock)*recordSize*2 {
		t.Errorf("%d bytes of records in memory: the blocks are not reused", r.bytes())
	}
	for _, i := range []int64{0, 1, recordBlock - 1, recordBlock, n - 1} {
		if got := r.get(i); got != want(i) {
			t.Errorf("get(%d) = %+v, want %+v", i, got, want(i))
		}
	}
	var i int64
	if err := r.each(func(rec record) {
		if rec != want(i) {
			t.Fatalf("each: record %d = %+v, want %+v", i, rec, want(i))
		}
		i++
	}); err != nil || i != n {
		t.Fatalf("each: %d records, %v; want %d", i, err, n)
	}
	// Below the limit nothing moves; once on disk, every level does.
	var m records
	defer m.close()
	if err := m.add(want(0)); err != nil {
		t.Fatal(err)
	}
	if err := m.spill(1 << 20); err != nil || m.base != 0 {
		t.Fatalf("below the limit: %d records on disk (%v)", m.base, err)
	}
	// A read that fails is kept, and the record has no parent.
	r.file.Close()
	if got := r.get(0); got.parent != noParent || r.err == nil {
		t.Fatalf("reading a closed file: %+v, error %v", got, r.err)
	}
}
