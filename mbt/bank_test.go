package mbt_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/mbt"
)

// The system under test: a bank with two accounts and two clients that can
// each add money in two steps (begin_add reads, commit writes), a deposit
// limit per account and no overdraft.

const depositCap = 5

var (
	accounts = []string{"alice", "bob"}
	clients  = []string{"c1", "c2"}
)

// Pending is a client's add in progress.
type Pending struct {
	Account string `itf:"account"`
	Amount  int    `itf:"amount"`
}

// Bank is the model's state.
type Bank struct {
	Balances map[string]int     `itf:"balances"`
	Pending  map[string]Pending `itf:"pending"` // by client; absent when idle
	Version  int                `itf:"version"` // bumped by every change
}

func bankModel() *execspec.Model[Bank] {
	m := execspec.NewModel[Bank]("bank")
	m.Init(func(c *execspec.Ctx[Bank]) {
		c.S.Balances = map[string]int{}
		for _, a := range accounts {
			c.S.Balances[a] = 0
		}
		c.S.Pending = map[string]Pending{}
	})
	m.Action("deposit", func(c *execspec.Ctx[Bank]) {
		a := execspec.OneOf(c, "account", accounts)
		n := execspec.IntRange(c, "amount", 1, 3)
		if !c.Assume(c.S.Balances[a]+n <= depositCap) {
			return
		}
		c.S.Balances[a] += n
		c.S.Version++
	})
	m.Action("withdraw", func(c *execspec.Ctx[Bank]) {
		a := execspec.OneOf(c, "account", accounts)
		n := execspec.IntRange(c, "amount", 1, 3)
		if !c.Assume(n <= c.S.Balances[a]) {
			return
		}
		c.S.Balances[a] -= n
		c.S.Version++
	})
	m.Action("begin_add", func(c *execspec.Ctx[Bank]) {
		cl := execspec.OneOf(c, "client", clients)
		a := execspec.OneOf(c, "account", accounts)
		n := execspec.IntRange(c, "amount", 1, 3)
		if _, busy := c.S.Pending[cl]; !c.Assume(!busy) {
			return
		}
		c.S.Pending[cl] = Pending{a, n}
	})
	m.Action("commit", func(c *execspec.Ctx[Bank]) {
		cl := execspec.OneOf(c, "client", clients)
		p, busy := c.S.Pending[cl]
		if !c.Assume(busy) {
			return
		}
		delete(c.S.Pending, cl)
		c.S.Balances[p.Account] += p.Amount
		c.S.Version++
	})
	m.Invariant("non_negative", func(s *Bank) bool {
		for _, b := range s.Balances {
			if b < 0 {
				return false
			}
		}
		return true
	})
	m.Example("rich", func(s *Bank) bool { return s.Balances["alice"] > depositCap })
	return m
}

// bug selects a planted bug in the implementation.
type bug string

const (
	correct      bug = ""
	offByOne     bug = "off_by_one"    // deposit refuses to reach the cap exactly
	lostUpdate   bug = "lost_update"   // commit writes the balance read at begin_add, plus the amount
	missingGuard bug = "missing_guard" // withdraw does not check the balance
	panicky      bug = "panics"        // commit panics when both clients are busy
	randomIDs    bug = "random_ids"    // the version starts at a generated number
	racyDeposit  bug = "racy_deposit"  // deposit reads and writes the balance under two lock holds
)

var (
	errOverCap      = errors.New("deposit over the cap")
	errInsufficient = errors.New("insufficient funds")
	errBusy         = errors.New("client busy")
	errIdle         = errors.New("client idle")
)

// bankImpl is the implementation, safe for concurrent use.
type bankImpl struct {
	mu       sync.Mutex
	bug      bug
	balances map[string]int
	pending  map[string]pendingOp
	version  int
}

type pendingOp struct {
	account        string
	amount, before int
}

var idCounter int

func newBankImpl(b bug) *bankImpl {
	bk := &bankImpl{bug: b, balances: map[string]int{}, pending: map[string]pendingOp{}}
	for _, a := range accounts {
		bk.balances[a] = 0
	}
	if b == randomIDs {
		idCounter += 1000
		bk.version = idCounter
	}
	return bk
}

func (b *bankImpl) Deposit(account string, amount int) error {
	if b.bug == racyDeposit {
		return b.racyDeposit(account, amount)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	limit := depositCap
	if b.bug == offByOne {
		limit--
	}
	if b.balances[account]+amount > limit {
		return errOverCap
	}
	b.balances[account] += amount
	b.version++
	return nil
}

// racyDeposit checks and reads the balance under the lock, lets other
// goroutines run, then writes what it read plus the amount: concurrent
// deposits to one account lose updates.
func (b *bankImpl) racyDeposit(account string, amount int) error {
	b.mu.Lock()
	cur := b.balances[account]
	b.mu.Unlock()
	if cur+amount > depositCap {
		return errOverCap
	}
	runtime.Gosched()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.balances[account] = cur + amount
	b.version++
	return nil
}

// Balance returns an account's balance.
func (b *bankImpl) Balance(account string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.balances[account]
}

func (b *bankImpl) Withdraw(account string, amount int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if amount > b.balances[account] && b.bug != missingGuard {
		return errInsufficient
	}
	b.balances[account] -= amount
	b.version++
	return nil
}

func (b *bankImpl) BeginAdd(client, account string, amount int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, busy := b.pending[client]; busy {
		return errBusy
	}
	b.pending[client] = pendingOp{account, amount, b.balances[account]}
	return nil
}

func (b *bankImpl) Commit(client string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, busy := b.pending[client]
	if !busy {
		return errIdle
	}
	if b.bug == panicky && len(b.pending) == 2 {
		panic("commit: both clients busy")
	}
	delete(b.pending, client)
	if b.bug == lostUpdate {
		b.balances[p.account] = p.before + p.amount
	} else {
		b.balances[p.account] += p.amount
	}
	b.version++
	return nil
}

func (b *bankImpl) snapshot() Bank {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := Bank{Balances: map[string]int{}, Pending: map[string]Pending{}, Version: b.version}
	for a, n := range b.balances {
		s.Balances[a] = n
	}
	for c, p := range b.pending {
		s.Pending[c] = Pending{p.account, p.amount}
	}
	return s
}

// bankDriver drives a bankImpl in process.
type bankDriver struct {
	bug  bug
	bank *bankImpl
}

func newBankDriver(b bug) func(testing.TB) mbt.Driver[Bank] {
	return func(testing.TB) mbt.Driver[Bank] { return &bankDriver{bug: b} }
}

func (d *bankDriver) Reset(context.Context, mbt.Step) error {
	d.bank = newBankImpl(d.bug)
	return nil
}

func (d *bankDriver) Step(_ context.Context, s mbt.Step) error {
	return refusal(applyStep(d.bank, s))
}

func (d *bankDriver) Observe(context.Context) (Bank, error) { return d.bank.snapshot(), nil }

// applyStep performs a model step on the bank.
func applyStep(b *bankImpl, s mbt.Step) error {
	var account, client string
	var amount int
	var err error
	pick := func(label string, dst any) {
		if err != nil {
			return
		}
		switch p := dst.(type) {
		case *string:
			*p, err = mbt.Pick[string](s, label)
		case *int:
			*p, err = mbt.Pick[int](s, label)
		}
	}
	switch s.Action {
	case "deposit":
		pick("account", &account)
		pick("amount", &amount)
		if err == nil {
			err = b.Deposit(account, amount)
		}
	case "withdraw":
		pick("account", &account)
		pick("amount", &amount)
		if err == nil {
			err = b.Withdraw(account, amount)
		}
	case "begin_add":
		pick("client", &client)
		pick("account", &account)
		pick("amount", &amount)
		if err == nil {
			err = b.BeginAdd(client, account, amount)
		}
	case "commit":
		pick("client", &client)
		if err == nil {
			err = b.Commit(client)
		}
	default:
		return fmt.Errorf("unknown action %q", s.Action)
	}
	return err
}

// refusal maps the bank's business errors to mbt refusals.
func refusal(err error) error {
	for _, e := range []error{errOverCap, errInsufficient, errBusy, errIdle} {
		if errors.Is(err, e) {
			return mbt.Refusef("%v", err)
		}
	}
	return err
}

// recTB records what a Run or Replay reports instead of failing the test
// that calls it; the rest of testing.TB (TempDir, Cleanup, Context) is the
// real test's.
type recTB struct {
	testing.TB
	name      string
	artifacts string
	mu        sync.Mutex
	errs      []string
	logs      []string
}

func newRecTB(t *testing.T, name string) *recTB {
	return &recTB{TB: t, name: name, artifacts: t.TempDir()}
}

func (r *recTB) Name() string { return r.name }
func (r *recTB) Helper()      {}
func (r *recTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recTB) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }
func (r *recTB) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}
func (r *recTB) Log(args ...any) { r.Logf("%s", fmt.Sprint(args...)) }
func (r *recTB) Fail()           { r.Errorf("Fail called") }
func (r *recTB) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs) > 0
}
func (r *recTB) FailNow()                          { r.Errorf("FailNow called"); runtime.Goexit() }
func (r *recTB) Fatalf(format string, args ...any) { r.Errorf(format, args...); runtime.Goexit() }
func (r *recTB) Fatal(args ...any)                 { r.Error(args...); runtime.Goexit() }
func (r *recTB) ArtifactDir() string               { return r.artifacts }

func (r *recTB) errors() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n---\n")
}
