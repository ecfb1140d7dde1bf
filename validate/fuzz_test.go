package validate_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/validate"
)

// FuzzValidate feeds ITF documents to the whole path a trace file takes
// through `execspec replay --itf`: decode, convert, validate against the
// bank model. Whatever the input, validation must return a report or an
// error, never panic, and a report must be consistent. The seed corpus is
// real traces of the model (valid) and edited copies (invalid in every way
// validation distinguishes), plus the files in testdata/fuzz/FuzzValidate.
func FuzzValidate(f *testing.F) {
	mc := compile(f, bankModel())
	for sample := 0; sample < 3; sample++ {
		tr := sampleTrace(f, mc, 5, sample, 6)
		f.Add(encode(f, tr))
		noActions := clone(tr)
		for i := range noActions.Steps {
			noActions.Steps[i].Action, noActions.Steps[i].Picks = "", nil
		}
		f.Add(encode(f, noActions))
		bad := clone(tr)
		bad.Steps[3].State["mode"] = itf.String("ajar")
		f.Add(encode(f, bad))
		badPick := clone(tr)
		setPick(&badPick.Steps[2], "amount", itf.Int(-1))
		f.Add(encode(f, badPick))
		lasso := clone(tr)
		k := 1
		lasso.Loop = &k
		f.Add(encode(f, lasso))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := itf.DecodeBytes(data)
		if err != nil {
			return
		}
		tr, err := trace.FromITF(it)
		if err != nil {
			return
		}
		rep, err := validate.Trace(context.Background(), mc, tr, validate.Options{MaxExecutions: 500})
		if err != nil {
			if rep != nil {
				t.Fatalf("both a report and an error: %v", err)
			}
			return
		}
		if rep.Valid() {
			if len(rep.Steps) != len(tr.Steps) {
				t.Fatalf("valid with %d steps for %d states", len(rep.Steps), len(tr.Steps))
			}
			return
		}
		fl := rep.Failure
		if len(rep.Steps) != fl.Step && fl.LoopTo < 0 {
			t.Fatalf("failure at state %d after %d steps", fl.Step, len(rep.Steps))
		}
		if fl.Reason < validate.PickMismatch || fl.Reason > validate.Interrupted {
			t.Fatalf("bad reason %v", fl.Reason)
		}
		_ = fl.Describe("  ")
		_ = fl.Error()
	})
}

func encode(t testing.TB, tr *trace.Trace) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tr.ToITF().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
