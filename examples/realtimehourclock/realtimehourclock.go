// Package realtimehourclock is the real-time hour clock of Leslie Lamport's
// "Specifying Systems" (Addison-Wesley, 2002), chapter 9, in the form TLC
// checks it: the module MCRealTimeHourClock of the tlaplus/Examples
// repository (specifications/SpecifyingSystems/RealTime), ported to an
// execspec model with the specification's names.
//
// An hour clock hr ticks from 1 to 12 and round again (HourClock's HCnxt).
// Real time now advances in steps to any larger value of Real = 0..MaxReal,
// and a timer t measures the time since the last tick: a tick may happen
// only once t >= SecondsPerHour - Rho and must happen before t exceeds
// SecondsPerHour + Rho. MCRealTimeHourClock.cfg checks the specification
// INIT BigInit NEXT BigNext, without fairness, against ErrorTemporal ==
// [](now # 4 => <>[](now # 4)), a property meant to fail: time may reach 4
// and stay there for ever. TLC reports a liveness failure (the manifest's
// "liveness failure").
package realtimehourclock

import "github.com/execspec/execspec"

// State holds the specification's variables.
type State struct {
	Hr  int `itf:"hr"`
	Now int `itf:"now"`
	T   int `itf:"t"`
}

// Params are MCRealTimeHourClock's constants.
type Params struct {
	Rho, MaxReal, SecondsPerHour int
}

// Config is MCRealTimeHourClock.cfg: Rho = 1, MaxReal = 5, SecondsPerHour
// = 2.
var Config = Params{Rho: 1, MaxReal: 5, SecondsPerHour: 2}

// New returns the model of BigInit and BigNext, with the property
// ErrorTemporal.
func New(p Params) *execspec.Model[State] {
	m := execspec.NewModel[State]("realtimehourclock")
	m.Init(func(c *execspec.Ctx[State]) { // BigInit
		c.S.Hr = execspec.IntRange(c, "hr", 1, 12)
		c.S.T = 0
		c.S.Now = execspec.IntRange(c, "now", 0, p.MaxReal)
	})
	// BigNext splits in two: the clock ticks (HCnxt, now unchanged, so t
	// restarts at 0), or time advances (NowNext, hr unchanged, t grows by
	// the time elapsed); a step doing neither changes nothing.
	m.Action("HCnxt", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.T >= p.SecondsPerHour-p.Rho) {
			return
		}
		if s.Hr != 12 {
			s.Hr++
		} else {
			s.Hr = 1
		}
		s.T = 0
	})
	m.Action("NowNext", func(c *execspec.Ctx[State]) {
		s := c.S
		if !c.Assume(s.Now < p.MaxReal) {
			return
		}
		now := execspec.IntRange(c, "now", s.Now+1, p.MaxReal)
		t := s.T + now - s.Now
		if !c.Assume(t <= p.SecondsPerHour+p.Rho) {
			return
		}
		s.Now, s.T = now, t
	})
	m.Temporal("ErrorTemporal", execspec.LeadsToAlways(
		func(s *State) bool { return s.Now != 4 },
		func(s *State) bool { return s.Now != 4 }))
	return m
}

// Spec names the instance: "mc" is MCRealTimeHourClock.cfg.
func Spec() *execspec.Spec[State] {
	return execspec.NewSpec[State]("realtimehourclock").
		Doc("Lamport's real-time hour clock (Specifying Systems, ch. 9); ErrorTemporal fails, as TLC reports").
		Instance("mc", func() *execspec.Model[State] { return New(Config) })
}
