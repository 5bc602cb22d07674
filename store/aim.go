package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lure/ad"
)

// "Where to aim": the sites and origin regions with the most risky ads in
// a period, how that changed against the previous period of equal
// length, and the phrases their risky ads use most, so that a campaign can
// quote them.

// AimOptions tune Aim. The zero value works.
type AimOptions struct {
	// Limit bounds the rows per dimension. Default 10, at most 50.
	Limit int
	// Wordings bounds the typical wordings per row. Default 5, at most 20.
	Wordings int
	// ByGrowth ranks by the change in risky ads first, instead of by their
	// number.
	ByGrowth bool
	// Redact is applied to every wording before it is counted; nil leaves
	// the wordings out (they come from ad text and may name people).
	Redact func(string) string
}

// MaxWordingRunes bounds the length of one wording.
const MaxWordingRunes = 120

// wordingAds bounds the risky ads read per row for its wordings.
const wordingAds = 300

// Wording is an evidence phrase and the number of risky ads using it.
type Wording struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// AimRow is one site or region.
type AimRow struct {
	Value string `json:"value"`
	// Total and Risky count the ads of the period, Previous the risky
	// ads of the previous period; Change is Risky - Previous.
	Total    int     `json:"total"`
	Risky    int     `json:"risky"`
	Rate     float64 `json:"rate"`
	Previous int     `json:"previous"`
	Change   int     `json:"change"`
	// Growth is Change / Previous; nil when Previous is 0.
	Growth   *float64  `json:"growth"`
	Wordings []Wording `json:"wordings"`
}

// Aim is the answer of Store.Aim.
type Aim struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	PrevFrom string   `json:"previous_from"`
	PrevTo   string   `json:"previous_to"`
	Sites    []AimRow `json:"sites"`
	Regions  []AimRow `json:"regions"`
}

// Aim ranks the sites and regions of period p.
func (s *Store) Aim(ctx context.Context, p Period, o AimOptions) (Aim, error) {
	o.Limit = clamp(o.Limit, 10, 50)
	o.Wordings = clamp(o.Wordings, 5, 20)
	prev := p.Previous()
	out := Aim{From: p.From.Format(dayLayout), To: p.To.Format(dayLayout),
		PrevFrom: prev.From.Format(dayLayout), PrevTo: prev.To.Format(dayLayout)}
	for _, dim := range []string{DimSite, DimRegion} {
		rows, err := s.aimRows(ctx, dim, prev.From.Format(dayLayout), out.From, out.To, o)
		if err != nil {
			return Aim{}, wrap("aim "+dim, err)
		}
		if o.Redact != nil {
			for i := range rows {
				if rows[i].Risky == 0 {
					continue
				}
				if rows[i].Wordings, err = s.wordings(ctx, dim, rows[i].Value, out.From, out.To, o); err != nil {
					return Aim{}, wrap("aim wordings", err)
				}
			}
		}
		if dim == DimSite {
			out.Sites = rows
		} else {
			out.Regions = rows
		}
	}
	return out, nil
}

func clamp(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}

func (s *Store) aimRows(ctx context.Context, dim, prevFrom, from, to string, o AimOptions) ([]AimRow, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT `+dimSQL[dim][0]+`,
	coalesce(sum(CASE WHEN d.day >= ?2 THEN d.total ELSE 0 END), 0),
	coalesce(sum(CASE WHEN d.day >= ?2 THEN d.flagged ELSE 0 END), 0),
	coalesce(sum(CASE WHEN d.day < ?2 THEN d.flagged ELSE 0 END), 0)
FROM (SELECT day, site, region, 1 AS total, flagged FROM ad_dims WHERE day >= ?1 AND day <= ?3
	UNION ALL SELECT day, site, region, total, risky FROM campaign_purged WHERE day >= ?1 AND day <= ?3) d
GROUP BY 1`, prevFrom, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AimRow{}
	for rows.Next() {
		var r AimRow
		if err := rows.Scan(&r.Value, &r.Total, &r.Risky, &r.Previous); err != nil {
			return nil, err
		}
		if r.Risky == 0 && r.Previous == 0 {
			continue
		}
		r.Rate = rate(r.Risky, r.Total)
		r.Change = r.Risky - r.Previous
		if r.Previous > 0 {
			g := float64(r.Change) / float64(r.Previous)
			r.Growth = &g
		}
		r.Wordings = []Wording{}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y AimRow) int {
		a, b := [2]int{x.Risky, x.Change}, [2]int{y.Risky, y.Change}
		if o.ByGrowth {
			a, b = [2]int{x.Change, x.Risky}, [2]int{y.Change, y.Risky}
		}
		for i := range a {
			if a[i] != b[i] {
				return b[i] - a[i]
			}
		}
		return strings.Compare(x.Value, y.Value)
	})
	if len(out) > o.Limit {
		out = out[:o.Limit]
	}
	return out, nil
}

// wordings counts the evidence phrases of positive-weight hits (outside
// the contact field, and not place names) of the riskiest ads of one row,
// once per ad.
func (s *Store) wordings(ctx context.Context, dim, value, from, to string, o AimOptions) ([]Wording, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT a.id, a.verdict_json
FROM ad_dims d JOIN ads a ON a.id = d.ad_id
WHERE d.day >= ? AND d.day <= ? AND d.flagged = 1 AND `+dimSQL[dim][0]+` = ?
ORDER BY a.score DESC, a.id
LIMIT ?`, from, to, value, wordingAds)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	count := map[string]int{}
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			return nil, err
		}
		var v struct {
			Hits []ad.Hit `json:"hits"`
		}
		if err := json.Unmarshal([]byte(js), &v); err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		places := map[string]bool{} // also in the evidence of combination rules
		for _, h := range v.Hits {
			if h.Signal == placeSignal {
				for _, e := range h.Evidence {
					places[e.Text] = true
				}
			}
		}
		for _, h := range v.Hits {
			if h.Weight <= 0 || h.Signal == placeSignal {
				continue
			}
			for _, e := range h.Evidence {
				if e.Field == ad.FieldContact || places[e.Text] {
					continue
				}
				w := wordingKey(o.Redact(e.Text))
				if w != "" && !seen[w] {
					seen[w] = true
					count[w]++
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Wording, 0, len(count))
	for t, n := range count {
		out = append(out, Wording{Text: t, Count: n})
	}
	slices.SortFunc(out, func(x, y Wording) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		return strings.Compare(x.Text, y.Text)
	})
	if len(out) > o.Wordings {
		out = out[:o.Wordings]
	}
	return out, nil
}

// placeSignal is the signal whose evidence is a place name, not a
// wording; the destination dimension counts places.
const placeSignal = "destination"

// wordingKey folds case and spaces and bounds the length; "" for a
// phrase with no letters left.
func wordingKey(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if utf8.RuneCountInString(s) > MaxWordingRunes {
		r := []rune(s)
		s = string(r[:MaxWordingRunes]) + "…"
	}
	letters := false
	for _, r := range strings.NewReplacer("[phone]", "", "[email]", "", "[handle]", "", "[link]", "", "[name]", "", "[id]", "").Replace(s) {
		if unicode.IsLetter(r) {
			letters = true
			break
		}
	}
	if !letters {
		return ""
	}
	return s
}
