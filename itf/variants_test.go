package itf_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec/itf"
)

// A sum type as a Paxos port writes one.
type paxosMsg interface{ isPaxosMsg() }

type Prepare struct{ Bal int }
type Promise struct {
	Acc  string
	Bal  int
	Prev *int
}
type Nack struct{}

func (Prepare) isPaxosMsg() {}
func (Promise) isPaxosMsg() {}
func (Nack) isPaxosMsg()    {}

// renamed chooses its own tag.
type renamed struct{ N int }

func (renamed) isPaxosMsg()    {}
func (renamed) ITFTag() string { return "Accept" }

// notRegistered implements the interface but is never registered.
type notRegistered struct{}

func (notRegistered) isPaxosMsg() {}

type inbox struct {
	Last paxosMsg
	Msgs []paxosMsg
	By   map[paxosMsg]int
}

func init() {
	if err := itf.RegisterVariants[paxosMsg](Prepare{}, Promise{}, Nack{}, renamed{}); err != nil {
		panic(err)
	}
}

func TestSumTypesRoundTrip(t *testing.T) {
	one := 1
	in := inbox{
		Last: Promise{Acc: "a1", Bal: 2, Prev: &one},
		Msgs: []paxosMsg{Prepare{Bal: 1}, Nack{}, renamed{N: 3}},
		By:   map[paxosMsg]int{Prepare{Bal: 1}: 7, Nack{}: 8},
	}
	v, err := itf.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{By: Map(Nack -> 8, Prepare{Bal: 1} -> 7), Last: Promise{Acc: "a1", Bal: 2, Prev: Some(1)}, Msgs: [Prepare{Bal: 1}, Nack, Accept{N: 3}]}`
	if v.String() != want {
		t.Fatalf("marshal:\n got %s\nwant %s", v, want)
	}
	js, ok := v.Field("Msgs")
	if !ok {
		t.Fatal("no Msgs field")
	}
	b, _ := js.MarshalJSON()
	if !strings.Contains(string(b), `{"tag":"Nack","value":{"#tup":[]}}`) || !strings.Contains(string(b), `{"tag":"Prepare","value":{"Bal":{"#bigint":"1"}}}`) {
		t.Fatalf("JSON %s does not follow Quint's variant convention", b)
	}
	var out inbox
	if err := itf.Unmarshal(v, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip:\n got %#v\nwant %#v", out, in)
	}
}

func TestSumTypeErrors(t *testing.T) {
	var target struct{ Last paxosMsg }
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"not an interface", func() error { return itf.RegisterVariants[Prepare](Prepare{}) }, "not an interface"},
		{"nil case", func() error { return itf.RegisterVariants[paxosMsg](nil) }, "is nil"},
		{"pointer case", func() error { return itf.RegisterVariants[paxosMsg](&Prepare{}) }, "register the value type"},
		{"tag taken", func() error { return itf.RegisterVariants[paxosMsg](accept2{}) }, `tag "Accept" names both`},
		{"idempotent", func() error { return itf.RegisterVariants[paxosMsg](Prepare{}, Nack{}) }, ""},
		{"nil value", func() error { _, err := itf.Marshal(struct{ Last paxosMsg }{}); return err }, "must hold one of its variants (Prepare, Promise, Nack, Accept)"},
		{"unregistered value", func() error {
			_, err := itf.Marshal(struct{ Last paxosMsg }{notRegistered{}})
			return err
		}, "not one of its registered variants"},
		{"unknown tag", func() error {
			return itf.Unmarshal(itf.Record(itf.Field{Name: "Last", Value: itf.Variant("Commit", itf.Unit())}), &target)
		}, `variant "Commit"`},
		{"not a variant", func() error {
			return itf.Unmarshal(itf.Record(itf.Field{Name: "Last", Value: itf.Int(3)}), &target)
		}, "want a variant"},
		{"bad payload", func() error {
			v := itf.Variant("Prepare", itf.Record(itf.Field{Name: "Bal", Value: itf.String("x")}))
			return itf.Unmarshal(itf.Record(itf.Field{Name: "Last", Value: v}), &target)
		}, ".Last.value.Bal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

type accept2 struct{}

func (accept2) isPaxosMsg()    {}
func (accept2) ITFTag() string { return "Accept" }

func TestVariantsListsCasesInOrder(t *testing.T) {
	var tags []string
	for _, c := range itf.Variants(reflect.TypeFor[paxosMsg]()) {
		tags = append(tags, c.Tag+"="+c.Type.Name())
	}
	if got := strings.Join(tags, " "); got != "Prepare=Prepare Promise=Promise Nack=Nack Accept=renamed" {
		t.Fatalf("Variants = %s", got)
	}
}

// FuzzUnmarshalSumType decodes arbitrary JSON into a struct of sum-type
// fields: it must fail cleanly or give a value that writes back to an
// equal ITF value.
func FuzzUnmarshalSumType(f *testing.F) {
	for _, s := range []string{
		`{"By":{"#map":[]},"Last":{"tag":"Nack","value":{"#tup":[]}},"Msgs":[]}`,
		`{"By":{"#map":[[{"tag":"Prepare","value":{"Bal":1}},2]]},"Last":{"tag":"Promise","value":{"Acc":"a","Bal":{"#bigint":"3"},"Prev":{"tag":"None","value":{"#tup":[]}}}},"Msgs":[{"tag":"Accept","value":{"N":1}}]}`,
		`{"By":{"#map":[]},"Last":{"tag":"Bogus","value":1},"Msgs":[]}`,
		`{"By":{"#map":[]},"Last":{"tag":"Nack","value":{}},"Msgs":[{"tag":"Prepare","value":"x"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := itf.ParseValue(data)
		if err != nil {
			return
		}
		var in inbox
		if err := itf.Unmarshal(v, &in); err != nil {
			return
		}
		w, err := itf.Marshal(in)
		if err != nil {
			if in.Last == nil {
				return // a nil sum-type value cannot be written; Unmarshal never makes one from a variant
			}
			t.Fatalf("Marshal of a decoded value: %v", err)
		}
		var again inbox
		if err := itf.Unmarshal(w, &again); err != nil {
			t.Fatalf("Unmarshal of %s: %v", w, err)
		}
		w2, err := itf.Marshal(again)
		if err != nil || !itf.Equal(w, w2) {
			t.Fatalf("round trip: %s then %s (%v)", w, w2, err)
		}
	})
}

// Registering the same variants from several goroutines while others
// marshal and unmarshal is safe (run with -race) and idempotent.
func TestRegisterVariantsConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- itf.RegisterVariants[paxosMsg](Prepare{}, Nack{})
		}()
		go func() {
			defer wg.Done()
			v, err := itf.Marshal(inbox{Last: Prepare{Bal: i}, By: map[paxosMsg]int{}})
			if err == nil {
				var out inbox
				err = itf.Unmarshal(v, &out)
				if err == nil && out.Last != (Prepare{Bal: i}) {
					err = fmt.Errorf("round trip gave %v", out.Last)
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(itf.Variants(reflect.TypeFor[paxosMsg]())); n != 4 {
		t.Fatalf("%d variants registered, want 4", n)
	}
}
