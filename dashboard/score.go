package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/rules"
)

// scoreSite is the site of a screened ad that names none.
const scoreSite = "api"

// scoreRequest is a parsed POST /api/v1/score body: one ad (a JSON
// object of ad.Input fields) or a batch ({"ads": [...]} or a bare JSON
// array).
type scoreRequest struct {
	Ads   []ad.Input
	Batch bool
}

// errTooManyAds is wrapped by parseScoreRequest for a batch over the limit.
var errTooManyAds = errors.New("too many ads")

// badAdError says which ad of a batch was bad.
type badAdError struct {
	Index int
	Err   error
}

func (e *badAdError) Error() string { return fmt.Sprintf("ad %d: %v", e.Index, e.Err) }
func (e *badAdError) Unwrap() error { return e.Err }

// parseScoreRequest parses a score request body of at most maxAds ads.
// Unknown fields are ignored, as in `lure score`.
func parseScoreRequest(b []byte, maxAds int) (scoreRequest, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return scoreRequest{}, errors.New("empty body: send one ad as a JSON object, or {\"ads\": [...]}")
	}
	var raws []json.RawMessage
	switch b[0] {
	case '[':
		if err := json.Unmarshal(b, &raws); err != nil {
			return scoreRequest{}, fmt.Errorf("bad JSON: %v", err)
		}
	case '{':
		var env struct {
			Ads json.RawMessage `json:"ads"`
		}
		if err := json.Unmarshal(b, &env); err != nil {
			return scoreRequest{}, fmt.Errorf("bad JSON: %v", err)
		}
		if env.Ads == nil {
			var in ad.Input
			if err := json.Unmarshal(b, &in); err != nil {
				return scoreRequest{}, fmt.Errorf("bad JSON: %v", err)
			}
			return scoreRequest{Ads: []ad.Input{in}}, nil
		}
		if err := json.Unmarshal(env.Ads, &raws); err != nil || raws == nil {
			return scoreRequest{}, errors.New("bad JSON: \"ads\" must be an array of ad objects")
		}
	default:
		return scoreRequest{}, errors.New("bad JSON: the body must be a JSON object (one ad, or {\"ads\": [...]}) or an array of ads")
	}
	if len(raws) == 0 {
		return scoreRequest{}, errors.New("the batch has no ads")
	}
	if len(raws) > maxAds {
		return scoreRequest{}, fmt.Errorf("%w: %d ads in one request, at most %d", errTooManyAds, len(raws), maxAds)
	}
	req := scoreRequest{Ads: make([]ad.Input, len(raws)), Batch: true}
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &req.Ads[i]); err != nil {
			return scoreRequest{}, &badAdError{Index: i, Err: fmt.Errorf("bad JSON: %v", err)}
		}
	}
	return req, nil
}

// inputAd turns a screened ad into a validated ad.Ad: an empty site is
// "api", an empty id is derived from site and url (or is "ad-<index>").
func inputAd(in ad.Input, i int) (ad.Ad, error) {
	return in.Ad(scoreSite, in.AdID(scoreSite, "ad-"+strconv.Itoa(i)))
}

// invalidAdMessage says why the ad at index i of a request is invalid,
// naming the ad once: "ad 0 (ad-0): invalid: no title and no body".
func invalidAdMessage(i int, err error) string {
	var inv *ad.InvalidError
	switch {
	case !errors.As(err, &inv):
		return fmt.Sprintf("ad %d: %v", i, err)
	case inv.ID == "":
		return fmt.Sprintf("ad %d: invalid: %s", i, inv.Reason)
	}
	return fmt.Sprintf("ad %d (%s): invalid: %s", i, inv.ID, inv.Reason)
}

// scoreResult is the verdict on one screened ad.
type scoreResult struct {
	Index    int        `json:"index"`
	ID       string     `json:"id"`
	Score    float64    `json:"score"`
	Band     ad.Band    `json:"band"`
	Flagged  bool       `json:"flagged"`
	RulePack string     `json:"rule_pack"`
	Signals  []string   `json:"signals"`
	Hits     []scoreHit `json:"hits"`
}

// scoreHit is a fired rule with its description from the pack.
type scoreHit struct {
	Rule        string    `json:"rule"`
	Weight      float64   `json:"weight"`
	Signal      string    `json:"signal,omitempty"`
	Description string    `json:"description,omitempty"`
	Evidence    []ad.Span `json:"evidence"`
}

func explainVerdict(i int, v ad.Verdict, pack *rules.Pack) scoreResult {
	res := scoreResult{Index: i, ID: v.Ad.ID, Score: v.Score, Band: v.Band, Flagged: v.Flagged,
		RulePack: v.RulePack, Signals: v.Signals(), Hits: make([]scoreHit, 0, len(v.Hits))}
	if res.Signals == nil {
		res.Signals = []string{}
	}
	for _, h := range v.Hits {
		sh := scoreHit{Rule: h.Rule, Weight: h.Weight, Signal: h.Signal, Evidence: h.Evidence}
		if sh.Evidence == nil {
			sh.Evidence = []ad.Span{}
		}
		if pack != nil {
			if r, ok := pack.Rule(h.Rule); ok {
				sh.Description = r.Description
			}
		}
		res.Hits = append(res.Hits, sh)
	}
	return res
}

// writeLimited answers 429 with Retry-After.
func writeLimited(w http.ResponseWriter, sec int, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(sec))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": msg, "retry_after": sec})
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// writeBusy answers 503 with Retry-After when every scoring slot stays
// taken.
func writeBusy(w http.ResponseWriter) {
	const sec = 1
	w.Header().Set("Retry-After", strconv.Itoa(sec))
	writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "scoring is at capacity: retry later", "retry_after": sec})
}

// handleScore is POST /api/v1/score.
func (sa *screenAPI) handleScore(w http.ResponseWriter, r *http.Request) {
	scorer := sa.opts.Scorer
	if scorer == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "scoring is not available on this node")
		return
	}
	key := who(r).RateKey()
	// A request needs at least one token before its body is read.
	if ok, wait := sa.buckets.Take(key, 1, sa.now(), false); !ok {
		writeLimited(w, retryAfterSeconds(wait), "rate limit exceeded")
		return
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/json" {
		writeJSONError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, sa.limits.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		sa.buckets.Take(key, 1, sa.now(), true)
		writeJSONError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", sa.limits.MaxBodyBytes))
		return
	}
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, "could not read the body")
		return
	}
	req, err := parseScoreRequest(body, sa.limits.MaxAds)
	if err != nil {
		sa.buckets.Take(key, 1, sa.now(), true)
		var bad *badAdError
		switch {
		case errors.Is(err, errTooManyAds):
			writeJSONError(w, http.StatusRequestEntityTooLarge, err.Error())
		case errors.As(err, &bad):
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error(), "index": bad.Index})
		default:
			writeJSONError(w, http.StatusBadRequest, err.Error())
		}
		return
	}
	// The tokens are checked before waiting for a scoring slot and taken
	// once one is held, so a request answered 503 costs nothing.
	if ok, wait := sa.buckets.Take(key, len(req.Ads), sa.now(), false); !ok {
		writeLimited(w, retryAfterSeconds(wait), fmt.Sprintf("rate limit exceeded: %d ads need %d tokens", len(req.Ads), len(req.Ads)))
		return
	}
	if !sa.acquire(r.Context()) {
		writeBusy(w)
		return
	}
	defer sa.release()
	if ok, wait := sa.buckets.Take(key, len(req.Ads), sa.now(), true); !ok {
		writeLimited(w, retryAfterSeconds(wait), fmt.Sprintf("rate limit exceeded: %d ads need %d tokens", len(req.Ads), len(req.Ads)))
		return
	}
	ads := make([]ad.Ad, len(req.Ads))
	for i, in := range req.Ads {
		a, err := inputAd(in, i)
		if err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": invalidAdMessage(i, err), "index": i})
			return
		}
		ads[i] = a
	}
	pack := sa.opts.Rules
	if p, ok := scorer.(packer); ok {
		pack = p.Pack()
	}
	ctx, cancel := context.WithTimeout(r.Context(), sa.limits.Timeout)
	defer cancel()
	results := make([]scoreResult, len(ads))
	for i, a := range ads {
		v := scorer.Score(ctx, a)
		if ctx.Err() != nil {
			w.Header().Set("Retry-After", "1")
			writeJSONError(w, http.StatusServiceUnavailable, "scoring timed out")
			return
		}
		if p, ok := scorer.(packer); ok && pack != nil && v.RulePack != pack.Version {
			pack = p.Pack() // the pack was reloaded meanwhile
		}
		results[i] = explainVerdict(i, v, pack)
	}
	if !req.Batch {
		writeJSON(w, http.StatusOK, results[0])
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}
