package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"
)

// maxStoreMethods bounds what *Store exports: the system of record of ads,
// reviews and statistics. Each feature's own tables (accounts, networks,
// notices, webhooks) are reached through their own small types, so a
// feature that needs three queries does not depend on seventy.
const maxStoreMethods = 40

func TestStoreSurface(t *testing.T) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || len(fn.Recv.List) != 1 {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			if id, ok := star.X.(*ast.Ident); ok && id.Name == "Store" {
				methods = append(methods, fn.Name.Name)
			}
		}
	}
	sort.Strings(methods)
	if len(methods) > maxStoreMethods {
		t.Errorf("*Store exports %d methods (at most %d): %s", len(methods), maxStoreMethods, strings.Join(methods, " "))
	}
}
