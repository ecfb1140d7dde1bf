package mbt_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/execspec/execspec/mbt/linearize"
)

// staleRead is a bank history that is not linearizable: a deposit of 2
// returns, then a read sees 0. Client 2 has no operation.
func staleRead(t *testing.T, base int64) *linearize.History {
	dep := linearize.Operation{Client: 0, Action: "deposit", Inputs: []linearize.Arg{arg(t, "account", "alice"), arg(t, "amount", 2)}, Call: base + 10, Return: base + 250}
	read := linearize.Operation{Client: 1, Action: "balance", Inputs: []linearize.Arg{arg(t, "account", "alice")}, Outputs: []linearize.Arg{arg(t, "balance", 0)}, Call: base + 400, Return: base + 900}
	pending := linearize.Operation{Client: 3, Action: "withdraw", Inputs: []linearize.Arg{arg(t, "account", "bob"), arg(t, "amount", 1)}, Call: base + 500, Pending: true}
	return &linearize.History{Model: "bank", Clients: 4, Ops: []linearize.Operation{dep, read, pending}}
}

func TestExplain(t *testing.T) {
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := staleRead(t, 0)
	lin, err := chk.Check(h)
	if err != nil || lin.OK {
		t.Fatalf("%+v, %v", lin, err)
	}
	exp, err := chk.Explain(h, lin)
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.States) != len(lin.Order) || exp.Stuck != 1 || !exp.StuckEnabled {
		t.Fatalf("explanation %+v for order %v", exp, lin.Order)
	}
	if got := exp.States[0]["balances"].String(); !strings.Contains(got, `"alice" -> 2`) {
		t.Errorf("state after the deposit: %s", got)
	}
	if len(exp.Allowed) != 1 || exp.Allowed[0][0].Label != "balance" || exp.Allowed[0][0].Value.String() != "2" {
		t.Errorf("allowed %v, want balance=2", exp.Allowed)
	}
	if _, err := chk.Explain(h, linearize.Linearization{Order: []int{0, 1}}); err == nil {
		t.Error("an order the model cannot follow was explained")
	}
}

// TestHistoryPage: the page of a failing history with wall-clock times and
// an operation without an answer: times offset, every bar of positive
// width and the open one dashed, full labels, lanes only for clients with
// operations, a point per linearized operation, and the red operation's
// expected value and model state in its details.
func TestHistoryPage(t *testing.T) {
	chk, err := linearize.NewChecker(concBankModel(), linearize.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := staleRead(t, 1_765_000_000_000_000_000) // nanoseconds since 1970
	lin, err := chk.Check(h)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := chk.Explain(h, lin)
	if err != nil {
		t.Fatal(err)
	}
	page, err := linearize.WriteHistoryHTML(h, lin, exp)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?:width|x|cx)="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil || v < 0 || v > 10000 {
			t.Errorf("attribute %s: not a sane coordinate", m[0])
		}
	}
	for _, want := range []string{
		"<td>0</td>", "<td>240</td>", "no answer", // times from the first call
		`class="op other open"`,                  // the pending withdraw, open-ended
		">deposit<", ">balance<", ">withdraw ?<", // full labels
		"client 0", "client 1", "client 3", // lanes with operations
		`class="point"`,  // the deposit's linearization point
		`class="op bad"`, // the read that cannot be placed
		`the model would have answered: balance=2`, // what it should have read
		`balances = Map(`,                          // the state there
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "client 2") {
		t.Error("the page has a lane for client 2, which has no operation")
	}
	if n := strings.Count(page, `class="point"`); n != len(lin.Order) {
		t.Errorf("%d linearization points for %d linearized operations", n, len(lin.Order))
	}
}
