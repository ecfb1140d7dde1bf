// Package leasetimer shows model-based testing of an implementation with
// timers under testing/synctest's fake clock: a lease server that grants
// one lease at a time and expires it after a TTL with time.AfterFunc.
//
// The model (New) counts time in ticks and has an action "advance" that
// moves the clock by 1 to 3 ticks, expiring the lease when its time is up.
// The driver, in leasetimer_test.go, maps "advance" onto time.Sleep inside
// a synctest bubble, then synctest.Wait for the timers that fired to
// finish: the implementation's real timers run on fake time, so a trace of
// hours takes microseconds and every run is the same. mbt.Run is called
// inside synctest.Test, so the whole run, Reset included, is in the bubble.
//
// testing/synctest is stable from Go 1.25 (synctest.Test), the oldest Go
// the module allows.
//
// The bug the test finds (Server with Forgetful set): Release leaves the
// lease's timer running, and the timer expires whoever holds the lease
// when it fires, cutting the next holder's lease short.
package leasetimer
