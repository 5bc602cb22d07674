package auth_test

import (
	"fmt"
	"log"

	"github.com/lurewatch/lure/auth"
)

// ExampleHashPassword hashes a password with argon2id and checks it.
func ExampleHashPassword() {
	h, err := auth.HashPassword("a long enough passphrase")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h[:10], auth.CheckPassword(h, "a long enough passphrase"), auth.CheckPassword(h, "wrong"))
	// Output: $argon2id$ true false
}
