package dashboard_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

func Example() {
	dir, err := os.MkdirTemp("", "lure-dashboard")
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
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	h, err := dashboard.New(dashboard.Options{Store: st, Index: ix, Health: st.Ping})
	if err != nil {
		log.Fatal(err)
	}
	// In production: http.Server{Addr: ":8080", Handler: h}.ListenAndServe().
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	fmt.Print(rec.Code, " ", rec.Body.String())
	// Output: 200 ok
}

// ExampleEnsureAdmin shows the first start of a serving node: with no user
// in the store, "admin" is created and its password written to a private
// file in the data directory, once.
func ExampleEnsureAdmin() {
	dir, err := os.MkdirTemp("", "lure-first-run")
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
	path, err := dashboard.EnsureAdmin(ctx, st, dir)
	if err != nil {
		log.Fatal(err)
	}
	fi, _ := os.Stat(path)
	again, _ := dashboard.EnsureAdmin(ctx, st, dir)
	fmt.Println(filepath.Base(path), fi.Mode().Perm(), again == "")
	// Output: initial-admin-password -rw------- true
}
