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

// Handle implements stream.Handler: HandleBatch for one message.
func (s *scorer) Handle(ctx context.Context, m stream.Message) error {
	if errs := s.HandleBatch(ctx, []stream.Message{m}); errs != nil {
		return errs[0]
	}
	return nil
}

// HandleBatch implements stream.BatchHandler. It scores the ads of a batch
// and produces their verdicts in one producer call. An ad that cannot be
// decoded is a permanent error and goes alone to the dead-letter topic; a
// failed produce fails every verdict of the batch, which the consumer
// retries, so nothing is committed before its verdict is written.
func (s *scorer) HandleBatch(ctx context.Context, ms []stream.Message) []error {
	var errs []error
	fail := func(i int, err error) {
		if errs == nil {
			errs = make([]error, len(ms))
		}
		errs[i] = err
	}
	out := make([]stream.Message, 0, len(ms))
	at := make([]int, 0, len(ms)) // index in ms of each verdict in out
	for i, m := range ms {
		a, err := ad.Decode(m.Value)
		if err != nil {
			fail(i, stream.Permanent(err))
			continue
		}
		v := s.classifier.Score(ctx, a)
		v.ScoredAt = s.now().UTC()
		b, err := ad.EncodeVerdict(v)
		if err != nil {
			fail(i, stream.Permanent(fmt.Errorf("app: encode verdict %s: %w", a.ID, err)))
			continue
		}
		out = append(out, stream.Message{Key: []byte(a.ID), Value: b})
		at = append(at, i)
	}
	if err := s.out.Produce(ctx, s.topic, out...); err != nil {
		for _, i := range at {
			fail(i, err)
		}
	}
	return errs
}
