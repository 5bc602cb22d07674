package dashboard

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPINamesEveryRoute checks that the served document is JSON and
// describes every /api/v1 route registered in any source file of the
// package, with its method, and no route that none registers.
func TestOpenAPINamesEveryRoute(t *testing.T) {
	f := newFixture(t, Options{})
	f.as = "" // no authentication needed
	resp, body := f.get(t, "/api/v1/openapi.json")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI  string                                `json:"openapi"`
		Paths    map[string]map[string]json.RawMessage `json:"paths"`
		Webhooks map[string]json.RawMessage            `json:"webhooks"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Webhooks["ad.flagged"] == nil {
		t.Errorf("openapi %q, webhooks %v", doc.OpenAPI, doc.Webhooks)
	}
	route := regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]*)"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	registered := map[string]bool{} // "get /api/v1/…"
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			n++
			method, path := strings.ToLower(m[1]), m[2]
			registered[method+" "+path] = true
			ops, ok := doc.Paths[path]
			if !ok {
				t.Errorf("%s registers %s %s, which openapi.json does not describe: add it to dashboard/openapi.json (paths, parameters, responses, security)", file, m[1], path)
				continue
			}
			if ops[method] == nil {
				t.Errorf("%s registers %s %s, but openapi.json describes %s without its %s operation", file, m[1], path, path, strings.ToLower(m[1]))
			}
		}
	}
	if n < 21 {
		t.Errorf("found only %d routes in the sources; did the registration change?", n)
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				if !registered[method+" "+path] {
					t.Errorf("openapi.json describes %s %s, which no source file registers", strings.ToUpper(method), path)
				}
			}
		}
	}
}
