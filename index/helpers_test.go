package index

import (
	"fmt"
	"os"
	"strings"
)

func writeFile(path string) error { return os.WriteFile(path, []byte("x"), 0o644) }

func manyWords(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "word%d ", i)
	}
	return b.String()
}
