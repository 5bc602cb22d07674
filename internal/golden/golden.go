// Package golden compares test output with golden files under testdata/,
// and rewrites them when the tests run with -update. It is a test helper
// shared by the packages whose expected output is long (extracted ads,
// notice documents, lure score --explain, eval reports); nothing in
// production imports it.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Check compares got with the file testdata/name (a slash-separated path
// below the test's package directory), or rewrites that file when the
// tests run with -update. A difference fails the test with a line diff.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (-want +got; go test -update rewrites it):\n%s", path, Diff(string(want), string(got)))
	}
}

// Diff shows the lines that differ between want and got, marked - and
// +, with two unchanged lines around each change and the line number in
// want where each run of changes starts.
func Diff(want, got string) string {
	a, b := lines(want), lines(got)
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		mark byte
		line string
		at   int // line number in want
	}
	var ops []op
	for i, j := 0, 0; i < len(a) || j < len(b); {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{' ', a[i], i + 1})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', a[i], i + 1})
			i++
		default:
			ops = append(ops, op{'+', b[j], i + 1})
			j++
		}
	}
	const context = 2
	keep := make([]bool, len(ops))
	for k, o := range ops {
		if o.mark != ' ' {
			for m := max(k-context, 0); m <= min(k+context, len(ops)-1); m++ {
				keep[m] = true
			}
		}
	}
	var out strings.Builder
	for k, o := range ops {
		if !keep[k] {
			continue
		}
		if k == 0 || !keep[k-1] {
			fmt.Fprintf(&out, "@@ line %d @@\n", o.at)
		}
		line, nl := strings.CutSuffix(o.line, "\n")
		if !nl {
			line += " (no newline at end)"
		}
		fmt.Fprintf(&out, "%c %s\n", o.mark, line)
	}
	return out.String()
}

// lines splits s after each newline; a final newline starts no empty line.
func lines(s string) []string {
	l := strings.SplitAfter(s, "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}
