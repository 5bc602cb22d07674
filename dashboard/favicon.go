package dashboard

import (
	"fmt"
	"io/fs"
	"net/http"
)

// favicon serves the icon name of the static assets at the site root,
// where browsers look for it, with its content type: the mime table of
// the host may not know .ico.
func favicon(static fs.FS, name, contentType string) (http.HandlerFunc, error) {
	b, err := fs.ReadFile(static, name)
	if err != nil {
		return nil, fmt.Errorf("dashboard: favicon: %w", err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(b)
	}, nil
}
