package textnorm_test

import (
	"fmt"
	"strings"

	"github.com/lurewatch/lure/textnorm"
)

// A match view folds look-alike letters, spacing and case, and maps each
// match back to the bytes of the original text.
func ExampleNormalise() {
	orig := "Р А Б О Т А в Дубаe, ВИЗА бесплатно!"
	t := textnorm.Normalise(orig)
	fmt.Println(t.S)
	i := strings.Index(t.S, "дубае")
	a, b := t.Orig(i, i+len("дубае"))
	fmt.Printf("%q\n", orig[a:b]) // its last letter is a Latin e
	// Output:
	// работа в дубае виза бесплатно
	// "Дубаe"
}
