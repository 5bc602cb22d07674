// Package pipelinetest drives lure's Kafka pipeline end to end, for the
// integration tests (against the embedded broker and real Apache Kafka)
// and the pipeline benchmark: it generates distinct ads, controls a broker
// that can be restarted, and checks what the store, the index and the
// dead-letter topic hold afterwards. It contains no pipeline logic of its
// own: the stages are lure's (the lure binary or package app).
package pipelinetest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/stream"
)

// templates.json holds a few invented ads in the style of the demo sites:
// half carry deception signals, half are ordinary vacancies.
//
//go:embed templates.json
var templatesJSON []byte

// template is one ad the generator varies.
type template struct {
	Lang, Title, Salary, Location, Contact, Body string
}

// GenerateAds returns n distinct valid ads (unique IDs and content
// hashes) made by varying a few invented template ads, so that some are
// flagged and some are not. Crawled is set to crawled.
func GenerateAds(n int, crawled time.Time) ([]ad.Ad, error) {
	var tmpl []template
	if err := json.Unmarshal(templatesJSON, &tmpl); err != nil {
		return nil, fmt.Errorf("pipelinetest: templates: %w", err)
	}
	if len(tmpl) == 0 {
		return nil, fmt.Errorf("pipelinetest: no templates")
	}
	posted := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	out := make([]ad.Ad, n)
	for i := range out {
		t := tmpl[i%len(tmpl)]
		site := fmt.Sprintf("loadtest-%d", i%7)
		u := fmt.Sprintf("https://%s.example/ads/%d-%d", site, i%len(tmpl), i)
		id, err := ad.MakeID(site, u)
		if err != nil {
			return nil, err
		}
		a := ad.Ad{
			V:        ad.Version,
			ID:       id,
			Site:     site,
			URL:      u,
			Kind:     ad.KindJob,
			Lang:     t.Lang,
			Title:    fmt.Sprintf("%s (№%d)", t.Title, i),
			Body:     t.Body,
			Salary:   t.Salary,
			Location: t.Location,
			Contact:  t.Contact,
			Posted:   posted.Add(time.Duration(i) * time.Minute),
			Crawled:  crawled,
		}
		a.ContentHash = a.Hash()
		out[i] = a
	}
	return out, nil
}

// RawMessage encodes a as the crawler does: keyed by ad ID on
// lure.ads.raw.
func RawMessage(a ad.Ad) (stream.Message, error) {
	b, err := ad.Encode(a)
	if err != nil {
		return stream.Message{}, fmt.Errorf("pipelinetest: encode ad %s: %w", a.ID, err)
	}
	return stream.Message{Key: []byte(a.ID), Value: b}, nil
}

// BadMessage is a message the pipeline must dead-letter, with the topic
// (logical name) it is injected into.
type BadMessage struct {
	Topic string
	Msg   stream.Message
}

// BadMessages returns n messages that cannot be processed, keyed
// "bad-<i>": undecodable ads and an ad with an unknown schema version on
// the raw topic, and undecodable verdicts on the scored topic.
func BadMessages(n int) []BadMessage {
	out := make([]BadMessage, n)
	for i := range out {
		key := []byte(fmt.Sprintf("bad-%d", i))
		switch i % 3 {
		case 0:
			out[i] = BadMessage{stream.Raw, stream.Message{Key: key, Value: []byte(`{"v":1,"id":` + fmt.Sprint(i))}}
		case 1:
			good := fmt.Sprintf(`{"v":1,"id":"bad-%d","site":"s","url":"https://s.example/%d","kind":"job","title":"t","body":"b"}`, i, i)
			out[i] = BadMessage{stream.Raw, stream.Message{Key: key, Value: []byte(good), Headers: map[string]string{stream.HeaderSchema: "ad/v9"}}}
		default:
			out[i] = BadMessage{stream.Scored, stream.Message{Key: key, Value: []byte("not a verdict")}}
		}
	}
	return out
}
