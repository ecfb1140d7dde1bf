package cli

import (
	"encoding/json"
	"flag"
	"io"
)

// ndjsonKind is --json: each event as one JSON object a line on stdout.
func ndjsonKind(fs *flag.FlagSet) func(Env) sink {
	on := fs.Bool("json", false, "write NDJSON events to stdout (human text goes to stderr)")
	return func(env Env) sink {
		if !*on {
			return nil
		}
		return newNDJSON(env.Stdout)
	}
}

// ndjsonSink writes events as NDJSON.
type ndjsonSink struct{ enc *json.Encoder }

func newNDJSON(w io.Writer) *ndjsonSink { return &ndjsonSink{enc: json.NewEncoder(w)} }

func (*ndjsonSink) stdout() bool { return true }

// event writes {"event": name, fields...}, the keys in order.
func (n *ndjsonSink) event(name string, fields map[string]any) {
	ev := make(map[string]any, len(fields)+1)
	for k, v := range fields {
		ev[k] = v
	}
	ev["event"] = name
	_ = n.enc.Encode(ev)
}

func (*ndjsonSink) finish(findingsOutput) error { return nil }
