package dashboard

import (
	_ "embed"
	"net/http"
)

// openAPI describes the JSON API, the score endpoint and the webhook
// events (OpenAPI 3.1). It is served without authentication.
//
//go:embed openapi.json
var openAPI []byte

func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openAPI)
}
