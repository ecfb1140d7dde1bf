package cli

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"text/template"
)

// initTemplate is one kind of model execspec init writes. The generic one
// is text templates (scaffold/*.tmpl); every other kind is a Go package
// under scaffold/<Dir>, compiled and tested with the repository, whose
// files init copies with the package name and import path rewritten.
type initTemplate struct {
	Kind     string // the --template name
	Dir      string // the package under scaffold/ ("" for the generic one)
	Fits     string // the systems it fits
	Models   string // what the model holds
	Checks   string // its invariants and temporal property
	Bug      string // the planted bug (empty: none)
	Fix      string // what the fixed twin changes
	Shortest int    // steps of the shortest counterexample
	Bugged   string // the invariant the planted bug breaks
}

// templatePrefix is the import path of the template packages in this
// repository; init replaces it with the user's.
const templatePrefix = "github.com/execspec/execspec/cli/scaffold/"

// initTemplates are the kinds, the default first. Each kind's model,
// tests and driver live in its package; this table is what `init --list`
// and the generated README say about it.
var initTemplates = []initTemplate{
	{
		Kind:   "generic",
		Fits:   "any system: the shape of a model, to start from a blank page",
		Models: "a lock service with fencing tokens: two actions, an invariant, an example, a state constraint",
	},
	{
		Kind:     "control-plane",
		Dir:      "controlplane",
		Fits:     "control planes that roll out configuration, routes or DNS through several workers",
		Models:   "a planner's immutable versions, applied by independent appliers that also clean up old ones",
		Checks:   "the active version exists and was published; every applier catches up (under fairness)",
		Bug:      "a delayed applier activates an old version just as another's cleanup deletes it (the DNS outage)",
		Fix:      "cleanup spares the active version, and no applier moves the active pointer back",
		Shortest: 8,
		Bugged:   "active_version_exists",
	},
	{
		Kind:     "scheduler",
		Dir:      "scheduler",
		Fits:     "schedulers, job queues and lease-based work distribution",
		Models:   "jobs leased to workers with heartbeats and expiry, results committed to a store",
		Checks:   "a job's result is committed at most once, the lease holder runs the job; every job gets done (under fairness)",
		Bug:      "a slow worker's lease expires, the job is leased again, and both workers commit (a double assignment)",
		Fix:      "the store fences commits by attempt number",
		Shortest: 7,
		Bugged:   "committed_at_most_once",
	},
	{
		Kind:     "replication",
		Dir:      "replication",
		Fits:     "databases and storage: replication, failover, durability of acknowledged writes",
		Models:   "a primary with semi-synchronous replicas, a wait timeout, a crash and an orchestrated failover",
		Checks:   "no acknowledged commit is lost, replicas' logs are prefixes of the primary's; no client waits forever (under fairness)",
		Bug:      "on a timeout the primary falls back to asynchronous replication and acknowledges; a failover loses the commit",
		Fix:      "no fallback: a commit waits for a replica",
		Shortest: 6,
		Bugged:   "no_acked_commit_lost",
	},
	{
		Kind:     "protocol",
		Dir:      "election",
		Fits:     "consensus and coordination protocols: leader election, terms, votes, crashes and restarts",
		Models:   "Raft-style election: timeouts, vote requests, leaders, heartbeats, a crash and a restart",
		Checks:   "at most one leader per term, a leader voted for itself; every live server learns the leader's term (under fairness)",
		Bug:      "votedFor is kept in memory only: a restarted server votes twice in a term, and two leaders are elected",
		Fix:      "the vote is on disk before it is granted",
		Shortest: 8,
		Bugged:   "election_safety",
	},
	{
		Kind:     "reconciliation-loop",
		Dir:      "reconciler",
		Fits:     "controllers and operators that reconcile desired and observed state through caches",
		Models:   "a replica controller, its informer cache, scaling by a user and pods that die",
		Checks:   "no creation takes the pods above the desired count, the cache shows only created pods; the pods converge (under fairness)",
		Bug:      "the controller acts on a stale cache and creates pods it already created",
		Fix:      "expectations: no reconcile until the cache reflects the controller's own writes",
		Shortest: 3,
		Bugged:   "never_creates_above_desired",
	},
	{
		Kind:     "idempotent-retries",
		Dir:      "idempotency",
		Fits:     "APIs and workers with retries, timeouts and deduplication (payments, queues, webhooks)",
		Models:   "clients retrying under idempotency keys kept for a TTL, a network that loses answers, a clock",
		Checks:   "a payment is charged at most once, a client told charged was charged; every client gets an answer (under fairness)",
		Bug:      "the idempotency key expires before a late retry arrives, and the customer is charged twice",
		Fix:      "the server refuses requests whose key is older than the TTL",
		Shortest: 7,
		Bugged:   "charged_at_most_once",
	},
}

// templateKinds lists the valid --template names.
func templateKinds() []string {
	kinds := make([]string, len(initTemplates))
	for i, t := range initTemplates {
		kinds[i] = t.Kind
	}
	return kinds
}

// findTemplate returns the template named kind.
func findTemplate(kind string) (initTemplate, error) {
	for _, t := range initTemplates {
		if t.Kind == kind {
			return t, nil
		}
	}
	return initTemplate{}, fmt.Errorf("unknown template %q; valid: %s (execspec init --list says what each covers)", kind, strings.Join(templateKinds(), ", "))
}

// writeTemplateList prints what each template covers, for init --list.
func writeTemplateList(w io.Writer) {
	fmt.Fprintf(w, "execspec init --template KIND [DIR] writes one of these (generic is the default):\n")
	for _, t := range initTemplates {
		fmt.Fprintf(w, "\n%s\n  fits:        %s\n  models:      %s\n", t.Kind, t.Fits, t.Models)
		if t.Bug == "" {
			fmt.Fprintf(w, "  planted bug: none; instance small is clean\n")
			continue
		}
		fmt.Fprintf(w, "  checks:      %s\n  planted bug: %s\n               in instance small (the default); the shortest trace has %d steps\n  fixed twin:  %s (instance small_fixed)\n", t.Checks, t.Bug, t.Shortest, t.Fix)
	}
}

// scaffoldData fills the text templates.
type scaffoldData struct {
	Package    string // the Go package name
	ImportPath string // the package's import path
	Dir        string // the package directory as go test takes it (./x)
	T          initTemplate
}

// renderTemplate returns the files of template t for a package named
// name at importPath, by file name.
func renderTemplate(t initTemplate, data scaffoldData) (map[string][]byte, error) {
	files := map[string][]byte{}
	if t.Dir == "" {
		for _, f := range []struct{ tmpl, out string }{
			{"model.go.tmpl", "model.go"},
			{"model_test.go.tmpl", "model_test.go"},
			{"driver_test.go.tmpl", "driver_test.go"},
			{"README.md.tmpl", "README.md"},
		} {
			b, err := execTemplate("scaffold/"+f.tmpl, data)
			if err != nil {
				return nil, err
			}
			if strings.HasSuffix(f.out, ".go") {
				if b, err = format.Source(b); err != nil {
					return nil, fmt.Errorf("template %s: %s: %w", t.Kind, f.out, err)
				}
			}
			files[f.out] = b
		}
		return files, nil
	}
	entries, err := scaffold.ReadDir("scaffold/" + t.Dir)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", t.Kind, err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		src, err := scaffold.ReadFile("scaffold/" + t.Dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out, err := rewritePackage(e.Name(), src, t.Dir, data.Package, data.ImportPath)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", t.Kind, err)
		}
		files[e.Name()] = out
	}
	readme, err := execTemplate("scaffold/kind-README.md.tmpl", data)
	if err != nil {
		return nil, err
	}
	files["README.md"] = readme
	return files, nil
}

func execTemplate(name string, data scaffoldData) ([]byte, error) {
	t, err := template.ParseFS(scaffold, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// rewritePackage turns a file of the template package from (imported as
// templatePrefix+from) into one of package name at importPath: the package
// clause, the doc comment's "Package from", the import of the template
// package and the identifiers that refer to it.
func rewritePackage(filename string, src []byte, from, name, importPath string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	switch f.Name.Name {
	case from:
		f.Name.Name = name
	case from + "_test":
		f.Name.Name = name + "_test"
	default:
		return nil, fmt.Errorf("%s: package %s, want %s or %s_test", filename, f.Name.Name, from, from)
	}
	if f.Doc != nil {
		for _, c := range f.Doc.List {
			c.Text = strings.Replace(c.Text, "// Package "+from+" ", "// Package "+name+" ", 1)
		}
	}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, err
		}
		if p == templatePrefix+from {
			if imp.Name != nil {
				return nil, fmt.Errorf("%s: the template package is imported under a name", filename)
			}
			imp.Path.Value = strconv.Quote(importPath)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == from {
				id.Name = name
			}
		}
		return true
	})
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	return format.Source(b.Bytes())
}

// importNames returns the names under which the Go files import packages,
// other than importPath: a model package of one of these names would
// clash with them in its tests.
func importNames(files map[string][]byte, importPath string) ([]string, error) {
	var names []string
	for fn, src := range files {
		if !strings.HasSuffix(fn, ".go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), fn, src, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == importPath {
				continue
			}
			n := path.Base(p)
			if imp.Name != nil {
				n = imp.Name.Name
			}
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}
