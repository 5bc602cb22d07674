package eval

import (
	"context"
	"strings"

	"github.com/lurewatch/lure/ad"
)

// Scorer scores one ad; *classifier.Classifier is one.
type Scorer interface {
	Score(ctx context.Context, a ad.Ad) ad.Verdict
}

// Result is a scored record.
type Result struct {
	ID      string   `json:"id"`
	Source  string   `json:"source"`
	Lang    string   `json:"lang"`
	Kind    string   `json:"kind"`
	Variant string   `json:"variant,omitempty"`
	Signals []string `json:"signals,omitempty"`
	// Indicators are the record's labelled indicators.
	Indicators []string `json:"indicators,omitempty"`
	// Words counts the words of the title and body.
	Words     int     `json:"words"`
	Deceptive bool    `json:"deceptive"`
	Score     float64 `json:"score"`
	// Rules are the ids of the rules that fired.
	Rules []string `json:"rules,omitempty"`
	// Title is the start of the ad's title, to recognise it in a report.
	Title string `json:"title,omitempty"`
}

// Run scores every record. It stops early, returning what it has and the
// context's error, when ctx is done.
func Run(ctx context.Context, s Scorer, recs []Record) ([]Result, error) {
	out := make([]Result, 0, len(recs))
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		v := s.Score(ctx, r.Ad)
		res := Result{ID: r.Ad.ID, Source: r.Source, Lang: r.Ad.Lang, Kind: string(r.Ad.Kind), Variant: r.Variant,
			Signals: r.Signals, Indicators: r.Indicators, Words: len(strings.Fields(r.Ad.Title)) + len(strings.Fields(r.Ad.Body)),
			Deceptive: r.Deceptive, Score: v.Score, Title: clip(r.Ad.Title, 60)}
		if res.Lang == "" {
			res.Lang = "unknown"
		}
		for _, h := range v.Hits {
			res.Rules = append(res.Rules, h.Rule)
		}
		out = append(out, res)
	}
	return out, nil
}
