package crawler

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

func xmlTestTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// readSitemapFile reads a sitemap from testdata/sitemap and collects its
// entries.
func readSitemapFile(t *testing.T, name string) ([]SitemapEntry, bool, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sitemap", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []SitemapEntry
	index, err := ReadSitemap(f, func(e SitemapEntry) error {
		got = append(got, e)
		return nil
	})
	return got, index, err
}

func TestReadSitemap(t *testing.T) {
	urlset := []SitemapEntry{
		{Loc: "https://jobs.example/vacancy/1", LastMod: xmlTestTime("2026-11-02T00:00:00Z")},
		{Loc: "https://jobs.example/vacancy/2?lang=ru&city=chisinau", LastMod: xmlTestTime("2026-11-03T08:15:30Z")},
		{Loc: "https://jobs.example/vacancy/3?a=1&b=2", LastMod: xmlTestTime("2026-11-01T00:00:00Z")},
		{Loc: "https://jobs.example/vacancy/4"},
		{Loc: "https://jobs.example/vacancy/5", LastMod: xmlTestTime("2026-11-05T08:00:00Z")},
		{Loc: "https://jobs.example/vacancy/6", LastMod: xmlTestTime("2026-11-06T08:00:01.5Z")},
	}
	tests := []struct {
		file  string
		index bool
		want  []SitemapEntry
		err   error // wrapped by the error; nil for success
		// prefix: entries are a prefix of want, shorter than it (how many
		// a truncated gzip stream yields depends on its blocks).
		prefix bool
	}{
		{file: "urlset.xml", want: urlset},
		{file: "urlset-gzipped.xml", want: urlset},
		{file: "prefixed.xml", want: []SitemapEntry{
			{Loc: "https://agency.example/profile/anna", LastMod: xmlTestTime("2026-01-01T00:00:00Z")},
			{Loc: "https://agency.example/profile/olga"},
		}},
		{file: "bom.xml", want: []SitemapEntry{
			{Loc: "https://jobs.example/%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D0%B0"},
			{Loc: "https://jobs.example/работа/2"},
		}},
		{file: "index.xml.gz", index: true, want: []SitemapEntry{
			{Loc: "https://jobs.example/sitemaps/child-1.xml.gz", LastMod: xmlTestTime("2026-12-01T00:00:00Z"), Sitemap: true},
			{Loc: "https://jobs.example/sitemaps/child-2.xml.gz", Sitemap: true},
		}},
		{file: "longloc.xml", want: []SitemapEntry{
			{Loc: "https://jobs.example/ok/1"},
			{Loc: "https://jobs.example/ok/2"},
		}},
		{file: "malformed.xml", err: ErrBadSitemap, want: []SitemapEntry{
			{Loc: "https://jobs.example/m/1"},
			{Loc: "https://jobs.example/m/2"},
		}},
		{file: "truncated.xml", err: ErrBadSitemap, want: []SitemapEntry{
			{Loc: "https://jobs.example/t/1"},
			{Loc: "https://jobs.example/t/2"},
		}},
		{file: "truncated.xml.gz", err: io.ErrUnexpectedEOF, want: urlset, prefix: true},
		{file: "unknown-entity.xml", err: ErrBadSitemap, want: []SitemapEntry{
			{Loc: "https://jobs.example/e/1"},
		}},
		{file: "wrongroot.html", err: ErrBadSitemap},
		{file: "robots.txt", err: ErrBadSitemap},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, index, err := readSitemapFile(t, tt.file)
			if tt.err == nil && err != nil {
				t.Fatalf("error %v", err)
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want one wrapping %v", err, tt.err)
			}
			if tt.err != nil && !errors.Is(err, ErrBadSitemap) {
				t.Errorf("error %v does not wrap ErrBadSitemap", err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "crawler: sitemap: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if index != tt.index {
				t.Errorf("index = %v, want %v", index, tt.index)
			}
			if tt.prefix && len(got) < len(tt.want) {
				tt.want = tt.want[:len(got)]
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entries\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestReadSitemapNestedIndex follows a gzip index to its gzip children,
// as a crawl does.
func TestReadSitemapNestedIndex(t *testing.T) {
	children, index, err := readSitemapFile(t, "index.xml.gz")
	if err != nil || !index {
		t.Fatalf("index: %v, %v", index, err)
	}
	var got []string
	for _, c := range children {
		entries, index, err := readSitemapFile(t, path.Base(c.Loc))
		if err != nil || index {
			t.Fatalf("%s: index %v, %v", c.Loc, index, err)
		}
		for _, e := range entries {
			got = append(got, e.Loc)
		}
	}
	want := []string{"https://jobs.example/c1/a", "https://jobs.example/c1/b", "https://jobs.example/c2/a"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestReadSitemapFnError(t *testing.T) {
	stop := errors.New("stop")
	f, err := os.Open("testdata/sitemap/urlset.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	_, err = ReadSitemap(f, func(SitemapEntry) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("error %v, want the callback's error as is", err)
	}
	if n != 2 {
		t.Errorf("callback called %d times after its error, want it to stop at 2", n)
	}
}

// xmlFailingReader returns data, then err.
type xmlFailingReader struct {
	data []byte
	err  error
}

func (f *xmlFailingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadSitemapReadError(t *testing.T) {
	broken := errors.New("connection reset")
	for _, gz := range []bool{false, true} {
		data := []byte(`<urlset><url><loc>https://jobs.example/1</loc></url><url><loc>https://jo`)
		if gz {
			// Only the first half of the compressed stream arrives.
			// It is large enough for the decompressor to have flushed
			// some entries by then.
			var b bytes.Buffer
			b.WriteString("<urlset>")
			for i := range 5000 {
				fmt.Fprintf(&b, "<url><loc>https://jobs.example/%d</loc></url>", i)
			}
			c := xmlGzip(t, b.Bytes())
			data = c[:len(c)/2]
		}
		n := 0
		_, err := ReadSitemap(&xmlFailingReader{data: data, err: broken}, func(SitemapEntry) error { n++; return nil })
		if !errors.Is(err, broken) || errors.Is(err, ErrBadSitemap) {
			t.Errorf("gzip %v: error %v, want the read error, not ErrBadSitemap", gz, err)
		}
		if n == 0 {
			t.Errorf("gzip %v: no entry delivered before the read error", gz)
		}
	}
}

func xmlGzip(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadSitemapTooManyEntries(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := range MaxSitemapEntries + 10 {
		fmt.Fprintf(&b, "<url><loc>https://jobs.example/v/%d</loc></url>\n", i)
	}
	b.WriteString(`</urlset>`)
	n := 0
	_, err := ReadSitemap(bytes.NewReader(xmlGzip(t, b.Bytes())), func(SitemapEntry) error { n++; return nil })
	if !errors.Is(err, ErrBadSitemap) || !errors.Is(err, errXMLTooMany) {
		t.Errorf("error %v, want too many entries", err)
	}
	if n != MaxSitemapEntries {
		t.Errorf("%d entries delivered, want the first %d", n, MaxSitemapEntries)
	}
}

// bombWriter writes a urlset of one entry followed by more than
// MaxSitemapBytes of padding elements.
func writeSitemapBomb(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(`<urlset><url><loc>https://jobs.example/first</loc></url>`)
	pad := "<x>" + strings.Repeat(" ", 64<<10) + "</x>"
	for n := 0; n <= MaxSitemapBytes; n += len(pad) {
		bw.WriteString(pad)
	}
	bw.WriteString(`<url><loc>https://jobs.example/after</loc></url></urlset>`)
	return bw.Flush()
}

func TestReadSitemapGzipBomb(t *testing.T) {
	var c bytes.Buffer
	w, _ := gzip.NewWriterLevel(&c, gzip.BestCompression)
	if err := writeSitemapBomb(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if c.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes compressed; expected a high ratio", c.Len())
	}
	var got []string
	_, err := ReadSitemap(&c, func(e SitemapEntry) error { got = append(got, e.Loc); return nil })
	if !errors.Is(err, ErrBadSitemap) || !errors.Is(err, errXMLTooLarge) {
		t.Errorf("error %v, want too large", err)
	}
	if !reflect.DeepEqual(got, []string{"https://jobs.example/first"}) {
		t.Errorf("entries %v, want only the one before the limit", got)
	}
}

func TestReadSitemapExactLimit(t *testing.T) {
	build := func(size int) []byte {
		head := `<urlset><url><loc>https://jobs.example/a</loc></url>`
		tail := `<url><loc>https://jobs.example/z</loc></url></urlset>`
		var b bytes.Buffer
		b.WriteString(head)
		pad := "<x>" + strings.Repeat(" ", 4096) + "</x>"
		for b.Len()+len(pad)+len(tail) <= size {
			b.WriteString(pad)
		}
		b.WriteString(strings.Repeat(" ", size-b.Len()-len(tail)))
		b.WriteString(tail)
		return b.Bytes()
	}
	for _, size := range []int{MaxSitemapBytes, MaxSitemapBytes + 1} {
		var got []string
		_, err := ReadSitemap(bytes.NewReader(build(size)), func(e SitemapEntry) error { got = append(got, e.Loc); return nil })
		if size <= MaxSitemapBytes {
			if err != nil || len(got) != 2 {
				t.Errorf("a file of %d bytes: %v, %v", size, got, err)
			}
		} else if !errors.Is(err, errXMLTooLarge) || len(got) != 2 {
			// The last entry ends before the limit; </urlset> does not.
			t.Errorf("a file of %d bytes: %v, %v; want too large after both entries", size, got, err)
		}
	}
}

func TestReadSitemapLongTextRun(t *testing.T) {
	doc := `<urlset><url><loc>https://jobs.example/a</loc></url><url><loc>https://jobs.example/` +
		strings.Repeat("b", maxSitemapTextRun+1) + `</loc></url></urlset>`
	var got []string
	_, err := ReadSitemap(strings.NewReader(doc), func(e SitemapEntry) error { got = append(got, e.Loc); return nil })
	if !errors.Is(err, ErrBadSitemap) || !errors.Is(err, errXMLTextRun) {
		t.Errorf("error %v, want text run too long", err)
	}
	if len(got) != 1 {
		t.Errorf("entries %v, want the first", got)
	}
}

func TestParseW3CTime(t *testing.T) {
	tests := map[string]string{
		"2026":                          "2026-01-01T00:00:00Z",
		"2026-03":                       "2026-03-01T00:00:00Z",
		"2026-03-04":                    "2026-03-04T00:00:00Z",
		" 2026-03-04T05:06+01:00 ":      "2026-03-04T04:06:00Z",
		"2026-03-04T05:06:07Z":          "2026-03-04T05:06:07Z",
		"2026-03-04T05:06:07.123-05:00": "2026-03-04T10:06:07.123Z",
		"2026-03-04T05:06:07+0300":      "2026-03-04T02:06:07Z",
		"2026-03-04T05:06:07":           "2026-03-04T05:06:07Z",
		"2026-03-04 05:06:07":           "2026-03-04T05:06:07Z",
		"":                              "",
		"yesterday":                     "",
		"2026-13-01":                    "",
		"04.03.2026":                    "",
	}
	for in, want := range tests {
		got := parseW3CTime(in)
		var w time.Time
		if want != "" {
			w = xmlTestTime(want)
		}
		if !got.Equal(w) {
			t.Errorf("parseW3CTime(%q) = %v, want %v", in, got, w)
		}
	}
}

func TestRobotsSitemaps(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"robots.txt", []string{
			"https://jobs.example/sitemap.xml",
			"https://jobs.example/sitemap-news.xml",
			"https://Other.example/sitemap_index.xml.gz",
			"http://jobs.example/tab.xml",
		}},
		{"robots-cr.txt", []string{
			"https://jobs.example/cr-1.xml",
			"https://jobs.example/cr-2.xml",
			"https://jobs.example/cr-3.xml",
		}},
		{"../site/robots.txt", nil},
	}
	for _, tt := range tests {
		f, err := os.Open(filepath.Join("testdata", "sitemap", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := RobotsSitemaps(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.file, got, tt.want)
		}
	}
}

func TestRobotsSitemapsLimits(t *testing.T) {
	var b strings.Builder
	for i := range maxRobotsSitemaps + 50 {
		fmt.Fprintf(&b, "Sitemap: https://jobs.example/s%d.xml\n", i)
	}
	got, err := RobotsSitemaps(strings.NewReader(b.String()))
	if err != nil || len(got) != maxRobotsSitemaps || got[maxRobotsSitemaps-1] != fmt.Sprintf("https://jobs.example/s%d.xml", maxRobotsSitemaps-1) {
		t.Errorf("%d URLs, %v; want the first %d", len(got), err, maxRobotsSitemaps)
	}

	// A sitemap line past 512 KiB is not read; the one cut by the limit is
	// dropped rather than returned truncated.
	b.Reset()
	b.WriteString("Sitemap: https://jobs.example/first.xml\n")
	for b.Len() < maxRobotsSitemapBytes-30 {
		b.WriteString("Disallow: /private/\n")
	}
	b.WriteString("Sitemap: https://jobs.example/cut-by-the-limit.xml\nSitemap: https://jobs.example/late.xml\n")
	got, err = RobotsSitemaps(strings.NewReader(b.String()))
	if err != nil || !reflect.DeepEqual(got, []string{"https://jobs.example/first.xml"}) {
		t.Errorf("got %q, %v; want only the first", got, err)
	}

	broken := errors.New("connection reset")
	if _, err := RobotsSitemaps(&xmlFailingReader{data: []byte("Sitemap: https://a.example/\n"), err: broken}); !errors.Is(err, broken) {
		t.Errorf("read error %v, want it wrapped", err)
	}
}

// writeTestURLSet writes a urlset of n URLs with paths of about pathLen bytes.
func writeTestURLSet(w io.Writer, prefix string, n, pathLen int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	pad := strings.Repeat("p", max(0, pathLen))
	for i := range n {
		fmt.Fprintf(bw, "<url><loc>%s/%s/%d</loc><lastmod>2026-11-%02dT10:00:00+02:00</lastmod><changefreq>daily</changefreq></url>\n",
			prefix, pad, i, i%28+1)
	}
	bw.WriteString("</urlset>\n")
	return bw.Flush()
}

// TestReadSitemapMemoryBounded reads a 50,000-URL sitemap of about 11 MB
// and checks that the live heap during the read stays below 4 MB above
// what it was before. A reader that kept the document, or only the
// entries' URLs (about 9.5 MB of them), would exceed it; a streaming one
// keeps a few buffers (bufio, the decoder's token buffers, one entry) of
// some tens of kilobytes.
func TestReadSitemapMemoryBounded(t *testing.T) {
	name := filepath.Join(t.TempDir(), "sitemap.xml")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeTestURLSet(f, "https://jobs.example/vacancies", MaxSitemapEntries, 160); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(name)
	if st.Size() < 10<<20 {
		t.Fatalf("sitemap is %d bytes; the bound needs one larger than it", st.Size())
	}
	const bound = 4 << 20
	if f, err = os.Open(name); err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	var peak uint64
	sample := func() {
		runtime.GC()
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
	}
	n, locBytes := 0, 0
	_, err = ReadSitemap(f, func(e SitemapEntry) error {
		n++
		locBytes += len(e.Loc)
		if n%5000 == 0 {
			sample()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != MaxSitemapEntries || locBytes < 9<<20 {
		t.Fatalf("%d entries, %d bytes of URLs", n, locBytes)
	}
	growth := int64(peak) - int64(before)
	t.Logf("live heap growth during the read: %d KB", growth>>10)
	if growth > bound {
		t.Errorf("live heap grew by %d bytes during the read, bound %d", growth, bound)
	}
}

// sitemapBenchFiles is a generated gzip sitemap index of 4 gzip sitemaps of
// 50,000 URLs each, built once.
var sitemapBenchFiles = sync.OnceValue(func() map[string][]byte {
	files := map[string][]byte{}
	var idx bytes.Buffer
	idx.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := range 4 {
		name := fmt.Sprintf("sitemap-%d.xml.gz", i)
		fmt.Fprintf(&idx, "<sitemap><loc>https://jobs.example/%s</loc><lastmod>2026-12-01</lastmod></sitemap>", name)
		var c bytes.Buffer
		w := gzip.NewWriter(&c)
		if err := writeTestURLSet(w, fmt.Sprintf("https://jobs.example/c%d/vacancy", i), MaxSitemapEntries, 40); err != nil {
			panic(err)
		}
		if err := w.Close(); err != nil {
			panic(err)
		}
		files[name] = c.Bytes()
	}
	idx.WriteString(`</sitemapindex>`)
	var c bytes.Buffer
	w := gzip.NewWriter(&c)
	w.Write(idx.Bytes())
	w.Close()
	files["sitemap-index.xml.gz"] = c.Bytes()
	return files
})

// BenchmarkReadSitemapIndex200k reads a gzip sitemap index and its 4 gzip
// children of 50,000 URLs each from files, and reports the URLs read per
// second and the peak HeapInuse seen during the reads (sampled every
// 5 ms by a goroutine and after each child). The peak includes the
// benchmark's own heap: the test binary and the generated files (about
// 3 MB of gzip) held for writing them out, reported as base-MB (HeapInuse
// after a GC before the reads).
func BenchmarkReadSitemapIndex200k(b *testing.B) {
	dir := b.TempDir()
	for name, data := range sitemapBenchFiles() {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	read := func(name string, fn func(SitemapEntry) error) bool {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		index, err := ReadSitemap(f, fn)
		if err != nil {
			b.Fatal(err)
		}
		return index
	}
	// HeapInuse is the sum of these two, read without stopping the world
	// (runtime.ReadMemStats would, and every 5 ms that slows the reads).
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	var peak atomic.Uint64
	sample := func() {
		s := slices.Clone(samples)
		metrics.Read(s)
		inuse := s[0].Value.Uint64() + s[1].Value.Uint64()
		for p := peak.Load(); inuse > p && !peak.CompareAndSwap(p, inuse); p = peak.Load() {
		}
	}
	runtime.GC()
	sample()
	base := peak.Load()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	urls := 0
	for b.Loop() {
		var children []string
		if !read("sitemap-index.xml.gz", func(e SitemapEntry) error {
			children = append(children, path.Base(e.Loc))
			return nil
		}) {
			b.Fatal("not an index")
		}
		for _, c := range children {
			read(c, func(e SitemapEntry) error {
				if !utf8.ValidString(e.Loc) {
					b.Fatal("bad loc")
				}
				urls++
				return nil
			})
			sample()
		}
	}
	close(done)
	wg.Wait()
	if urls != b.N*4*MaxSitemapEntries {
		b.Fatalf("read %d URLs in %d rounds", urls, b.N)
	}
	b.ReportMetric(float64(urls)/b.Elapsed().Seconds(), "urls/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MB")
	b.ReportMetric(float64(base)/(1<<20), "base-MB")
}

// xmlFuzzSeeds adds the files of testdata/dir as fuzz seeds.
func xmlFuzzSeeds(f *testing.F, dir string) {
	f.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no seeds in testdata/%s: %v", dir, err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzReadSitemap feeds arbitrary bytes to ReadSitemap: it must not
// panic, must deliver at most MaxSitemapEntries entries with a non-empty,
// trimmed, valid UTF-8 loc of at most MaxSitemapLocBytes, and must fail
// only with ErrBadSitemap.
func FuzzReadSitemap(f *testing.F) {
	xmlFuzzSeeds(f, "sitemap")
	f.Add([]byte(`<urlset><url><loc>https://a.example/</loc><lastmod>2026-01-02T03:04:05+01:00</lastmod></url></urlset>`))
	f.Add([]byte(`<?xml version="1.0" encoding="koi8-r"?><sitemapindex><sitemap><loc>https://a.example/s.xml</loc></sitemap></sitemapindex>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		_, err := ReadSitemap(bytes.NewReader(data), func(e SitemapEntry) error {
			n++
			if e.Loc == "" || e.Loc != strings.TrimSpace(e.Loc) || len(e.Loc) > MaxSitemapLocBytes || !utf8.ValidString(e.Loc) {
				t.Fatalf("bad loc %q", e.Loc)
			}
			return nil
		})
		if n > MaxSitemapEntries {
			t.Fatalf("%d entries", n)
		}
		if err != nil && !errors.Is(err, ErrBadSitemap) {
			t.Fatalf("error %v does not wrap ErrBadSitemap", err)
		}
	})
}

// FuzzRobotsSitemaps feeds arbitrary bytes to RobotsSitemaps: it must not
// panic and must return at most 1000 distinct absolute http(s) URLs.
func FuzzRobotsSitemaps(f *testing.F) {
	xmlFuzzSeeds(f, "sitemap")
	f.Add([]byte("Sitemap: https://a.example/s.xml\nsitemap:http://b.example/#x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := RobotsSitemaps(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > maxRobotsSitemaps {
			t.Fatalf("%d URLs", len(got))
		}
		seen := map[string]bool{}
		for _, u := range got {
			if !isAbsHTTPURL(u) || len(u) > MaxSitemapLocBytes || seen[u] {
				t.Fatalf("bad or repeated URL %q", u)
			}
			seen[u] = true
		}
	})
}
