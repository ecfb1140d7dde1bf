package cli

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/execspec/execspec"
)

// variantsHint adds to a model's type error, for each state field of an
// interface type with no registered variants, the types of the model's
// package that have its methods: the cases a Variants call is likely to
// need. pkgDir is the package's directory ("" when unknown: no hint),
// shown the package as the user named it.
func variantsHint(err error, pkgDir, shown string) error {
	if pkgDir == "" {
		return err
	}
	var hints []string
	seen := map[reflect.Type]bool{}
	for _, te := range typeErrors(err) {
		t := te.Type
		if t == nil || t.Kind() != reflect.Interface || t.NumMethod() == 0 || t.Name() == "" || seen[t] || !strings.Contains(te.Reason, "no registered variants") {
			continue
		}
		seen[t] = true
		values, pointers, perr := implementers(pkgDir, t)
		if perr != nil || len(values)+len(pointers) == 0 {
			continue
		}
		h := fmt.Sprintf("hint: in %s, ", shown)
		if len(values) > 0 {
			lits := make([]string, len(values))
			for i, v := range values {
				lits[i] = v + "{}"
			}
			h += fmt.Sprintf("%s %s %s: execspec.Variants[%s](%s)", strings.Join(values, ", "), implement(len(values)), t.Name(), t.Name(), strings.Join(lits, ", "))
		}
		if len(pointers) > 0 {
			if len(values) > 0 {
				h += "; "
			}
			h += fmt.Sprintf("%s %s %s through pointer receivers only, and a variant must be a value type (give it value receivers)", strings.Join(pointers, ", "), implement(len(pointers)), t.Name())
		}
		hints = append(hints, h)
	}
	if len(hints) == 0 {
		return err
	}
	return fmt.Errorf("%w\n%s", err, strings.Join(hints, "\n"))
}

func implement(n int) string {
	if n == 1 {
		return "implements"
	}
	return "implement"
}

// typeErrors returns the *execspec.TypeError values in err.
func typeErrors(err error) []*execspec.TypeError {
	var list execspec.TypeErrors
	if errors.As(err, &list) {
		return list
	}
	var one *execspec.TypeError
	if errors.As(err, &one) {
		return []*execspec.TypeError{one}
	}
	return nil
}

// implementers reads the Go files of dir (tests excluded) and returns the
// types declared there that declare every method of the interface iface
// (by name, as a hint: not a type check), those whose methods all have
// value receivers first, then those that need a pointer.
func implementers(dir string, iface reflect.Type) (values, pointers []string, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	// methods maps a method's name to whether its receiver is a pointer.
	type methods struct{ names map[string]bool }
	byType := map[string]*methods{}
	var order []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		af, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			continue // the compiler has said what is wrong with it
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					if ts, ok := sp.(*ast.TypeSpec); ok {
						if _, isIface := ts.Type.(*ast.InterfaceType); !isIface && byType[ts.Name.Name] == nil {
							byType[ts.Name.Name] = &methods{names: map[string]bool{}}
							order = append(order, ts.Name.Name)
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) != 1 {
					continue
				}
				rt, ptr := d.Recv.List[0].Type, false
				if st, ok := rt.(*ast.StarExpr); ok {
					rt, ptr = st.X, true
				}
				if ix, ok := rt.(*ast.IndexExpr); ok {
					rt = ix.X
				}
				id, ok := rt.(*ast.Ident)
				if !ok {
					continue
				}
				m := byType[id.Name]
				if m == nil {
					m = &methods{names: map[string]bool{}}
					byType[id.Name] = m
					order = append(order, id.Name)
				}
				m.names[d.Name.Name] = ptr
			}
		}
	}
	slices.Sort(order)
	for _, name := range order {
		m := byType[name]
		all, pointer := true, false
		for i := range iface.NumMethod() {
			ptr, ok := m.names[iface.Method(i).Name]
			all, pointer = all && ok, pointer || ptr
		}
		switch {
		case !all:
		case pointer:
			pointers = append(pointers, "*"+name)
		default:
			values = append(values, name)
		}
	}
	return values, pointers, nil
}
