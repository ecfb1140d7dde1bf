package itf

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecoderStream(t *testing.T) {
	f, err := os.Open("testdata/stream.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := NewDecoder(f)
	var got []*Trace
	for {
		tr, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tr)
	}
	if len(got) != 4 {
		t.Fatalf("read %d traces, want 4", len(got))
	}
	if got[1].Loop == nil || *got[1].Loop != 0 || len(got[1].States) != 2 {
		t.Errorf("trace 1 = %+v", got[1])
	}
	if got[0].Loop != nil {
		t.Errorf("trace 0 has a loop")
	}
	expectValue(t, got[3].States[0], "z", Bool(true))
	if _, err := d.Next(); err != io.EOF {
		t.Errorf("Next after EOF = %v", err)
	}

	files, err := ReadFile("testdata/stream.ndjson")
	if err != nil || len(files) != 4 {
		t.Fatalf("ReadFile: %d traces, %v", len(files), err)
	}
	for i := range got {
		if !equalTraces(got[i], files[i]) {
			t.Errorf("trace %d differs between Decoder and ReadFile", i)
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"vars":[],"states":[]}` + "\n" + `{"vars":[],"states":[{"x":1.5}]}`, `itf: decode trace 1: state 0, variable "x": non-integer number 1.5 (ITF has integers only) (at byte offset 50)`},
		{`{"vars":[],"states":[]}` + "\n" + `{"vars":[}`, `itf: decode trace 1: invalid character '}' looking for beginning of value (at byte offset 33)`},
		{`{"vars":[],"states":[]} {"vars":[`, `itf: decode trace 1: unexpected end of input`},
		{`[1]`, `itf: decode trace 0: invalid character '[', expecting '{' starting a trace object (at byte offset 0)`},
	}
	for _, tt := range tests {
		d := NewDecoder(strings.NewReader(tt.in))
		var err error
		for err == nil {
			_, err = d.Next()
		}
		if err == io.EOF || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Next() error = %v\nwant it to contain %q", err, tt.want)
			continue
		}
		if _, again := d.Next(); again == nil || again.Error() != err.Error() {
			t.Errorf("Next after an error = %v", again)
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("not a *DecodeError: %T", err)
		}
	}
}

func TestWriteReadFile(t *testing.T) {
	dir := t.TempDir()
	a := decodeFile(t, "all-kinds.itf.json")
	b := decodeFile(t, "lasso.itf.json")

	single := filepath.Join(dir, "one.itf.json")
	if err := WriteFile(single, a); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(single)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "{\n  \"#meta\": {") || !strings.Contains(string(data), "\n  \"states\": [\n    {\"#meta\": {\"index\":0}, \"flag\": false, ") {
		t.Errorf("single trace is not pretty:\n%s", data)
	}
	back, err := ReadFile(single)
	if err != nil || len(back) != 1 || !equalTraces(a, back[0]) {
		t.Fatalf("ReadFile(single): %v", err)
	}
	if info, err := os.Stat(single); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v", info.Mode(), err)
	}

	multi := filepath.Join(dir, "many.ndjson")
	if err := WriteFile(multi, a, b, a); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(multi)
	if lines := strings.Count(string(data), "\n"); lines != 3 {
		t.Errorf("NDJSON has %d lines, want 3", lines)
	}
	back, err = ReadFile(multi)
	if err != nil || len(back) != 3 || !equalTraces(b, back[1]) || !equalTraces(a, back[2]) {
		t.Fatalf("ReadFile(multi): %d traces, %v", len(back), err)
	}

	// Overwrite atomically; a failing write leaves the old file and no
	// temporary file behind.
	bad := &Trace{Vars: []string{"x"}, States: []State{{Values: map[string]Value{}}}}
	if err := WriteFile(multi, b, bad); err == nil || !strings.Contains(err.Error(), `trace 1: state 0: missing variable "x"`) {
		t.Errorf("WriteFile(invalid) = %v", err)
	}
	if again, _ := os.ReadFile(multi); string(again) != string(data) {
		t.Error("failed WriteFile changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the two files", names)
	}

	if err := WriteFile(filepath.Join(dir, "none.json")); err == nil {
		t.Error("WriteFile without traces succeeded")
	}
	if err := WriteFile(filepath.Join(dir, "nil.json"), nil); err == nil {
		t.Error("WriteFile(nil) succeeded")
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.json"), a); err == nil {
		t.Error("WriteFile into a missing directory succeeded")
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct{ path, want string }{
		{write("empty.json", " \n"), "no trace in file"},
		{write("bad.json", `{"vars":[],"states":[]}`+"\n"+`{"vars":["x"],"states":[{"x":null}]}`), `trace 1: state 0, variable "x": null is not an ITF value (strict mode) (at byte offset 53)`},
		{filepath.Join(dir, "absent.json"), "no such file"},
	}
	for _, tt := range tests {
		_, err := DecodeOptions{Strict: true}.ReadFile(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadFile(%s) = %v, want %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}
