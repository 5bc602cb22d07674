package dashboard

import "strings"

// csvSafe keeps a spreadsheet from reading an exported value as a formula
// (CSV injection): a value starting with = + - @ tab or CR gets a leading
// apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
