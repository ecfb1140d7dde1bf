package interop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/execspec/execspec"
	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/itf/interop/testdata/bank"
	"github.com/execspec/execspec/itf/interop/testdata/picks"
	"github.com/execspec/execspec/machine"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/validate"
)

// quintPin is the Quint version package.json pins.
const quintPin = "0.33.0"

// specs are the Quint specifications under testdata and how to run them.
// The seeds are fixed so that the traces are the same from run to run; the
// checks below do not depend on which values the seeds give beyond what
// the features tables require.
var specs = []struct {
	name     string
	traces   int
	maxSteps int
	seed     string
	// features the traces must exhibit (see features)
	want []string
}{
	{"bank", 4, 10, "17", []string{"int beyond int64", "unit variant", "variant", "map", "tuple", "set", "record", "list", "action deposit", "action finish"}},
	{"kinds", 3, 6, "3", []string{"int beyond int64", "negative int beyond int64", "bool", "non-ASCII string", "tuple", "set", "set of sets",
		"map with tuple keys", "map with int keys", "record", "list", "unit variant", "variant with record payload", "empty set", "empty map", "empty list"}},
	{"picks", 3, 6, "5", []string{"pick of a variant", "pick of a tuple", "pick of a set", "pick of a map", "unit variant"}},
}

type quintTrace struct {
	spec string
	path string
	raw  []byte
	it   *itf.Trace
}

// TestQuintInterop runs a real Quint on the specs under testdata and checks
// that every trace it writes survives package itf, and that the traces of
// bank and picks validate against the equivalent execspec models.
func TestQuintInterop(t *testing.T) {
	quint := setupQuint(t)
	dir := t.TempDir()
	all := map[string][]quintTrace{}
	for _, sp := range specs {
		src, err := filepath.Abs(filepath.Join("testdata", sp.name+".qnt"))
		if err != nil {
			t.Fatal(err)
		}
		n := strconv.Itoa(sp.traces)
		args := []string{"run", src, "--backend=typescript", "--mbt",
			"--out-itf=" + filepath.Join(dir, sp.name+"_{seq}.itf.json"),
			"--n-traces", n, "--max-samples", n, "--max-steps", strconv.Itoa(sp.maxSteps),
			"--seed", sp.seed, "--verbosity", "0"}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		out, err := exec.CommandContext(ctx, quint, args...).CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("quint %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		paths, _ := filepath.Glob(filepath.Join(dir, sp.name+"_*.itf.json"))
		sort.Strings(paths)
		if len(paths) != sp.traces {
			t.Fatalf("quint %s wrote %d trace files, want %d: %v\n%s", sp.name, len(paths), sp.traces, paths, out)
		}
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			all[sp.name] = append(all[sp.name], quintTrace{spec: sp.name, path: p, raw: raw})
		}
	}

	for _, sp := range specs {
		t.Run("codec/"+sp.name, func(t *testing.T) {
			seen := map[string]bool{}
			for i := range all[sp.name] {
				qt := &all[sp.name][i]
				qt.it = roundTrip(t, qt.path, qt.raw)
				features(qt.it, seen)
			}
			var missing []string
			for _, f := range sp.want {
				if !seen[f] {
					missing = append(missing, f)
				}
			}
			if len(missing) > 0 {
				t.Errorf("the traces of %s.qnt lack %s (change the seed or the number of steps); they have %v", sp.name, strings.Join(missing, ", "), keys(seen))
			}
		})
	}
	if t.Failed() {
		return
	}

	t.Run("validate/bank", func(t *testing.T) {
		validateTraces(t, bank.Model(), all["bank"], mutation{"acct", func(v itf.Value) itf.Value {
			total, _ := v.Field("total")
			n, _ := total.AsInt64()
			return itf.Record(itf.Field{Name: "owner", Value: itf.String("alice")}, itf.Field{Name: "total", Value: itf.Int(n + 100)})
		}, "acct.total"})
	})
	t.Run("validate/picks", func(t *testing.T) {
		validateTraces(t, picks.Model(), all["picks"], mutation{"total", func(v itf.Value) itf.Value {
			n, _ := v.AsInt64()
			return itf.Int(n + 1)
		}, "total"})
	})
	t.Run("execspec replay --itf", func(t *testing.T) {
		replayCLI(t, dir, all["bank"])
	})
}

// roundTrip decodes a Quint trace, re-encodes it and decodes it again,
// checking that nothing is lost and that the encoding is canonical.
func roundTrip(t *testing.T, path string, raw []byte) *itf.Trace {
	t.Helper()
	name := filepath.Base(path)
	it, err := itf.DecodeBytes(raw)
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if len(it.States) == 0 {
		t.Fatalf("%s: no states", name)
	}
	for _, v := range []string{itf.ActionTakenVar, itf.NondetPicksVar} {
		if !contains(it.Vars, v) {
			t.Errorf("%s: vars %v lack %s (quint run --mbt)", name, it.Vars, v)
		}
	}
	for _, k := range []string{"format", "format-description", "source", "status", "description", "timestamp"} {
		if _, ok := it.Meta[k]; !ok {
			t.Errorf("%s: #meta lacks %q: %v", name, k, it.Meta)
		}
	}
	for i, s := range it.States {
		if idx, ok := s.Meta["index"].(json.Number); !ok || idx.String() != strconv.Itoa(i) {
			t.Errorf("%s: state %d: #meta %v", name, i, s.Meta)
		}
		if a, ok := itf.ActionTaken(s); !ok || (i == 0) != (a == "init") {
			t.Errorf("%s: state %d: action %q", name, i, a)
		}
		if _, ok := itf.NondetPicks(s); !ok {
			t.Errorf("%s: state %d: no picks record", name, i)
		}
	}

	var enc1, enc2, pretty bytes.Buffer
	if err := it.Encode(&enc1); err != nil {
		t.Fatalf("%s: encode: %v", name, err)
	}
	it2, err := itf.DecodeBytes(enc1.Bytes())
	if err != nil {
		t.Fatalf("%s: decode the re-encoded trace: %v", name, err)
	}
	if err := it2.Encode(&enc2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc1.Bytes(), enc2.Bytes()) {
		t.Errorf("%s: the canonical encoding is not stable:\n%s\n%s", name, enc1.Bytes(), enc2.Bytes())
	}
	if err := it2.EncodePretty(&pretty); err != nil {
		t.Fatal(err)
	}
	it3, err := itf.DecodeBytes(pretty.Bytes())
	if err != nil {
		t.Fatalf("%s: decode the pretty encoding: %v", name, err)
	}
	for _, other := range []*itf.Trace{it2, it3} {
		sameTrace(t, name, it, other)
	}

	// An oracle independent of package itf: Quint's JSON and the
	// re-encoded JSON, normalised with encoding/json (integers spelled one
	// way, sets and maps sorted), must be the same document.
	want, got := normalizeDoc(t, raw), normalizeDoc(t, enc1.Bytes())
	if want != got {
		t.Errorf("%s: re-encoding changed the trace:\nquint:   %s\nexecspec: %s", name, want, got)
	}
	return it
}

func sameTrace(t *testing.T, name string, a, b *itf.Trace) {
	t.Helper()
	if strings.Join(a.Vars, ",") != strings.Join(b.Vars, ",") || len(a.States) != len(b.States) || (a.Loop == nil) != (b.Loop == nil) {
		t.Fatalf("%s: vars %v / %v, %d / %d states", name, a.Vars, b.Vars, len(a.States), len(b.States))
	}
	am, _ := json.Marshal(a.Meta)
	bm, _ := json.Marshal(b.Meta)
	if !bytes.Equal(am, bm) {
		t.Errorf("%s: #meta %s became %s", name, am, bm)
	}
	for i := range a.States {
		if len(a.States[i].Values) != len(b.States[i].Values) {
			t.Errorf("%s: state %d: %d values became %d", name, i, len(a.States[i].Values), len(b.States[i].Values))
		}
		for v, av := range a.States[i].Values {
			if bv, ok := b.States[i].Values[v]; !ok || !itf.Equal(av, bv) {
				t.Errorf("%s: state %d, %s: %s became %s", name, i, v, av, bv)
			}
		}
	}
}

// normalizeDoc returns the states of an ITF document as canonical JSON,
// computed with encoding/json alone.
func normalizeDoc(t *testing.T, data []byte) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc struct {
		Vars   []string         `json:"vars"`
		States []map[string]any `json:"states"`
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	states := make([]any, len(doc.States))
	for i, s := range doc.States {
		delete(s, "#meta")
		states[i] = normalize(s)
	}
	out, err := json.Marshal(map[string]any{"vars": doc.Vars, "states": states})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func normalize(x any) any {
	switch v := x.(type) {
	case json.Number:
		return bigint(v.String())
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = normalize(v[i])
		}
		return out
	case map[string]any:
		if len(v) == 1 {
			if s, ok := v["#bigint"].(string); ok {
				return bigint(s)
			}
			if xs, ok := v["#tup"].([]any); ok {
				return map[string]any{"#tup": normalize(xs)}
			}
			if xs, ok := v["#set"].([]any); ok {
				return map[string]any{"#set": sortedUnique(normalize(xs).([]any))}
			}
			if xs, ok := v["#map"].([]any); ok {
				return map[string]any{"#map": sortedUnique(normalize(xs).([]any))}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalize(e)
		}
		return out
	}
	return x
}

func bigint(s string) any {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return "not an integer: " + s
	}
	return map[string]any{"#bigint": n.String()}
}

// sortedUnique sorts values by their JSON text and drops duplicates.
func sortedUnique(xs []any) []any {
	type keyed struct {
		k string
		v any
	}
	ks := make([]keyed, len(xs))
	for i, x := range xs {
		b, _ := json.Marshal(x)
		ks[i] = keyed{string(b), x}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].k < ks[j].k })
	var out []any
	for i, k := range ks {
		if i == 0 || k.k != ks[i-1].k {
			out = append(out, k.v)
		}
	}
	return out
}

// features records which kinds of ITF values occur in a trace.
func features(it *itf.Trace, seen map[string]bool) {
	for _, s := range it.States {
		if a, ok := itf.ActionTaken(s); ok {
			seen["action "+a] = true
		}
		if picks, ok := itf.NondetPicks(s); ok {
			for _, p := range picks {
				switch p.Kind() {
				case itf.KindVariant:
					seen["pick of a variant"] = true
				case itf.KindTuple:
					seen["pick of a tuple"] = true
				case itf.KindSet:
					seen["pick of a set"] = true
				case itf.KindMap:
					seen["pick of a map"] = true
				}
			}
		}
		for name, v := range s.Values {
			if !strings.HasPrefix(name, "mbt::") {
				walk(v, seen)
			}
		}
	}
}

func walk(v itf.Value, seen map[string]bool) {
	switch v.Kind() {
	case itf.KindBool:
		seen["bool"] = true
	case itf.KindInt:
		if _, ok := v.AsInt64(); !ok {
			seen["int beyond int64"] = true
			if b, _ := v.AsBigInt(); b.Sign() < 0 {
				seen["negative int beyond int64"] = true
			}
		}
	case itf.KindString:
		if s, _ := v.AsString(); !isASCII(s) && utf8.ValidString(s) {
			seen["non-ASCII string"] = true
		}
	case itf.KindList:
		seen["list"] = true
		if v.Len() == 0 {
			seen["empty list"] = true
		}
	case itf.KindTuple:
		seen["tuple"] = true
	case itf.KindSet:
		seen["set"] = true
		if v.Len() == 0 {
			seen["empty set"] = true
		}
		for _, e := range v.Elems() {
			if e.Kind() == itf.KindSet {
				seen["set of sets"] = true
			}
		}
	case itf.KindMap:
		seen["map"] = true
		if v.Len() == 0 {
			seen["empty map"] = true
		}
		for _, e := range v.Entries() {
			switch e.Key.Kind() {
			case itf.KindTuple:
				seen["map with tuple keys"] = true
			case itf.KindInt:
				seen["map with int keys"] = true
			}
			walk(e.Key, seen)
			walk(e.Value, seen)
		}
		return
	case itf.KindRecord:
		seen["record"] = true
		for _, f := range v.Fields() {
			walk(f.Value, seen)
		}
		return
	case itf.KindVariant:
		seen["variant"] = true
		p := v.Payload()
		if p.Kind() == itf.KindTuple && p.Len() == 0 {
			seen["unit variant"] = true
		}
		if p.Kind() == itf.KindRecord {
			seen["variant with record payload"] = true
		}
		walk(p, seen)
		return
	}
	for _, e := range v.Elems() {
		walk(e, seen)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// mutation edits one variable of a trace's last state so that the trace is
// no longer a behaviour of the model; path is where the diff must point.
type mutation struct {
	variable string
	edit     func(itf.Value) itf.Value
	path     string
}

// validateTraces checks that Quint's traces are behaviours of the model,
// with the recorded actions and picks and without them, and that edited
// copies are not.
func validateTraces[S any](t *testing.T, m *execspec.Model[S], traces []quintTrace, mut mutation) {
	mc, err := machine.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, qt := range traces {
		name := filepath.Base(qt.path)
		tr, err := trace.FromITF(qt.it)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !rep.Valid() {
			t.Fatalf("%s is not a behaviour of model %s: %s\n%s", name, mc.Name(), rep.Failure.Where(), rep.Failure.Describe("  "))
		}
		if len(rep.Notes) > 0 || len(rep.IgnoredVars) > 0 {
			t.Errorf("%s: notes %v, ignored variables %v", name, rep.Notes, rep.IgnoredVars)
		}
		for i, st := range rep.Steps {
			if i > 0 && (st.Action != tr.Steps[i].Action || st.Inferred || st.Executions != 1) {
				t.Errorf("%s: state %d validated by %+v; the trace records %s %v", name, i, st, tr.Steps[i].Action, tr.Steps[i].Picks)
			}
		}

		// Quint's states become Go states (itf.Unmarshal through the
		// model's types) and back without change.
		for i, st := range tr.Steps {
			s, err := mc.FromITF(st.State)
			if err != nil {
				t.Fatalf("%s: state %d: %v", name, i, err)
			}
			back, err := mc.ToITF(&s)
			if err != nil {
				t.Fatalf("%s: state %d: %v", name, i, err)
			}
			for _, v := range mc.Vars() {
				if !itf.Equal(back[v], st.State[v]) {
					t.Errorf("%s: state %d, %s: %s became %s through Go", name, i, v, st.State[v], back[v])
				}
			}
		}

		// Without Quint's mbt:: variables the actions and picks are found
		// by search.
		plain := *qt.it
		plain.Vars = nil
		for _, v := range qt.it.Vars {
			if !strings.HasPrefix(v, "mbt::") {
				plain.Vars = append(plain.Vars, v)
			}
		}
		plain.States = make([]itf.State, len(qt.it.States))
		for i, s := range qt.it.States {
			vals := map[string]itf.Value{}
			for _, v := range plain.Vars {
				vals[v] = s.Values[v]
			}
			plain.States[i] = itf.State{Values: vals}
		}
		ptr, err := trace.FromITF(&plain)
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := validate.Trace(context.Background(), mc, ptr, validate.Options{}); err != nil || !rep.Valid() {
			t.Fatalf("%s without mbt:: variables: %v %+v", name, err, rep.Failure)
		}

		// One state edited: invalid at that state, and the diff says where.
		bad := clone(tr)
		last := len(bad.Steps) - 1
		bad.Steps[last].State[mut.variable] = mut.edit(bad.Steps[last].State[mut.variable])
		rep, err = validate.Trace(context.Background(), mc, bad, validate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := rep.Failure
		if f == nil || f.Step != last || f.Reason != validate.NoMatch || len(f.Diff) != 1 || f.Diff[0].Path != mut.path {
			t.Fatalf("%s edited at state %d (%s): want a failure there with a diff at %s, got %+v", name, last, mut.variable, mut.path, f)
		}

		// A recorded pick that is not a candidate.
		bad = clone(tr)
		bad.Steps[last].Picks = append(bad.Steps[last].Picks[:0:0], bad.Steps[last].Picks...)
		if len(bad.Steps[last].Picks) > 0 {
			bad.Steps[last].Picks[0].Value = itf.String("no such candidate")
			rep, err = validate.Trace(context.Background(), mc, bad, validate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if f := rep.Failure; f == nil || f.Step != last || f.Reason != validate.PickMismatch {
				t.Fatalf("%s with a bad pick at state %d: got %+v", name, last, f)
			}
		}
	}
}

func clone(tr *trace.Trace) *trace.Trace {
	out := *tr
	out.Steps = make([]trace.Step, len(tr.Steps))
	for i, s := range tr.Steps {
		s.State = func() map[string]itf.Value {
			m := make(map[string]itf.Value, len(s.State))
			for k, v := range s.State {
				m[k] = v
			}
			return m
		}()
		out.Steps[i] = s
	}
	return &out
}

// replayCLI validates Quint's bank traces with the execspec command, as a
// user would.
func replayCLI(t *testing.T, dir string, traces []quintTrace) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "execspec")
	build := exec.Command("go", "build", "-o", bin, "./cmd/execspec")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building execspec: %v\n%s", err, out)
	}
	run := func(args ...string) (int, string) {
		c := exec.Command(bin, args...)
		c.Dir = root
		c.Env = append(os.Environ(), "EXECSPEC_CACHE="+filepath.Join(dir, "cache"))
		out, err := c.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}
	const pkg = "./itf/interop/testdata/bank"
	first := traces[0]
	page := filepath.Join(dir, "bank.html")
	code, out := run("replay", pkg, "--itf", first.path, "--out-html", page)
	want := fmt.Sprintf("trace valid: %d steps", len(first.it.States)-1)
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("execspec replay %s --itf %s: exit %d, want 0 and %q:\n%s", pkg, first.path, code, want, out)
	}
	if html, err := os.ReadFile(page); err != nil || !bytes.Contains(html, []byte("deposit")) {
		t.Errorf("--out-html: %v, %d bytes", err, len(html))
	}

	// All of them in one NDJSON file.
	its := make([]*itf.Trace, len(traces))
	for i, qt := range traces {
		its[i] = qt.it
	}
	all := filepath.Join(dir, "bank-all.ndjson")
	if err := itf.WriteFile(all, its...); err != nil {
		t.Fatal(err)
	}
	code, out = run("replay", pkg, "--itf", all)
	if want := fmt.Sprintf("%d of %d traces valid", len(its), len(its)); code != 0 || !strings.Contains(out, want) {
		t.Fatalf("NDJSON: exit %d, want 0 and %q:\n%s", code, want, out)
	}

	// Quint's own file with one state edited by hand.
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(first.raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	states := doc["states"].([]any)
	k := len(states) / 2
	states[k].(map[string]any)["log"] = []any{}
	edited, _ := json.Marshal(doc)
	path := filepath.Join(dir, "bank-edited.itf.json")
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = run("replay", pkg, "--itf", path)
	if want := fmt.Sprintf("trace INVALID at state %d", k); code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "log") {
		t.Fatalf("edited trace: exit %d, want 1 and %q:\n%s", code, want, out)
	}
}

// setupQuint returns the path of the pinned Quint, which `npm ci` in
// itf/interop installs (.ci/run does). The test never installs it itself:
// go test needs no network.
func setupQuint(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(wd, "node_modules", ".bin", "quint")
	switch v := installedQuint(wd); {
	case v == "":
		unavailable(t, "Quint %s is not installed in %s", quintPin, wd)
	case v != quintPin:
		unavailable(t, "node_modules holds Quint %s, not the pinned %s (run npm ci again)", v, quintPin)
	}
	if _, err := os.Stat(bin); err != nil {
		unavailable(t, "%s is missing: %v", bin, err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		unavailable(t, "node is not installed (Quint is a Node.js program)")
	}
	return bin
}

func installedQuint(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", "@informalsystems", "quint", "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct{ Version string }
	if json.Unmarshal(data, &pkg) != nil {
		return ""
	}
	return pkg.Version
}

// unavailable skips the test, loudly, when Quint cannot be had; in CI it
// fails instead, so that the interop test is never skipped silently there.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("Quint interop test cannot run in CI: %s", msg)
	}
	banner := "*** QUINT INTEROP TEST SKIPPED: " + msg + "\n*** Install node and npm, then run `npm ci --no-audit --no-fund` in itf/interop (it needs the npm registry; go test never does). With CI=true this is a failure."
	fmt.Fprintln(os.Stderr, banner)
	t.Skip(banner)
}

func inCI() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return v != "" && v != "false" && v != "0"
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
