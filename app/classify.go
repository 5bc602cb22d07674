package app

import (
	"context"
	"fmt"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/stream"
)

// scorer consumes raw ads and produces verdicts.
type scorer struct {
	classifier *classifier.Holder
	out        *stream.Producer
	topic      string
	now        func() time.Time
}

// Handle implements stream.Handler. An ad that cannot be decoded is a
// permanent error and goes to the dead-letter topic; a failed produce is
// retried by the consumer, so nothing is committed before the verdict is
// written.
func (s *scorer) Handle(ctx context.Context, m stream.Message) error {
	a, err := ad.Decode(m.Value)
	if err != nil {
		return stream.Permanent(err)
	}
	v := s.classifier.Score(ctx, a)
	v.ScoredAt = s.now().UTC()
	b, err := ad.EncodeVerdict(v)
	if err != nil {
		return stream.Permanent(fmt.Errorf("app: encode verdict %s: %w", a.ID, err))
	}
	return s.out.Produce(ctx, s.topic, stream.Message{Key: []byte(a.ID), Value: b})
}
