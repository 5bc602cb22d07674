package crawler

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/demo"
)

func telegramProfile() Profile {
	return Profile{Site: "tg-test", Type: TypeTelegram, Kind: ad.KindJob, Lang: "ru", BaseURL: "https://t.me", StartURLs: []string{"/s/vakansii_test"}}
}

func TestExtractChannel(t *testing.T) {
	b, err := os.ReadFile("testdata/telegram/channel.html")
	if err != nil {
		t.Fatal(err)
	}
	p := telegramProfile()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 11, 21, 0, 0, 0, 0, time.UTC)
	posts, next, err := p.ExtractChannel("https://t.me/s/vakansii_test", bytes.NewReader(b), now)
	if err != nil {
		t.Fatal(err)
	}
	if next != "https://t.me/s/vakansii_test?before=1001" {
		t.Errorf("next = %q", next)
	}
	if len(posts) != 2 {
		t.Fatalf("got %d posts, want 2 (the photo-only post has no text)", len(posts))
	}
	tests := []struct {
		url, title, bodyHas string
		posted              time.Time
	}{
		{"https://t.me/vakansii_test/1001", "Хостес в Турцию, девушки 18-25", "Пишите @hostes_hr_test 💃",
			time.Date(2025, 11, 20, 8, 15, 0, 0, time.UTC)},
		{"https://t.me/vakansii_test/1003", "", "Второй абзац.", time.Date(2025, 11, 20, 10, 30, 0, 0, time.UTC)},
	}
	for i, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			a := posts[i].Ad
			if a.URL != tt.url || !a.Posted.Equal(tt.posted) || !strings.Contains(a.Body, tt.bodyHas) ||
				a.Site != "tg-test" || a.Kind != ad.KindJob || a.Lang != "ru" || a.ContentHash != a.Hash() || a.Validate() != nil {
				t.Errorf("post %d: %+v", i, a)
			}
			if tt.title != "" && a.Title != tt.title {
				t.Errorf("title %q, want %q", a.Title, tt.title)
			}
			if !bytes.Contains(posts[i].HTML, []byte("tgme_widget_message_wrap")) {
				t.Error("snapshot is not the post's HTML")
			}
		})
	}
	if r := []rune(posts[1].Ad.Title); len(r) > titleRunes || r[len(r)-1] != '…' {
		t.Errorf("long first line not cut to %d runes: %q", titleRunes, posts[1].Ad.Title)
	}
	if !strings.HasPrefix(posts[0].Ad.Body, "Хостес в Турцию, девушки 18-25\nПерелёт и виза в счёт зарплаты.\nПишите") {
		t.Errorf("body lines: %q", posts[0].Ad.Body)
	}
}

func TestTelegramProfileRejectsSelectors(t *testing.T) {
	p := telegramProfile()
	p.List.Item = "li"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "not used by type telegram") {
		t.Errorf("Validate = %v", err)
	}
	p = telegramProfile()
	p.Type = "rss"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "html, telegram, sitemap or feed") {
		t.Errorf("Validate = %v", err)
	}
}

func TestRunDemoChannel(t *testing.T) {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var p Profile
	ps, err := DefaultProfiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ps {
		if x.Site == "tg-kordon" {
			p = x
		}
	}
	p.BaseURL, p.Delay = srv.URL(), 0
	want, _ := demo.SiteAds("tg-kordon")
	sink := &collector{}
	st := openState(t)
	m := NewMetrics(prometheus.NewRegistry())
	opts := Options{Profiles: []Profile{p}, Sink: sink, State: st, Metrics: m}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got := sink.take()
	if len(got) != len(want) {
		t.Errorf("got %d posts, want %d", len(got), len(want))
	}
	titles := map[string]bool{}
	for _, a := range got {
		titles[a.Title] = true
	}
	for _, w := range want {
		if !titles[strings.Join(strings.Fields(w.Title), " ")] {
			t.Errorf("post %s (%q) missing", w.Slug, w.Title)
		}
	}
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if again := sink.take(); len(again) != 0 {
		t.Errorf("second crawl sent %d posts", len(again))
	}
}

func FuzzExtractChannel(f *testing.F) {
	b, err := os.ReadFile("testdata/telegram/channel.html")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="x/1"><div class="tgme_widget_message_text">` + strings.Repeat("<b>", 5000) + `</div></div></div>`))
	f.Add([]byte(`<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="::"><div class="tgme_widget_message_text">t</div><a class="tgme_widget_message_date" href="http://[::1"></a></div></div>`))
	p := telegramProfile()
	now := time.Now()
	f.Fuzz(func(t *testing.T, page []byte) {
		posts, _, err := p.ExtractChannel("https://t.me/s/x", bytes.NewReader(page), now)
		if err != nil {
			return
		}
		if len(posts) > maxPosts {
			t.Fatalf("%d posts", len(posts))
		}
		for _, x := range posts {
			if err := x.Ad.Validate(); err != nil {
				t.Fatalf("invalid ad: %v", err)
			}
		}
	})
}
