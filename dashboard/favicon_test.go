package dashboard

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// TestFavicon checks that the icons answer at the site root without a
// login, and that every page links the SVG one.
func TestFavicon(t *testing.T) {
	f := newFixture(t, Options{}, standardAds(t)...)
	get := func(path string) (*http.Response, []byte) { // anonymous
		t.Helper()
		as := f.as
		f.as = ""
		defer func() { f.as = as }()
		resp, body := f.get(t, path)
		return resp, []byte(body)
	}

	resp, svg := get("/favicon.svg")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("GET /favicon.svg = %d %q, want 200 image/svg+xml", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var root struct {
		XMLName xml.Name
		ViewBox string `xml:"viewBox,attr"`
	}
	if err := xml.Unmarshal(svg, &root); err != nil || root.XMLName.Local != "svg" || root.ViewBox == "" {
		t.Errorf("favicon.svg is not an SVG image with a viewBox (%v): %.80q", err, svg)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") == "" {
		t.Errorf("favicon.svg headers %v", resp.Header)
	}

	resp, ico := get("/favicon.ico")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/x-icon" {
		t.Fatalf("GET /favicon.ico = %d %q, want 200 image/x-icon", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// An ICO directory (reserved 0, type 1, at least one image) whose
	// first image is a PNG inside the file.
	if len(ico) < 22 || !bytes.Equal(ico[:4], []byte{0, 0, 1, 0}) || binary.LittleEndian.Uint16(ico[4:]) == 0 {
		t.Fatalf("favicon.ico has no ICO header: % x", ico[:min(len(ico), 22)])
	}
	size, off := binary.LittleEndian.Uint32(ico[14:]), binary.LittleEndian.Uint32(ico[18:])
	if uint64(off)+uint64(size) > uint64(len(ico)) {
		t.Fatalf("favicon.ico image at %d+%d past its %d bytes", off, size, len(ico))
	}
	img, err := png.Decode(bytes.NewReader(ico[off : off+size]))
	if err != nil {
		t.Fatalf("favicon.ico image: %v", err)
	}
	if b := img.Bounds(); b.Dx() != int(ico[6]) || b.Dy() != int(ico[7]) || b.Dx() < 16 {
		t.Errorf("favicon.ico image %v, directory says %dx%d", b, ico[6], ico[7])
	}

	const link = `<link rel="icon" href="/favicon.svg" type="image/svg+xml">`
	if _, login := get("/login"); !strings.Contains(string(login), link) {
		t.Error("the login page does not link the favicon")
	}
	if _, page := f.get(t, "/"); !strings.Contains(page, link) {
		t.Error("the queue does not link the favicon")
	}
}
