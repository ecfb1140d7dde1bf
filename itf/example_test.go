package itf_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/execspec/execspec/itf"
)

func Example() {
	const trace = `{
	  "#meta": {"source": "bank.qnt"},
	  "vars": ["balances", "mbt::actionTaken", "mbt::nondetPicks"],
	  "states": [
	    {"#meta": {"index": 0}, "balances": {"#map": []}, "mbt::actionTaken": "init",
	     "mbt::nondetPicks": {"amount": {"tag": "None", "value": {"#tup": []}}}},
	    {"#meta": {"index": 1}, "balances": {"#map": [["alice", {"#bigint": "10"}]]},
	     "mbt::actionTaken": "deposit",
	     "mbt::nondetPicks": {"amount": {"tag": "Some", "value": {"#bigint": "10"}}}}
	  ]
	}`
	t, err := itf.DecodeBytes([]byte(trace))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range t.States {
		action, _ := itf.ActionTaken(s)
		picks, _ := itf.NondetPicks(s)
		balances, _ := s.Get("balances")
		fmt.Println(i, action, picks, balances)
	}
	// Canonical encoding: integers as #bigint, keys in a fixed order.
	if err := t.Encode(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 0 init map[] Map()
	// 1 deposit map[amount:10] Map("alice" -> 10)
	// {"#meta":{"source":"bank.qnt"},"vars":["balances","mbt::actionTaken","mbt::nondetPicks"],"states":[{"#meta":{"index":0},"balances":{"#map":[]},"mbt::actionTaken":"init","mbt::nondetPicks":{"amount":{"tag":"None","value":{"#tup":[]}}}},{"#meta":{"index":1},"balances":{"#map":[["alice",{"#bigint":"10"}]]},"mbt::actionTaken":"deposit","mbt::nondetPicks":{"amount":{"tag":"Some","value":{"#bigint":"10"}}}}]}
}

func ExampleValue_String() {
	v := itf.Record(
		itf.Field{Name: "owners", Value: itf.Map(itf.Entry{Key: itf.Int(2), Value: itf.String("b")}, itf.Entry{Key: itf.Int(1), Value: itf.String("a")})},
		itf.Field{Name: "live", Value: itf.Set(itf.Int(3), itf.Int(1), itf.Int(3))},
		itf.Field{Name: "last", Value: itf.Some(itf.Tuple(itf.Int(1), itf.String("x")))},
	)
	fmt.Println(v)
	// Output: {last: Some((1, "x")), live: {1, 3}, owners: Map(1 -> "a", 2 -> "b")}
}

func ExampleValue_MarshalJSON() {
	v := itf.Set(itf.Int(2), itf.Int(1))
	b, _ := v.MarshalJSON()
	fmt.Println(string(b))
	w, _ := itf.ParseValue([]byte(`{"#set": [1, {"#bigint": "2"}]}`))
	fmt.Println(itf.Equal(v, w))
	// Output:
	// {"#set":[{"#bigint":"1"},{"#bigint":"2"}]}
	// true
}

type Deposit struct {
	Account string `itf:"account"`
	Amount  int64  `itf:"amount"`
}

func (Deposit) ITFTag() string { return "Deposit" }

func ExampleMarshal() {
	type Bank struct {
		Balances map[string]int `itf:"balances"`
		Pending  []Deposit      `itf:"pending"`
		Frozen   *string        `itf:"frozen"`
	}
	v, err := itf.Marshal(Bank{
		Balances: map[string]int{"bob": 3, "alice": 10},
		Pending:  []Deposit{{"alice", 5}},
	})
	fmt.Println(v, err)
	// Output: {balances: Map("alice" -> 10, "bob" -> 3), frozen: None, pending: [Deposit{account: "alice", amount: 5}]} <nil>
}

func ExampleUnmarshal() {
	v, _ := itf.ParseValue([]byte(`{"balances": {"#map": [["alice", {"#bigint": "300"}]]}}`))
	var small struct {
		Balances map[string]int8 `itf:"balances"`
	}
	fmt.Println(itf.Unmarshal(v, &small))
	var ok struct {
		Balances map[string]int `itf:"balances"`
	}
	fmt.Println(itf.Unmarshal(v, &ok), ok.Balances["alice"])
	// Output:
	// itf: unmarshal into struct { Balances map[string]int8 "itf:\"balances\"" }: .balances.#map[0].value: cannot unmarshal 300 into int8: out of range
	// <nil> 300
}

func ExampleNewDecoder() {
	stream := `{"vars":["x"],"states":[{"x":1}]}
{"vars":["x"],"states":[{"x":2},{"x":3}],"loop":0}`
	d := itf.NewDecoder(strings.NewReader(stream))
	for {
		t, err := d.Next()
		if err != nil {
			break // io.EOF at the end
		}
		fmt.Println(len(t.States), t.Loop != nil)
	}
	// Output:
	// 1 false
	// 2 true
}
