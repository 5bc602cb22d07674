package demo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html/charset"
)

func fetch(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestClassifiedsWindows1251(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	resp, raw := fetch(t, srv.Client(), srv.URL+AdPath("doska-ua", "hostes-turechchyna"))
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=windows-1251" {
		t.Fatalf("Content-Type %q", ct)
	}
	if strings.Contains(raw, "Хостес") {
		t.Fatal("page is UTF-8, want windows-1251 bytes")
	}
	r, err := charset.NewReader(strings.NewReader(raw), resp.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if !strings.Contains(string(b), "Хостес у нічний клуб") {
		t.Errorf("decoded page lacks the title: %.300s", b)
	}
}

func TestClassifiedsCategoriesAndTrap(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	// A real category ends; the trap never does.
	seen := 0
	path := CategoryPath("doska-ua", "posluhy", 1)
	for n := 0; path != ""; n++ {
		if n > 10 {
			t.Fatal("category pagination does not end")
		}
		code, doc := get(t, srv.URL, path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		seen += doc.Find("div.obj a.obj__title").Length()
		path, _ = doc.Find("a.next-page").Attr("href")
	}
	if seen != 7 {
		t.Errorf("posluhy lists %d ads, want 7", seen)
	}
	code, doc := get(t, srv.URL, CategoryPath("doska-ua", "arhiv", 5000))
	if code != 200 {
		t.Fatalf("trap page: %d", code)
	}
	if next, _ := doc.Find("a.next-page").Attr("href"); next != CategoryPath("doska-ua", "arhiv", 5001) {
		t.Errorf("trap next = %q", next)
	}
}

func TestChannelPages(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	ads, _ := SiteAds("tg-kordon")
	posts, pages := 0, 0
	path := ChannelPath("tg-kordon", "kordon_rabota", 0)
	for path != "" {
		pages++
		if pages > 10 {
			t.Fatal("channel pagination does not end")
		}
		code, doc := get(t, srv.URL, path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		posts += doc.Find(".tgme_widget_message_wrap .tgme_widget_message[data-post]").Length()
		path, _ = doc.Find(`link[rel="prev"]`).Attr("href")
	}
	if posts != len(ads) {
		t.Errorf("channel shows %d posts over %d pages, want %d", posts, pages, len(ads))
	}
}

func TestBrokenPages(t *testing.T) {
	SlowDelay = 300 * time.Millisecond
	defer func() { SlowDelay = 8 * time.Second }()
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	c := srv.Client()
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("loop")
		}
		return nil
	}
	t.Run("error", func(t *testing.T) {
		resp, _ := fetch(t, c, srv.URL+AdPath("doska-ua", "kasyr-supermarket-500"))
		if resp.StatusCode != 500 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	})
	t.Run("binary", func(t *testing.T) {
		resp, body := fetch(t, c, srv.URL+AdPath("doska-ua", "pryybyralnytsia-ofis-binary"))
		if resp.Header.Get("Content-Type") != "image/png" || !strings.Contains(body, "\x00") {
			t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
		}
	})
	t.Run("redirect loop", func(t *testing.T) {
		_, err := c.Get(srv.URL + ProfilePath("svaha-intl", "svaha-redirect-loop"))
		if err == nil || !strings.Contains(err.Error(), "loop") {
			t.Errorf("err = %v, want a redirect loop", err)
		}
	})
	t.Run("missing title", func(t *testing.T) {
		_, doc := get(t, srv.URL, ProfilePath("svaha-intl", "svaha-missing-title"))
		if doc.Find("h2.profile__headline").Length() != 0 || doc.Find(".profile__about").Length() != 1 {
			t.Error("missing-title page has a title or lacks its body")
		}
	})
	t.Run("malformed", func(t *testing.T) {
		_, raw := fetch(t, c, srv.URL+AdPath("rabota-md", "vanzator-malformed"))
		if strings.Contains(raw, "</p>") || !strings.Contains(raw, "<b><i>") {
			t.Error("malformed page is well formed")
		}
		_, doc := get(t, srv.URL, AdPath("rabota-md", "vanzator-malformed"))
		if !strings.Contains(doc.Find("article.ad-view h1.ad-title").Text(), "Vânzător") {
			t.Error("malformed page lost its title")
		}
	})
	t.Run("slow", func(t *testing.T) {
		start := time.Now()
		resp, _ := fetch(t, c, srv.URL+AdPath("doska-ua", "barmen-kharkiv-slow"))
		if resp.StatusCode != 200 || time.Since(start) < SlowDelay {
			t.Errorf("status %d after %v", resp.StatusCode, time.Since(start))
		}
	})
	t.Run("huge stops when the client goes", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+ProfilePath("svaha-intl", "svaha-huge-page"), nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.ContentLength != -1 {
			t.Errorf("Content-Length %d, want none", resp.ContentLength)
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		cancel()
		resp.Body.Close()
		if n != 1<<20 {
			t.Errorf("read %d bytes", n)
		}
	})
}

func TestIndexLinksEverySite(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	_, doc := get(t, srv.URL, "/")
	links := doc.Find("ul.sites a")
	sites, err := Sites()
	if err != nil {
		t.Fatal(err)
	}
	if links.Length() != len(sites) || len(sites) != 6 {
		t.Errorf("index links %d sites of %d, want 6", links.Length(), len(sites))
	}
	for i := range links.Length() {
		href, _ := links.Eq(i).Attr("href")
		if code, _ := get(t, srv.URL, href); code != 200 {
			t.Errorf("index link %s: status %d", href, code)
		}
	}
}
