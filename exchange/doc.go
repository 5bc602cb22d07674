// Package exchange shares indicators of recruiter networks between
// organisations: it exports the contacts and ad-template signatures of
// ads that analysts confirmed as a STIX 2.1 bundle or a MISP event, and
// imports what partners send, so that local ads carrying a partner's
// indicator are marked "known to" that partner.
//
// Privacy by default: a contact (phone in E.164, e-mail or messenger
// handle, normalised as the network engine keeps it) leaves the
// organisation as the lower-case hex HMAC-SHA256 of its normalised value
// under a key the participating organisations share (at least KeyMin
// bytes); plain values only when asked for. Ad text and names never
// leave: a template is the network engine's MinHash signature (128
// minima of hashed word shingles), which can be compared but not read.
//
// STIX 2.1: one bundle with an identity for the sending organisation,
// the fixed TLP 2.0 marking definitions, and one indicator per contact or
// template. Contacts and templates use the custom observable type
// x-lure-contact, with the properties
//
//	kind   "phone", "email", "handle" or "template"
//	hash   the hex HMAC-SHA256 of the normalised value (hashed contacts)
//	value  the normalised value, or the hex signature of a template
//
// in patterns such as
//
//	[x-lure-contact:kind = 'phone' AND x-lure-contact:hash = '3f…']
//	[x-lure-contact:kind = 'template' AND x-lure-contact:value = '0a1b…']
//	[email-addr:value = 'recruiter@example.com']        (plain e-mail)
//
// Each indicator carries the custom properties x_lure_kind, x_lure_hashed,
// x_lure_first_seen, x_lure_last_seen, x_lure_sites, x_lure_countries,
// x_lure_ads and x_lure_confirmed. Object IDs are UUIDv5 of the content,
// so exporting the same data again gives the same IDs.
//
// MISP: one event with a tlp:* tag; plain phones are "phone-number"
// attributes, plain e-mails "email", everything else "text" with the
// attribute tags lure:kind="…" and lure:hashed="true" and a comment
// saying what the value is.
package exchange
