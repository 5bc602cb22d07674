package demo_test

import (
	"fmt"
	"net/http"

	"github.com/lurewatch/lure/demo"
)

func ExampleStart() {
	srv, err := demo.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	resp, err := http.Get(srv.URL() + demo.AdPath("rabota-md", "accountant-chisinau"))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 200
}
