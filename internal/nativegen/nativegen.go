// Package nativegen writes the Go file that registers a package's map and
// slice types with machine.NativeMap and machine.NativeSlice, so that the
// engines copy, compare, encode and decode them with code compiled for
// their types instead of through reflection.
//
// It reads the package's source, not its types: every map and slice type
// spelled out in a top-level, non-generic type declaration (a struct's
// field types, at any depth, and the declared types themselves) is
// registered as written, so the generated file compiles in the package
// wherever the declarations do. Types declared elsewhere are not covered
// (they keep the reflective path), nor are files with dot imports or cgo.
package nativegen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// FileName is the name the CLI and `execspec native` give the generated file.
const FileName = "zz_execspec_native.go"

// BuildTag turns the generated registrations off: build with
// -tags execspec_nonative to run a model's maps and slices reflectively.
const BuildTag = "execspec_nonative"

const machinePath = "github.com/execspec/execspec/machine"

// File is one source file of the package.
type File struct {
	Name string
	Src  []byte
}

// Generate returns the source of a file for package pkgName that
// registers the map and slice types the files declare, or nil when they
// declare none. It fails only when a file does not parse, or declares a
// different package.
func Generate(pkgName string, files []File) ([]byte, error) {
	fset := token.NewFileSet()
	g := &generator{fset: fset, seen: map[string]bool{}, aliases: map[string]string{}, taken: map[string]bool{}}
	var parsed []*ast.File
	for _, f := range files {
		af, err := parser.ParseFile(fset, f.Name, f.Src, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", f.Name, err)
		}
		if af.Name.Name != pkgName {
			return nil, fmt.Errorf("%s is in package %s, not %s", f.Name, af.Name.Name, pkgName)
		}
		parsed = append(parsed, af)
		for _, d := range af.Decls {
			g.declare(d)
		}
	}
	for _, af := range parsed {
		g.file(af)
	}
	if len(g.regs) == 0 {
		return nil, nil
	}
	return g.source(pkgName)
}

type registration struct {
	fn, typ string // "NativeMap" or "NativeSlice", the type as Go source
}

type generator struct {
	fset    *token.FileSet
	regs    []registration
	seen    map[string]bool
	aliases map[string]string // import path -> its name in the generated file
	taken   map[string]bool   // the package's top-level names
	// imports maps, while one file is walked, its import names to paths.
	imports map[string]string
}

// declare notes the package-level names d declares, which the generated
// file's import names must not shadow.
func (g *generator) declare(d ast.Decl) {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			g.taken[d.Name.Name] = true
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				g.taken[s.Name.Name] = true
			case *ast.ValueSpec:
				for _, n := range s.Names {
					g.taken[n.Name] = true
				}
			}
		}
	}
}

func (g *generator) file(af *ast.File) {
	g.imports = map[string]string{}
	guessed := map[string]string{}
	for _, is := range af.Imports {
		path, err := strconv.Unquote(is.Path.Value)
		if err != nil || path == "C" || is.Name != nil && is.Name.Name == "." {
			return // cgo or a dot import: names the generated file could not resolve
		}
		if is.Name != nil {
			g.imports[is.Name.Name] = path
			continue
		}
		// A path's last element is usually, not always, its package's
		// name (gopkg.in/yaml.v3 declares yaml). A guess two imports
		// share is dropped; a type written with a qualifier no import
		// explains is skipped below.
		name := path[strings.LastIndex(path, "/")+1:]
		if _, twice := guessed[name]; twice {
			guessed[name] = ""
		} else {
			guessed[name] = path
		}
	}
	for name, path := range guessed {
		if _, named := g.imports[name]; !named && path != "" {
			g.imports[name] = path
		}
	}
	for _, d := range af.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			if ts.TypeParams != nil || ts.Name.Name == "_" {
				continue
			}
			if ts.Assign == 0 {
				g.register(ts.Type, ts.Name)
			}
			g.walk(ts.Type)
		}
	}
}

// register records the type named by name (or, with name nil, the type
// literal t) when t is a map or a slice type.
func (g *generator) register(t ast.Expr, name *ast.Ident) {
	var fn string
	switch t := t.(type) {
	case *ast.MapType:
		fn = "NativeMap"
	case *ast.ArrayType:
		if t.Len != nil {
			return
		}
		fn = "NativeSlice"
	default:
		return
	}
	var expr ast.Expr = t
	if name != nil {
		expr = name
	}
	src, ok := g.print(expr)
	if !ok || g.seen[src] {
		return
	}
	g.seen[src] = true
	g.regs = append(g.regs, registration{fn, src})
}

// walk registers the map and slice type literals within t.
func (g *generator) walk(t ast.Expr) {
	switch t := t.(type) {
	case *ast.MapType:
		g.register(t, nil)
		g.walk(t.Key)
		g.walk(t.Value)
	case *ast.ArrayType:
		g.register(t, nil)
		g.walk(t.Elt)
	case *ast.StructType:
		for _, f := range t.Fields.List {
			g.walk(f.Type)
		}
	case *ast.StarExpr:
		g.walk(t.X)
	case *ast.ParenExpr:
		g.walk(t.X)
	case *ast.IndexExpr:
		g.walk(t.Index)
	case *ast.IndexListExpr:
		for _, x := range t.Indices {
			g.walk(x)
		}
	}
}

// print returns t as source for the generated file, its package
// qualifiers renamed to the generated file's import names; false when t
// has a qualifier the file's imports do not explain.
func (g *generator) print(t ast.Expr) (string, bool) {
	ok := true
	var renamed []*ast.Ident
	var olds []string
	ast.Inspect(t, func(n ast.Node) bool {
		if n, isSel := n.(*ast.SelectorExpr); isSel {
			x, isIdent := n.X.(*ast.Ident)
			if !isIdent {
				ok = false
				return false
			}
			path, known := g.imports[x.Name]
			if !known {
				ok = false
				return false
			}
			renamed = append(renamed, x)
			olds = append(olds, x.Name)
			x.Name = g.alias(path)
			return false
		}
		return ok
	})
	defer func() {
		for i, x := range renamed {
			x.Name = olds[i]
		}
	}()
	if !ok {
		return "", false
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, g.fset, t); err != nil {
		return "", false
	}
	return buf.String(), true
}

// alias returns the generated file's name for the import path.
func (g *generator) alias(path string) string {
	if a, ok := g.aliases[path]; ok {
		return a
	}
	a := g.fresh(fmt.Sprintf("execspecNative%d", len(g.aliases)))
	g.aliases[path] = a
	return a
}

// fresh returns name, or name with a suffix, unused by the package.
func (g *generator) fresh(name string) string {
	for i := 0; ; i++ {
		n := name
		if i > 0 {
			n = fmt.Sprintf("%s_%d", name, i)
		}
		if !g.taken[n] {
			g.taken[n] = true
			return n
		}
	}
}

func (g *generator) source(pkgName string) ([]byte, error) {
	machine := g.fresh("execspecMachine")
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by execspec; DO NOT EDIT.\n\n//go:build !%s\n\npackage %s\n\nimport (\n", BuildTag, pkgName)
	fmt.Fprintf(&b, "\t%s %q\n", machine, machinePath)
	paths := make([]string, 0, len(g.aliases))
	for p := range g.aliases {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%s %q\n", g.aliases[p], p)
	}
	b.WriteString(")\n\n// The package's maps and slices, copied, compared, encoded and decoded\n// by code compiled for their types (see machine.NativeMap).\nfunc init() {\n")
	for _, r := range g.regs {
		fmt.Fprintf(&b, "\t%s.%s[%s]()\n", machine, r.fn, r.typ)
	}
	b.WriteString("}\n")
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the generated file: %w", err)
	}
	return out, nil
}
