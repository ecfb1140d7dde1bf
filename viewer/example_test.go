package viewer_test

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/execspec/execspec/itf"
	"github.com/execspec/execspec/trace"
	"github.com/execspec/execspec/viewer"
)

// A trace built by hand (or read with itf.ReadFile, or produced by a model)
// becomes one HTML page; AnnotateProperties adds the per-step table the page
// marks the first violation in.
func ExampleWrite() {
	counter := func(n int64) map[string]itf.Value { return map[string]itf.Value{"n": itf.Int(n)} }
	t := &trace.Trace{
		Vars: []string{"n"},
		Meta: map[string]any{"model": "counter", "property": "small"},
		Steps: []trace.Step{
			{Action: "init", State: counter(0)},
			{Action: "inc", State: counter(1)},
			{Action: "inc", State: counter(2)},
		},
	}
	if err := viewer.AnnotateProperties(t, []string{"small"}, [][]bool{{true, true, false}}); err != nil {
		fmt.Println(err)
		return
	}
	var page bytes.Buffer
	if err := viewer.Write(&page, t.ToITF(), viewer.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(regexp.MustCompile(`<title>.*</title>`).FindString(page.String()))
	fmt.Println(regexp.MustCompile(`"properties":\[[^\]]*\][^\]]*\]`).FindString(page.String()))
	// Output:
	// <title>counter: small</title>
	// "properties":[{"name":"small","kind":"invariant","values":[true,true,false],"first":2}]
}

func ExampleParseSteps() {
	for _, s := range []string{"10..40", "5..", "..3", "7", "9..2"} {
		r, err := viewer.ParseSteps(s)
		fmt.Println(r, err)
	}
	// Output:
	// 10..40 <nil>
	// 5.. <nil>
	// 0..3 <nil>
	// 7..7 <nil>
	// 0..0 step range "9..2": the end is before the start (want FROM..TO, FROM.., ..TO or STEP, e.g. 10..40)
}
