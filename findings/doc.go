// Package findings is what every engine's result is made of: a Finding
// (its Kind, the property, the trace that reaches it), why a search
// stopped (Stop: only Exhausted means a search ran to its end), and the
// Verdict a result amounts to, which the command line turns into its exit
// code. check.Result, simulate.Result and portfolio.Result all hold
// Findings, so a finding reads the same whichever engine made it.
package findings
