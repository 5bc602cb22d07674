// Package layers holds one test: the import graph of the module against the
// layering that README's "Layers" table declares. A package may import only
// packages of strictly lower layers, so the graph has no cycle and nothing
// imports upward; the few rules the layering alone cannot say (who may use
// the web UI) are checked beside it. The table is the one source: a package
// moved or added without a row in it fails here.
package layers

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lurewatch/lure"

// root returns the module's directory.
func root(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// readLayers parses README's "## Layers" table: rows of
// `| N | pkg, pkg/... |`, where a trailing "/..." covers every package below.
func readLayers(t *testing.T, readme string) map[string]int {
	t.Helper()
	f, err := os.Open(readme)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	layers := map[string]int{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = line == "## Layers"
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 2 {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(cells[0]))
		if err != nil {
			continue // header and separator rows
		}
		for _, p := range strings.Split(cells[1], ",") {
			p = strings.Trim(strings.TrimSpace(p), "`")
			if p == "" {
				continue
			}
			if _, dup := layers[p]; dup {
				t.Errorf("README Layers: %s listed twice", p)
			}
			layers[p] = n
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(layers) == 0 {
		t.Fatalf("%s has no \"## Layers\" table", readme)
	}
	return layers
}

// layerOf finds pkg's layer: an exact row, or the longest "dir/..." row
// that covers it.
func layerOf(layers map[string]int, pkg string) (int, bool) {
	if n, ok := layers[pkg]; ok {
		return n, true
	}
	best, found := -1, false
	bestLen := -1
	for p, n := range layers {
		dir, ok := strings.CutSuffix(p, "/...")
		if !ok || (pkg != dir && !strings.HasPrefix(pkg, dir+"/")) {
			continue
		}
		if len(dir) > bestLen {
			best, bestLen, found = n, len(dir), true
		}
	}
	return best, found
}

// imports lists every package of the module with its imports inside the
// module. Tests are left out: a test may use a package above its own (the
// pipeline suite runs the binary app wires), and the go command already
// refuses the cycles that would make.
func imports(t *testing.T, dir string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f",
		`{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		from := rel(fields[0])
		var to []string
		for _, imp := range fields[1:] {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				to = append(to, rel(imp))
			}
		}
		graph[from] = to
	}
	return graph
}

func rel(path string) string {
	if path == module {
		return "."
	}
	return strings.TrimPrefix(path, module+"/")
}

func TestImportsFollowLayers(t *testing.T) {
	dir := root(t)
	layers := readLayers(t, filepath.Join(dir, "README.md"))
	graph := imports(t, dir)
	pkgs := make([]string, 0, len(graph))
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, from := range pkgs {
		lf, ok := layerOf(layers, from)
		if !ok {
			t.Errorf("package %s has no row in README's Layers table", from)
			continue
		}
		for _, to := range graph[from] {
			if to == from {
				continue
			}
			lt, ok := layerOf(layers, to)
			if !ok {
				continue // reported as its own package above
			}
			if lt >= lf {
				t.Errorf("%s (layer %d) imports %s (layer %d): only lower layers may be imported", from, lf, to, lt)
			}
		}
	}
}

// TestOnlyWiringUsesTheDashboard: the web UI is reached through app's
// wiring; commands and features do not import it. The browser tests' seed
// server and the benchmark harness (its 50-user dashboard row) are the
// other users, serving the real dashboard over seeded data.
func TestOnlyWiringUsesTheDashboard(t *testing.T) {
	allowed := map[string]bool{"app": true, "tests/browser/server": true, "dashboard": true, "scripts/bench": true}
	for from, tos := range imports(t, root(t)) {
		for _, to := range tos {
			if to == "dashboard" && !allowed[from] {
				t.Errorf("%s imports dashboard; only app wires it", from)
			}
		}
	}
}

// TestNetworksDoNotNeedTheClassifier: linking ads into networks needs the
// shared normaliser, not the scorer.
func TestNetworksDoNotNeedTheClassifier(t *testing.T) {
	for from, tos := range imports(t, root(t)) {
		if from != "network" {
			continue
		}
		for _, to := range tos {
			if to == "classifier" {
				t.Errorf("network imports classifier; it should use textnorm")
			}
		}
	}
}
