package exchange

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

const tmpl = "Срочно требуются девушки на должность хостес в Дубае. Официальное трудоустройство, жильё бесплатно. " +
	"Зарплата от %s долларов в месяц. Возраст до 25 лет. Визу и билеты оплачиваем. Звоните, спросить %s."

func fill(salary, name string) string {
	return strings.Replace(strings.Replace(tmpl, "%s", salary, 1), "%s", name, 1)
}

// ad1 is a seeded ad: its contacts and text.
type ad1 struct {
	id, site, region, body  string
	phones, emails, handles []string
	day                     int
}

func (a ad1) verdict() ad.Verdict {
	v := ad.Verdict{V: ad.Version, Score: 70, Band: ad.BandHigh, Flagged: true, RulePack: "test",
		Ad: ad.Ad{V: ad.Version, ID: a.id, Site: a.site, URL: "https://" + a.site + "/" + a.id, Kind: ad.KindJob,
			Title: "Работа за границей", Body: a.body, Posted: time.Date(2026, 3, a.day, 9, 0, 0, 0, time.UTC)}}
	v.Ad.ContentHash = v.Ad.Hash()
	v.Entities.Phones, v.Entities.Emails, v.Entities.Handles, v.Entities.Region = a.phones, a.emails, a.handles, a.region
	return v
}

type env struct {
	st *store.Store
	e  *network.Engine
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "lure.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := network.New(ctx, network.Options{Store: st.Networks(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return &env{st: st, e: e}
}

// add stores and assigns ads as the indexer hook does.
func (x *env) add(t *testing.T, ads ...ad1) {
	t.Helper()
	for _, a := range ads {
		v := a.verdict()
		if _, err := x.st.Upsert(context.Background(), v); err != nil {
			t.Fatal(err)
		}
		if _, err := x.e.Add(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
}

func (x *env) confirm(t *testing.T, ids ...string) {
	t.Helper()
	if _, err := x.st.Apply(context.Background(), store.Change{AdIDs: ids, Actor: "ana", Status: store.StatusConfirmed}); err != nil {
		t.Fatal(err)
	}
}

var testKey = []byte("0123456789abcdef0123456789abcdef-shared")

// Plain contact values seeded in organisation A; none may appear in a
// hashed export.
var (
	phoneA  = "+380671112233"
	phoneA2 = "+77011234567" // on an ad nobody confirmed
	emailA  = "hr.dubai@example.com"
	handleA = "@dubai_jobs_hr"
)

// seedA is organisation A: a1 (phone, e-mail, template) and a3 (handle)
// confirmed, a2 (another phone) not.
func seedA(t *testing.T) *env {
	x := newEnv(t)
	x.add(t,
		ad1{id: "a1", site: "rabota.example", region: "UA/Kyiv", body: fill("3000", "Ольгу"), phones: []string{phoneA}, emails: []string{"HR.Dubai@Example.com"}, day: 1},
		ad1{id: "a2", site: "jobs.example", region: "KZ/Almaty", body: "Продаю велосипед, почти новый, звонить вечером.", phones: []string{phoneA2}, day: 2},
		ad1{id: "a3", site: "jobs.example", region: "MD/Chișinău", body: "Сдаётся квартира посуточно в центре города, чисто и уютно.", handles: []string{handleA}, day: 3},
	)
	x.confirm(t, "a1", "a3")
	return x
}

// seedB is organisation B: b1 shares A's phone, b2 A's template, b3 A's
// e-mail, b4 A's unconfirmed phone, b5 nothing.
func seedB(t *testing.T) *env {
	x := newEnv(t)
	x.add(t,
		ad1{id: "b1", site: "work.example", body: "Требуются рабочие на стройку в Польше, проживание бесплатно.", phones: []string{phoneA}, day: 5},
		ad1{id: "b2", site: "work.example", body: fill("3500", "Марину"), phones: []string{"+998901234567"}, day: 6},
		ad1{id: "b3", site: "vak.example", body: "Ищем няню в семью, Германия, без опыта.", emails: []string{emailA}, day: 7},
		ad1{id: "b4", site: "vak.example", body: "Водитель категории Е, рейсы по Европе, оплата еженедельно.", phones: []string{phoneA2}, day: 8},
		ad1{id: "b5", site: "vak.example", body: "Бухгалтер на полный день в офис, стабильная зарплата.", phones: []string{"+37369123456"}, day: 9},
	)
	return x
}
