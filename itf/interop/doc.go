// Package interop holds execspec's interoperability test against a real
// Quint: it has no code of its own, only the test and what it needs.
//
//   - package.json and package-lock.json pin @informalsystems/quint 0.33.0
//     (and antlr4ts 0.5.0-alpha.4, whose newer prereleases break it). CI
//     runs `npm ci` here; on a fresh machine the test runs it itself, so
//     plain `go test ./...` works wherever node and npm are installed and
//     the npm registry is reachable. node_modules stays out of git.
//   - testdata/*.qnt are Quint specifications written for the test: every
//     kind of ITF value (sets, maps with keys of any kind, records, tuples,
//     sum types including unit variants, integers beyond 64 bits) and
//     nondeterministic picks of simple and compound values.
//   - testdata/bank and testdata/picks are two of them as execspec models.
//
// The test runs `quint run --backend=typescript --mbt --out-itf` on every
// spec, decodes every trace with package itf, checks that re-encoding
// preserves every value (against an independent normalisation of Quint's
// JSON) and that the canonical encoding is stable, and replays the traces
// of bank and picks against the execspec models with package validate and
// with `execspec replay --itf`: they must validate, and edited copies must
// not.
//
// Without node or npm the test is skipped with a loud message, except when
// the environment variable CI is set (to anything but "false" or "0"): then
// it fails, so that CI never skips it silently.
package interop
