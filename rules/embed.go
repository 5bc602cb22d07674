package rules

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml
var embedded embed.FS

// FS returns the embedded default pack files.
func FS() fs.FS { return embedded }

// Default loads the embedded default pack.
func Default() (*Pack, error) { return Load(embedded) }
