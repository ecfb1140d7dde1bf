package viewer

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
)

// The pages' scripts and styles: plain JavaScript and CSS, embedded in the
// binary and inlined into every page, so a page needs no network.
//
//go:embed assets/*.css assets/*.js assets/*.html
var assetFS embed.FS

// assetSet is the text of the assets a page inlines. Tests substitute
// placeholders to keep golden files about the data, not the scripts.
type assetSet struct {
	css, itfJS, viewJS, exploreJS, viewHTML, exploreHTML string
}

func mustAsset(name string) string {
	b, err := assetFS.ReadFile("assets/" + name)
	if err != nil {
		panic("viewer: missing embedded asset " + name) // a build defect
	}
	return string(b)
}

func pageAssets() assetSet {
	return assetSet{
		css:         mustAsset("viewer.css"),
		itfJS:       mustAsset("itf.js"),
		viewJS:      mustAsset("view.js"),
		exploreJS:   mustAsset("explore.js"),
		viewHTML:    mustAsset("view.html"),
		exploreHTML: mustAsset("explore.html"),
	}
}

// render writes the trace page.
func (p *page) render(w io.Writer, a assetSet) error {
	var view bytes.Buffer
	if err := p.view.encode(&view); err != nil {
		return err
	}
	return fill(w, a.viewHTML, map[string]string{
		"TITLE":    html.EscapeString(p.view.Title),
		"CSS":      a.css,
		"JS":       a.itfJS + "\n" + a.viewJS,
		"ITF":      scriptJSON(p.itfJSON),
		"VIEW":     scriptJSON(view.Bytes()),
		"NOSCRIPT": "This page needs JavaScript to show the trace; the trace itself is in the page source, as ITF.",
	})
}

// encode writes the view model as JSON, one step per line so that golden
// files and diffs of pages stay readable.
func (v *pageView) encode(w *bytes.Buffer) error {
	steps := v.Steps
	head := *v
	head.Steps = nil
	b, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encoding the view model: %w", err)
	}
	// Replace the trailing "steps":null} by the steps, one per line.
	if !bytes.HasSuffix(b, []byte(`"steps":null}`)) {
		return fmt.Errorf("encoding the view model: steps must be its last field")
	}
	b = bytes.TrimSuffix(b, []byte(`"steps":null}`))
	w.Write(b)
	w.WriteString(`"steps":[`)
	for i, s := range steps {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n")
		sb, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encoding step %d of the view model: %w", s.I, err)
		}
		w.Write(sb)
	}
	w.WriteString("\n]}")
	return nil
}

// scriptJSON makes JSON safe inside a <script> element: '<', '>' and '&'
// (which valid JSON holds only inside strings) become \u escapes, so no
// "</script>" or "<!--" can appear; so do U+2028 and U+2029.
func scriptJSON(b []byte) string {
	r := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return r.Replace(string(b))
}

// fill writes tmpl with each @@NAME@@ marker replaced by vals[NAME]. Only
// the template is scanned for markers, never the values.
func fill(w io.Writer, tmpl string, vals map[string]string) error {
	var sb strings.Builder
	for {
		i := strings.Index(tmpl, "@@")
		if i < 0 {
			sb.WriteString(tmpl)
			break
		}
		j := strings.Index(tmpl[i+2:], "@@")
		if j < 0 {
			return fmt.Errorf("unterminated marker in page template")
		}
		name := tmpl[i+2 : i+2+j]
		v, ok := vals[name]
		if !ok {
			return fmt.Errorf("unknown marker @@%s@@ in page template", name)
		}
		sb.WriteString(tmpl[:i])
		sb.WriteString(v)
		tmpl = tmpl[i+2+j+2:]
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
