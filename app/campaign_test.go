package app

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSiteCountries(t *testing.T) {
	got := siteCountries("")
	if got["rabota-md"] != "MD" || got["doska-ua"] != "UA" {
		t.Errorf("embedded profiles: %v", got)
	}
	if got := siteCountries(filepath.Join(t.TempDir(), "missing")); len(got) != 0 {
		t.Errorf("missing directory: %v", got)
	}
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "crawler", "sites", "rabota-md.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rabota-md.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := siteCountries(dir); len(got) != 1 || got["rabota-md"] != "MD" {
		t.Errorf("--sites directory: %v", got)
	}
}

func TestSitePlatforms(t *testing.T) {
	got := sitePlatforms("")
	if p := got["rabota-md"]; p.Name != "Rabota.md" || p.Contact != "notices@rabota-md.example" {
		t.Errorf("rabota-md: %+v", p)
	}
	if p := got["doska-ua"]; p.Name == "" || p.Contact == "" {
		t.Errorf("doska-ua: %+v", p)
	}
	if got := sitePlatforms(filepath.Join(t.TempDir(), "missing")); len(got) != 0 {
		t.Errorf("missing directory: %v", got)
	}
}
