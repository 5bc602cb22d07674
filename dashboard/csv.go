package dashboard

import (
	"net/http"
	"strings"
)

// csvSafe keeps a spreadsheet from reading an exported value as a formula
// (CSV injection): a value starting with = + - @ tab or CR gets a leading
// apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvDownload sets the headers of a CSV attachment named filename.
func csvDownload(w http.ResponseWriter, filename string) {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
}
