package wormhole53

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"
)

func TestApplyRules(t *testing.T) {
	base := []Change{
		create(txt("_lock.api.acme", "owner=none epoch=0")),
		create(alias("www.api.acme", Target{"lb-2.api.acme", 2}, Target{"lb-1.api.acme", 1})),
		create(a("lb-1.api.acme", "192.0.2.1")),
	}
	tests := []struct {
		name    string
		batch   []Change
		wantErr error
		index   int
	}{
		{"create existing", []Change{create(a("lb-1.api.acme", "192.0.2.9"))}, ErrConflict, 0},
		{"create A over alias", []Change{create(a("www.api.acme", "192.0.2.9"))}, ErrConflict, 0},
		{"upsert alias over A", []Change{upsert(alias("lb-1.api.acme", Target{"x.api.acme", 1}))}, ErrConflict, 0},
		{"delete missing", []Change{del(a("lb-9.api.acme", "192.0.2.9"))}, ErrNotFound, 0},
		{"delete wrong value", []Change{del(txt("_lock.api.acme", "owner=a epoch=1"))}, ErrMismatch, 0},
		{"delete wrong weight", []Change{del(alias("www.api.acme", Target{"lb-1.api.acme", 1}, Target{"lb-2.api.acme", 3}))}, ErrMismatch, 0},
		{"delete fewer targets", []Change{del(alias("www.api.acme", Target{"lb-1.api.acme", 1}))}, ErrMismatch, 0},
		{"unknown type", []Change{create(Record{Name: "x.api.acme", Type: "MX", Value: "y"})}, ErrInvalid, 0},
		{"unknown action", []Change{{Action: "PATCH", Record: a("x.api.acme", "192.0.2.1")}}, ErrInvalid, 0},
		{"outside zone", []Change{create(a("x.example.com", "192.0.2.1"))}, ErrInvalid, 0},
		{"bad ip", []Change{create(a("x.api.acme", "not-an-ip"))}, ErrInvalid, 0},
		{"zero weight", []Change{create(alias("x.api.acme", Target{"y.api.acme", 0}))}, ErrInvalid, 0},
		{"no targets", []Change{create(alias("x.api.acme"))}, ErrInvalid, 0},
		{"duplicate targets", []Change{create(alias("x.api.acme", Target{"y.api.acme", 1}, Target{"y.api.acme", 2}))}, ErrInvalid, 0},
		{"failing change in the middle", []Change{
			upsert(a("lb-2.api.acme", "192.0.2.2")),
			del(txt("_lock.api.acme", "owner=stale epoch=7")),
			create(txt("_lock.api.acme", "owner=a epoch=1")),
		}, ErrMismatch, 1},
		{"empty batch", nil, ErrInvalid, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openTemp(t)
			mustApply(t, s, base...)
			before, file := s.Records(), readFile(t, path)

			err := s.Apply(context.Background(), tt.batch)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Apply error = %v, want %v", err, tt.wantErr)
			}
			var ce *ChangeError
			if tt.index >= 0 && (!errors.As(err, &ce) || ce.Index != tt.index) {
				t.Fatalf("Apply error = %v, want a *ChangeError at index %d", err, tt.index)
			}
			if got := s.Records(); !reflect.DeepEqual(got, before) {
				t.Errorf("records changed in memory:\n got %v\nwant %v", got, before)
			}
			if got := readFile(t, path); got != file {
				t.Errorf("zone file changed on disk")
			}
			reopened, err := Open(path, testZone)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			if got := reopened.Records(); !reflect.DeepEqual(got, before) {
				t.Errorf("records changed after reopen:\n got %v\nwant %v", got, before)
			}
		})
	}
}

func TestApplySuccess(t *testing.T) {
	s, _ := openTemp(t)
	lock0 := txt("_lock.api.acme", "owner=none epoch=0")
	mustApply(t, s, create(lock0), create(a("lb-1.api.acme", "192.0.2.1")))

	// Compare-and-swap of the lock plus an upsert, in one batch.
	lock1 := txt("_lock.api.acme", "owner=a epoch=1")
	mustApply(t, s,
		del(lock0),
		create(lock1),
		upsert(a("lb-1.api.acme", "192.0.2.7")),
		upsert(alias("Root.API.acme.", Target{"lb-1.api.acme", 5})),
	)
	want := []Record{
		lock1,
		a("lb-1.api.acme", "192.0.2.7"),
		alias("root.api.acme", Target{"lb-1.api.acme", 5}),
	}
	if got := s.Records(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Records = %v, want %v", got, want)
	}
	if r, ok := s.Get("root.api.acme", TypeAlias); !ok || r.Targets[0].Weight != 5 {
		t.Fatalf("Get(root) = %v, %v", r, ok)
	}
	if _, ok := s.Get("root.api.acme", TypeA); ok {
		t.Fatalf("Get(root, A) found a record")
	}
	// Targets are compared as sets: the order of a DELETE does not matter.
	mustApply(t, s, upsert(alias("w.api.acme", Target{"b.api.acme", 1}, Target{"a.api.acme", 2})))
	mustApply(t, s, del(alias("w.api.acme", Target{"a.api.acme", 2}, Target{"b.api.acme", 1})))
}

func TestGetReturnsCopy(t *testing.T) {
	s, _ := NewMemory(testZone)
	mustApply(t, s, create(alias("w.api.acme", Target{"a.api.acme", 2})))
	r, _ := s.Get("w.api.acme", TypeAlias)
	r.Targets[0].Weight = 99
	if got, _ := s.Get("w.api.acme", TypeAlias); got.Targets[0].Weight != 2 {
		t.Fatalf("mutating a returned record changed the store")
	}
}

func TestConcurrentApply(t *testing.T) {
	s, path := openTemp(t)
	mustApply(t, s, create(txt("_lock.api.acme", "epoch=0")))
	const workers, rounds = 8, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				if err := s.Apply(context.Background(), []Change{create(a(fmt.Sprintf("w%d-%d.api.acme", w, i), "192.0.2.1"))}); err != nil {
					t.Errorf("Apply: %v", err) // not Fatal: this is not the test goroutine
					return
				}
				// A compare-and-swap loop on the shared lock record.
				for {
					cur, _ := s.Get("_lock.api.acme", TypeTXT)
					var n int
					fmt.Sscanf(cur.Value, "epoch=%d", &n)
					err := s.Apply(context.Background(), []Change{del(cur), create(txt("_lock.api.acme", fmt.Sprintf("epoch=%d", n+1)))})
					if err == nil {
						break
					}
					if !errors.Is(err, ErrMismatch) {
						t.Errorf("CAS: %v", err)
						return
					}
				}
				_ = s.Resolve("w0-0.api.acme")
			}
		}()
	}
	wg.Wait()
	if got := len(s.Records()); got != workers*rounds+1 {
		t.Fatalf("records = %d, want %d", got, workers*rounds+1)
	}
	want := fmt.Sprintf("epoch=%d", workers*rounds)
	if r, _ := s.Get("_lock.api.acme", TypeTXT); r.Value != want {
		t.Fatalf("lock = %q, want %q (a compare-and-swap was lost)", r.Value, want)
	}
	reopened, err := Open(path, testZone)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(reopened.Records(), s.Records()) {
		t.Fatalf("reopened zone differs from memory")
	}
}

// TestApplyWithDoneContext: a batch is not started once its context is
// done, and the zone stays as it was, in memory and on disk.
func TestApplyWithDoneContext(t *testing.T) {
	s, path := openTemp(t)
	mustApply(t, s, create(a("x.api.acme", "192.0.2.1")))
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = s.Apply(ctx, []Change{create(a("y.api.acme", "192.0.2.2"))})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply with a cancelled context: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) || len(s.Records()) != 1 {
		t.Errorf("the zone changed: %d records, file\n%s", len(s.Records()), after)
	}
}
