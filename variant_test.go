package execspec_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/machine"
)

// A sum type as a Paxos port declares it.
type vMsg interface{ isVMsg() }

type P1a struct{ Bal int }
type P1b struct {
	Acc       string
	Bal, MBal int
}
type Ping struct{}

// Gossip carries a map, so copies must be deep, and it is not comparable.
type Gossip struct{ Seen map[string]int }

// vEvent is a second sum type; a case (Ping) may belong to both.
type vEvent interface{ isVEvent() }

func (P1a) isVMsg()      {}
func (P1b) isVMsg()      {}
func (Ping) isVMsg()     {}
func (Ping) isVEvent()   {}
func (Gossip) isVEvent() {}

func init() {
	execspec.Variants[vMsg](P1a{}, P1b{}, Ping{})
	execspec.Variants[vEvent](Ping{}, Gossip{})
}

type netState struct {
	Msgs execspec.Set[vMsg]
	Last vEvent
	Log  []vMsg
	Box  map[string]vMsg
}

func TestVariantsInState(t *testing.T) {
	mc := compileWith(t, func(s *netState) {})
	s := netState{
		Msgs: execspec.SetOf[vMsg](P1a{Bal: 1}, P1b{Acc: "a1", Bal: 1, MBal: -1}, Ping{}),
		Last: Gossip{Seen: map[string]int{"a": 1}},
		Log:  []vMsg{P1a{Bal: 0}, Ping{}},
		Box:  map[string]vMsg{"a1": P1a{Bal: 2}},
	}
	enc := func(s *netState) []byte { return mc.AppendEncoding(nil, s) }
	orig := enc(&s)

	cp := mc.Clone(&s)
	cp.Last.(Gossip).Seen["a"] = 99
	cp.Msgs.Add(P1a{Bal: 5})
	cp.Log[0] = Ping{}
	if !bytes.Equal(enc(&s), orig) {
		t.Fatal("changing the copy changed the original")
	}

	vals, err := mc.ToITF(&s)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := vals["Msgs"].String(), `{P1a{Bal: 1}, P1b{Acc: "a1", Bal: 1, MBal: -1}, Ping}`; got != want {
		t.Fatalf("Msgs in ITF = %s, want %s", got, want)
	}
	js, _ := vals["Log"].MarshalJSON()
	if !strings.Contains(string(js), `{"tag":"Ping","value":{"#tup":[]}}`) {
		t.Fatalf("Log in ITF JSON = %s", js)
	}
	back, err := mc.FromITF(vals)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc(&back), orig) {
		t.Fatal("ITF round trip changed the state")
	}
	if got := machine.FormatValue(vMsg(P1b{Acc: "a2", Bal: 3, MBal: 1})); got != `P1b{Acc: "a2", Bal: 3, MBal: 1}` {
		t.Fatalf("FormatValue = %s", got)
	}
	if got := s.Msgs.String(); got != `{P1a{Bal: 1}, P1b{Acc: "a1", Bal: 1, MBal: -1}, Ping}` {
		t.Fatalf("Set.String = %s", got)
	}
}

func TestVariantEncodingsAreDistinct(t *testing.T) {
	type st struct{ M vEvent }
	mc := compileWith(t, func(s *st) {})
	// Different tags, the unit variant and nil must all differ.
	vals := []vEvent{nil, Ping{}, Gossip{}, Gossip{Seen: map[string]int{"a": 0}}, Gossip{Seen: map[string]int{}}}
	seen := map[string]int{}
	for i, v := range vals {
		k := string(mc.AppendEncoding(nil, &st{M: v}))
		if j, dup := seen[k]; dup && !(i == 4 && j == 2) { // nil and empty maps encode alike
			t.Errorf("%#v and %#v encode the same", vals[j], v)
		}
		seen[k] = i
	}
}

type unregistered interface{ isUnregistered() }

type sumProblems struct {
	Cmd   unregistered
	Boxes execspec.Set[vEvent]
	Seen  map[vEvent]bool
}

func TestUnregisteredInterfaceIsReported(t *testing.T) {
	err := compileErr[sumProblems]()
	var all execspec.TypeErrors
	if !errors.As(err, &all) {
		t.Fatalf("error %v is not a TypeErrors", err)
	}
	want := []struct{ path, fix string }{
		{"sumProblems.Cmd", "execspec.Variants[execspec_test.unregistered](CaseA{}, CaseB{})"},
		{"sumProblems.Boxes[elem]", "Gossip are not comparable"},
		{"sumProblems.Seen[key]", "Gossip are not comparable"},
	}
	if len(all) != len(want) {
		t.Fatalf("%d problems, want %d: %v", len(all), len(want), err)
	}
	for i, w := range want {
		if all[i].Path != w.path || !strings.Contains(all[i].Reason, w.fix) {
			t.Errorf("problem %d = %s: %s; want %s with %q", i, all[i].Path, all[i].Reason, w.path, w.fix)
		}
	}
}

type badSum interface{ isBadSum() }
type badCase struct{}

func (badCase) isBadSum()       {}
func (*badCase) ITFTag() string { return "X" }

type badCase2 struct{}

func (badCase2) isBadSum()      {}
func (badCase2) ITFTag() string { return "X" }

func TestVariantRegistrationErrorsReachCompile(t *testing.T) {
	execspec.Variants[badSum](badCase{}, badCase2{})
	type st struct{ B badSum }
	err := compileErr[st]()
	if err == nil || !strings.Contains(err.Error(), `tag "X" names both`) || !strings.Contains(err.Error(), "st.B") {
		t.Fatalf("Compile = %v, want the registration error at st.B", err)
	}
}

func TestPickOfVariantsIsRecorded(t *testing.T) {
	type st struct{ Last vMsg }
	m := execspec.NewModel[st]("pick")
	m.Init(func(c *execspec.Ctx[st]) { c.S.Last = Ping{} })
	m.Action("send", func(c *execspec.Ctx[st]) {
		c.S.Last = execspec.OneOf(c, "msg", []vMsg{P1a{Bal: 0}, P1b{Acc: "a1"}})
	})
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ex := mc.NewExecutor()
	ex.Record(true)
	var from, to st
	var got []string
	ex.Enumerate(0, &from, &to, func(r machine.Result) bool {
		got = append(got, machine.FormatPicks(r.Picks))
		return true
	})
	if strings.Join(got, "; ") != `msg=P1a{Bal: 0}; msg=P1b{Acc: "a1", Bal: 0, MBal: 0}` {
		t.Fatalf("picks = %v", got)
	}
}
