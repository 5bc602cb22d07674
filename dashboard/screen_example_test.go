package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

// ExampleScorer serves the screening API: a platform with a viewer token
// POSTs an ad to /api/v1/score and gets the verdict with its reasons.
func ExampleScorer() {
	dir, err := os.MkdirTemp("", "lure-screening")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "lure.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	pack, err := rules.Default()
	if err != nil {
		log.Fatal(err)
	}
	c, err := classifier.New(pack, classifier.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// What `lure users token --role viewer --name platform-x` does.
	secret, hash, _ := auth.NewToken()
	st.Accounts().CreateToken(ctx, "platform-x", auth.Viewer, hash)

	h, err := dashboard.New(dashboard.Options{Store: st, Scorer: c,
		Screening: dashboard.ScreenLimits{Rate: 5, Burst: 20}})
	if err != nil {
		log.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/v1/score", strings.NewReader(
		`{"title":"Работа за границей для девушек","body":"Девушки 18-25 лет, работа в Турции. Билеты и визу оплачиваем. Пишите только в Telegram","lang":"ru"}`))
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var res struct {
		Band    string
		Flagged bool
		Hits    []struct{ Rule, Description string }
	}
	json.Unmarshal(rec.Body.Bytes(), &res)
	fmt.Println(rec.Code, res.Band, res.Flagged, len(res.Hits) > 2, res.Hits[0].Description != "")
	// Output: 200 high true true true
}
