// Command server is the browser tests' lure node: it seeds a fresh data
// directory with users and with ads scored by the real classifier (among
// them one whose every field carries an XSS payload), writes them to the
// store and index as the indexer does, and serves the real dashboard. It
// exists for tests only; production runs `lure serve`.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/app"
	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/notice"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

// Password of every seeded user (analyst1, viewer1, admin1).
const password = "browser-test-password"

// xss is what each hostile field carries.
const xss = `<script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=2;alert(2)">` +
	`</textarea><svg onload="window.__xss=3"><a href="javascript:window.__xss=4">click</a>` +
	`"><iframe srcdoc="<script>parent.__xss=5</script>"></iframe>`

func seedAds() []ad.Ad {
	now := time.Now().UTC().Truncate(time.Second)
	mk := func(slug, site, lang, title, body, salary, loc, contact string) ad.Ad {
		return ad.Ad{V: ad.Version, ID: "t-" + slug, Site: site, URL: "https://" + site + "/ad/" + slug, Kind: ad.KindJob,
			Lang: lang, Title: title, Body: body, Salary: salary, Location: loc, Contact: contact, Crawled: now, Posted: now.Add(-time.Hour)}.WithHash()
	}
	return []ad.Ad{
		mk("hostess", "rabota.example", "ru", "Работа хостес в Турции для девушек",
			"Приглашаем молодых девушек 18-25 лет на работу хостес в Турцию. Билеты и визу оплачиваем, жильё бесплатно. Опыт не нужен, знание языка не обязательно. Паспорт оформим сами.",
			"от 3000 $ в месяц", "Стамбул, Турция", "+7 999 123-45-67, telegram @hostjobs"),
		mk("dancers", "rabota.example", "ru", "Танцовщицы в клуб за границей",
			"Срочно нужны девушки для работы танцовщицами в Дубае. Проезд и проживание за счёт работодателя. Высокий заработок.",
			"5000 $", "Дубай", "+7 999 123-45-67"),
		mk("accountant", "rabota.example", "ru", "Бухгалтер в офис",
			"Официальное трудоустройство, ООО Ромашка, Москва, ул. Ленина 1. Лицензия № 123.", "60000 руб.", "Москва", "hr@romashka.example"),
		{V: ad.Version, ID: "t-hostile", Site: "evil.example", URL: "javascript:window.__xss=6", Kind: ad.KindJob, Lang: "en",
			Title: "Hostess work abroad, visa and tickets paid " + xss, Body: "Young girls wanted for work abroad, free travel, visa and tickets paid. " + xss,
			Salary: "5000 EUR " + xss, Location: "Dubai " + xss, Contact: "+44 7700 900123 " + xss, Crawled: now},
	}
}

func main() {
	dir := flag.String("data-dir", "", "fresh data directory")
	addrFile := flag.String("addr-file", "", "write the base URL here once listening")
	flag.Parse()
	if err := run(*dir, *addrFile); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(dir, addrFile string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if dir == "" {
		return errors.New("--data-dir is required")
	}
	st, err := store.Open(ctx, app.Paths(dir).Store)
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := index.Open(app.Paths(dir).Index)
	if err != nil {
		return err
	}
	defer ix.Close()
	pack, err := rules.Default()
	if err != nil {
		return err
	}
	c, err := classifier.New(pack, classifier.Options{})
	if err != nil {
		return err
	}
	for _, a := range seedAds() {
		v := c.Score(ctx, a)
		if a.ID == "t-hostile" || a.ID == "t-hostess" {
			v.Flagged = true // the tests need these in the queue whatever the weights
		}
		if _, err := st.Upsert(ctx, v); err != nil {
			return err
		}
		if v.Flagged {
			if err := ix.Put(ctx, v); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(map[string]any{"id": v.Ad.ID, "score": v.Score, "flagged": v.Flagged, "hits": len(v.Hits)})
		fmt.Fprintln(os.Stderr, "seeded", string(b))
	}
	for _, seed := range seeders {
		if err := seed(ctx, seedEnv{store: st, index: ix, classifier: c}); err != nil {
			return err
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	for _, r := range auth.Roles {
		if _, err := st.Accounts().CreateUser(ctx, string(r)+"1", r, hash); err != nil && !errors.Is(err, store.ErrUserExists) {
			return err
		}
	}
	h, err := dashboard.New(dashboard.Options{Store: st, Index: ix, Rules: pack, Health: st.Ping,
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Networks: dashboard.NewNetworkViews(st.Networks(), st, network.Weights{}),
		// A fixed share key: the browser test only checks what is exported.
		Indicators: app.NewIndicatorExporter(st, bytes.Repeat([]byte("k"), 32), "Seed NGO"),
		// platform.example names its platform and notice form, as a
		// crawler profile does; other.example names neither.
		Notices: notice.Options{Platforms: map[string]notice.Platform{
			"platform.example": {Name: "Example Platform", Contact: "https://platform.example/report-illegal-content"}}}})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if addrFile != "" {
		if err := os.WriteFile(addrFile, []byte(url), 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "listening", url)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
