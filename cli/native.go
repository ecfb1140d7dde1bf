package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/execspec/execspec/internal/atomicfile"
	"github.com/execspec/execspec/internal/nativegen"
)

// Native code for a model's maps and slices: the runner's build adds, to
// the model package (through the overlay, so nothing is written into the
// user's tree), a generated file that registers every map and slice type
// the package's type declarations spell out with machine.NativeMap and
// machine.NativeSlice. `execspec native` writes the same file into the
// package, for models checked from go test.

// errForeignNative says that the package has a file by the generated
// file's name that execspec did not write.
var errForeignNative = errors.New("not written by execspec")

// nativeSource returns the generated registrations for the package, or
// nil when it declares no map or slice types. It refuses a package whose
// file of that name was not written by execspec: replacing it would lose
// the user's code.
func nativeSource(info *pkgInfo) ([]byte, error) {
	var files []nativegen.File
	for _, name := range info.GoFiles {
		src, err := os.ReadFile(filepath.Join(info.Dir, name))
		if err != nil {
			return nil, err
		}
		if name == nativegen.FileName {
			if !nativegen.IsGenerated(src) {
				return nil, fmt.Errorf("%s: %w; rename it, so that execspec may generate its own", filepath.Join(info.Dir, name), errForeignNative)
			}
			continue // an earlier `execspec native`'s: replaced
		}
		files = append(files, nativegen.File{Name: name, Src: src})
	}
	return nativegen.Generate(info.Name, files)
}

const nativeUsage = `Usage: execspec native [PACKAGE] [flags]

Writes ` + nativegen.FileName + ` into the model package: an init function
that registers every map and slice type the package's type declarations
spell out, so that the engines copy, compare, encode and decode them with
code compiled for their types instead of through reflection. It changes
speed, never a result.

execspec run, check, replay and explore do this themselves, without writing
into the package; the file is for models checked as a library (check.Run or
check.Test from go test). Regenerate it when the state types change, for
example with a //go:generate execspec native line; build with
-tags ` + nativegen.BuildTag + ` to leave it out.

Flags:
`

func cmdNative(args []string, env Env) int {
	pkg, rest := splitPackage(args)
	fs := newFrontFlags("native", env)
	out := fs.String("o", "", "write the file here instead (- for standard output)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), nativeUsage)
		printFlags(fs.Output(), fs)
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "execspec native: one package at most, got %q\n", append([]string{pkg}, fs.Args()...))
		return ExitUsage
	}
	info, err := listPackage(pkg, env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec native: %v\n", err)
		return ExitUsage
	}
	src, err := nativeSource(info)
	if err != nil {
		fmt.Fprintf(env.Stderr, "execspec native: package %s: %v\n", pkg, err)
		return ExitUsage
	}
	if src == nil {
		fmt.Fprintf(env.Stderr, "execspec native: package %s declares no map or slice types; nothing to write\n", pkg)
		return ExitOK
	}
	switch *out {
	case "-":
		if _, err := env.Stdout.Write(src); err != nil {
			fmt.Fprintf(env.Stderr, "execspec native: %v\n", err)
			return ExitUsage
		}
		return ExitOK
	case "":
		*out = filepath.Join(info.Dir, nativegen.FileName)
	default:
		if !filepath.IsAbs(*out) {
			*out = filepath.Join(env.Dir, *out)
		}
	}
	if err := atomicfile.Write(*out, src, 0o644); err != nil {
		fmt.Fprintf(env.Stderr, "execspec native: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", *out)
	return ExitOK
}
