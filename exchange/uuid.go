package exchange

import (
	"crypto/sha1"
	"fmt"
	"regexp"
)

// namespace is lure's UUIDv5 namespace for STIX and MISP identifiers
// (itself the UUIDv5 of "lure" in the URL namespace, fixed here).
var namespace = [16]byte{0x8c, 0x2e, 0x49, 0x5a, 0x1f, 0x7b, 0x5d, 0x3e, 0x9a, 0x61, 0x0d, 0x4f, 0xb2, 0x17, 0xc8, 0x93}

// uuid5 returns the RFC 9562 version 5 UUID of name in lure's namespace.
func uuid5(name string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	s := h.Sum(nil)
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// validID reports whether id is "<typ>--<uuid>".
func validID(id, typ string) bool {
	return len(id) == len(typ)+2+36 && id[:len(typ)+2] == typ+"--" && uuidRE.MatchString(id[len(typ)+2:])
}
