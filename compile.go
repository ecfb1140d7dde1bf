package execspec

import (
	"errors"
	"fmt"

	"github.com/execspec/execspec/internal/core"
)

// Package machine compiles models through core.Compile: the root package
// keeps a model's definition unexported, so that its exported surface is
// the authoring API only, and hands it over here.
func init() { core.Compile = compileModel }

// compiler is implemented by every *Model[S].
type compiler interface {
	compileAny() (any, error)
}

// compileModel compiles m, a *Model[S], into a *core.Model[S, Ctx[S]].
func compileModel(m any) (any, error) {
	c, ok := m.(compiler)
	if !ok {
		return nil, fmt.Errorf("execspec: %T is not a *Model", m)
	}
	return c.compileAny()
}

func (m *Model[S]) compileAny() (any, error) {
	if m == nil {
		return nil, errors.New("execspec: nil *Model")
	}
	def, err := m.compile()
	if err != nil {
		return nil, err
	}
	return def, nil
}
