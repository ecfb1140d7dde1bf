package cli

import (
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
type ndjsonSink struct{ w io.Writer }

func newNDJSON(w io.Writer) *ndjsonSink { return &ndjsonSink{w: w} }

func (*ndjsonSink) stdout() bool { return true }

// event writes the event as one line of JSON.
func (n *ndjsonSink) event(ev reportEvent) {
	b, err := marshalEvent(ev)
	if err != nil {
		b, _ = marshalEvent(eventError{Event: ev.eventName(), Error: err.Error()})
	}
	n.w.Write(append(b, '\n'))
}

func (*ndjsonSink) finish(findingsOutput) error { return nil }
