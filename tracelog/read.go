package tracelog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/execspec/execspec/itf"
)

// maxLine bounds one event's line.
const maxLine = 16 << 20

// ReadLog reads a log written by Step or a Logger: one ITF state object a
// line (blank lines are skipped). The trace's Vars are the names the events
// logged, mbt::actionTaken and mbt::nondetPicks excepted, sorted; each state
// has only the variables its event logged. An mbt::actionTaken that is not
// a string and an mbt::nondetPicks that is not a record are errors.
func ReadLog(r io.Reader) (*itf.Trace, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	tr := &itf.Trace{}
	vars := map[string]bool{}
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		v, err := itf.ParseValue(b)
		if err != nil {
			return nil, fmt.Errorf("tracelog: line %d: %w", line, err)
		}
		if v.Kind() != itf.KindRecord {
			return nil, fmt.Errorf("tracelog: line %d: an event is a JSON object, not %s", line, v.Kind())
		}
		st := itf.State{Values: map[string]itf.Value{}}
		for _, f := range v.Fields() {
			switch {
			case f.Name == itf.ActionTakenVar && f.Value.Kind() != itf.KindString:
				return nil, fmt.Errorf("tracelog: line %d: %s must be a string (the action's name); its value is of kind %s", line, f.Name, f.Value.Kind())
			case f.Name == itf.NondetPicksVar && f.Value.Kind() != itf.KindRecord:
				return nil, fmt.Errorf("tracelog: line %d: %s must be a record (a field per pick); its value is of kind %s", line, f.Name, f.Value.Kind())
			}
			st.Values[f.Name] = f.Value
			if !strings.HasPrefix(f.Name, "mbt::") {
				vars[f.Name] = true
			}
		}
		tr.States = append(tr.States, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("tracelog: reading: %w", err)
	}
	for v := range vars {
		tr.Vars = append(tr.Vars, v)
	}
	sort.Strings(tr.Vars)
	return tr, nil
}
