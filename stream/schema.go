package stream

// HeaderSchema names the schema and version of a message's value, such as
// "ad/v1". Producers set it on lure's topics; consumers send a message
// whose schema they do not know to the dead-letter topic instead of
// guessing. A message without the header is passed on, and the decoder's
// own check of the "v" field decides.
const HeaderSchema = "lure-schema"

// Schemas of the values on lure's topics. The version matches the "v"
// field of the JSON value (see package ad).
const (
	SchemaAd      = "ad/v1"      // lure.ads.raw
	SchemaVerdict = "verdict/v1" // lure.ads.scored
	SchemaRemoved = "removed/v1" // lure.ads.removed
)

// SchemaOf returns the schema of the logical topic name (Raw, Scored or
// Removed), or "" for a topic without one (Dead keeps the schema header of
// the message it holds).
func SchemaOf(name string) string {
	switch name {
	case Raw:
		return SchemaAd
	case Scored:
		return SchemaVerdict
	case Removed:
		return SchemaRemoved
	}
	return ""
}

// schemaOfTopic returns the schema of the full topic name under prefix.
func schemaOfTopic(prefix, topic string) string {
	for _, name := range Topics {
		if topic == prefix+name {
			return SchemaOf(name)
		}
	}
	return ""
}
