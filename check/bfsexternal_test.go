package check

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCandSpill: candidates written by two workers, in blocks of every
// size, read back by bucket are exactly those written to the bucket, with
// 64- and 128-bit fingerprints; a damaged block is an error.
func TestCandSpill(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for _, wide := range []bool{false, true} {
		t.Run(fmt.Sprintf("wide=%v", wide), func(t *testing.T) {
			s, err := newCandSpill(wide)
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			r := rand.New(rand.NewPCG(3, 4))
			ws := []*candWriter{{s: s}, {s: s}}
			want := map[int][]string{}
			for i := range 20000 {
				fp := fingerprint{hi: r.Uint64()}
				if wide {
					fp.lo = r.Uint64()
				}
				enc := bytes.Repeat([]byte{byte(i)}, r.IntN(300))
				ws[i%2].add(fp, uint64(i), enc)
				p := bucketOf(fp)
				want[p] = append(want[p], fmt.Sprint(fp, i, enc))
			}
			for _, w := range ws {
				w.flush()
			}
			var raw []byte
			var recs []candRec
			for p := range candBuckets {
				if raw, recs, err = s.bucket(p, raw, recs); err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, rec := range recs {
					if bucketOf(rec.fp) != p {
						t.Fatalf("bucket %d holds %v", p, rec.fp)
					}
					got[fmt.Sprint(rec.fp, int(rec.key), rec.enc)] = true
				}
				if len(got) != len(want[p]) {
					t.Fatalf("bucket %d: %d candidates, want %d", p, len(got), len(want[p]))
				}
				for _, w := range want[p] {
					if !got[w] {
						t.Fatalf("bucket %d lacks %s", p, w)
					}
				}
			}
			// A block cut short.
			s.write(0, []byte{1, 2, 3})
			if _, _, err := s.bucket(0, nil, nil); err == nil || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("a damaged block: %v", err)
			}
		})
	}
}
