package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
)

// Campaign statistics: counts of every scored ad (risky = flagged) over
// a period of days, by week and by dimension, for NGOs. Nothing here
// returns ad text or contacts; the typical wordings of Aim are redacted
// by the caller's Redact function.

// The dimensions Campaign counts by.
const (
	DimSite        = "site"
	DimRegion      = "region"
	DimDestination = "destination"
	DimCategory    = "category"
	DimSignal      = "signal"
	DimLang        = "lang"
)

// Dims lists the dimensions in the order they are shown.
var Dims = []string{DimSite, DimRegion, DimDestination, DimCategory, DimSignal, DimLang}

// MaxCampaignDays bounds the length of a period.
const MaxCampaignDays = 3 * 366

// MaxDimRows bounds the rows of one dimension (the most risky first).
const MaxDimRows = 100

// ErrPeriod is wrapped by the errors about a bad period.
var ErrPeriod = errors.New("store: bad period")

// dayLayout is how days and weeks are stored and shown.
const dayLayout = "2006-01-02"

// Period is a range of whole UTC days, both ends included.
type Period struct {
	From, To time.Time
}

// NewPeriod truncates from and to to UTC days and checks them.
func NewPeriod(from, to time.Time) (Period, error) {
	p := Period{From: day(from), To: day(to)}
	switch {
	case p.To.Before(p.From):
		return Period{}, fmt.Errorf("%w: %s is after %s", ErrPeriod, p.From.Format(dayLayout), p.To.Format(dayLayout))
	case p.Days() > MaxCampaignDays:
		return Period{}, fmt.Errorf("%w: %d days, at most %d", ErrPeriod, p.Days(), MaxCampaignDays)
	}
	return p, nil
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Days is the number of days of the period.
func (p Period) Days() int { return int(p.To.Sub(p.From).Hours()/24) + 1 }

// Previous is the period of equal length that ends the day before p.
func (p Period) Previous() Period {
	n := p.Days()
	return Period{From: p.From.AddDate(0, 0, -n), To: p.From.AddDate(0, 0, -1)}
}

// Weeks returns the Mondays of the weeks the period touches, as
// YYYY-MM-DD.
func (p Period) Weeks() []string {
	var out []string
	for w := monday(p.From); !w.After(p.To); w = w.AddDate(0, 0, 7) {
		out = append(out, w.Format(dayLayout))
	}
	return out
}

func monday(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// Count is a number of ads and how many of them are risky.
type Count struct {
	Total int     `json:"total"`
	Risky int     `json:"risky"`
	Rate  float64 `json:"rate"` // Risky / Total, 0 for no ads
}

func (c *Count) add(total, risky int) {
	c.Total += total
	c.Risky += risky
	c.Rate = rate(c.Risky, c.Total)
}

func rate(risky, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(risky) / float64(total)
}

// WeekCount is the count of one week (its Monday, YYYY-MM-DD).
type WeekCount struct {
	Week string `json:"week"`
	Count
}

// DimRow is the count of one value of a dimension, with its weekly
// series (one entry per week of the period, in order).
type DimRow struct {
	Value string `json:"value"`
	Count
	Weekly []WeekCount `json:"weekly"`
}

// Campaign is the answer of Store.Campaign.
type Campaign struct {
	From  string      `json:"from"`
	To    string      `json:"to"`
	Count             // every ad of the period
	Weeks []WeekCount `json:"weeks"`
	// By holds, per dimension of Dims, its values, most risky ads first.
	// An ad counts once under each of its destinations and signals; ""
	// is an unknown region or category.
	By map[string][]DimRow `json:"by"`
	// Truncated names the dimensions cut to MaxDimRows.
	Truncated []string `json:"truncated,omitempty"`
}

// dimSQL is, per dimension, the value expression and the extra join.
var dimSQL = map[string][2]string{
	DimSite:        {"d.site", ""},
	DimRegion:      {"d.region", ""},
	DimCategory:    {"d.category", ""},
	DimLang:        {"d.lang", ""},
	DimDestination: {"x.country", "JOIN ad_destinations x ON x.ad_id = d.ad_id"},
	DimSignal:      {"x.signal", "JOIN ad_signals x ON x.ad_id = d.ad_id"},
}

// Campaign counts the ads of period p: in total, by week, and by each
// dimension with a weekly series.
func (s *Store) Campaign(ctx context.Context, p Period) (Campaign, error) {
	weeks := p.Weeks()
	c := Campaign{From: p.From.Format(dayLayout), To: p.To.Format(dayLayout), By: map[string][]DimRow{}}
	c.Weeks = emptyWeeks(weeks)
	at := weekIndex(weeks)
	from, to := p.From.Format(dayLayout), p.To.Format(dayLayout)
	rows, err := s.db.QueryContext(ctx, `
SELECT d.week, count(*), coalesce(sum(d.flagged), 0)
FROM ad_dims d
WHERE d.day >= ? AND d.day <= ?
GROUP BY d.week`, from, to)
	if err != nil {
		return Campaign{}, wrap("campaign", err)
	}
	addWeek := func(week, _ string, total, risky int) {
		if i, ok := at[week]; ok {
			c.Weeks[i].add(total, risky)
			c.add(total, risky)
		}
	}
	if err := scanWeeks(rows, addWeek); err != nil {
		return Campaign{}, wrap("campaign", err)
	}
	// The ads retention removed count on from their aggregates.
	rows, err = s.db.QueryContext(ctx, `
SELECT week, sum(total), sum(risky) FROM campaign_purged
WHERE day >= ? AND day <= ? GROUP BY week`, from, to)
	if err != nil {
		return Campaign{}, wrap("campaign", err)
	}
	if err := scanWeeks(rows, addWeek); err != nil {
		return Campaign{}, wrap("campaign", err)
	}
	for _, dim := range Dims {
		rs, cut, err := s.dimension(ctx, dim, from, to, weeks, at)
		if err != nil {
			return Campaign{}, wrap("campaign "+dim, err)
		}
		c.By[dim] = rs
		if cut {
			c.Truncated = append(c.Truncated, dim)
		}
	}
	return c, nil
}

func emptyWeeks(weeks []string) []WeekCount {
	out := make([]WeekCount, len(weeks))
	for i, w := range weeks {
		out[i].Week = w
	}
	return out
}

func weekIndex(weeks []string) map[string]int {
	at := make(map[string]int, len(weeks))
	for i, w := range weeks {
		at[w] = i
	}
	return at
}

// scanWeeks reads rows of (week, count, risky) or (value, week, count,
// risky).
func scanWeeks(rows *sql.Rows, f func(week, value string, total, risky int)) error {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		var week, value string
		var total, risky int
		if len(cols) == 4 {
			err = rows.Scan(&value, &week, &total, &risky)
		} else {
			err = rows.Scan(&week, &total, &risky)
		}
		if err != nil {
			return err
		}
		f(week, value, total, risky)
	}
	return rows.Err()
}

func (s *Store) dimension(ctx context.Context, dim, from, to string, weeks []string, at map[string]int) ([]DimRow, bool, error) {
	q := dimSQL[dim]
	rows, err := s.db.QueryContext(ctx, `
SELECT `+q[0]+`, d.week, count(*), coalesce(sum(d.flagged), 0)
FROM ad_dims d `+q[1]+`
WHERE d.day >= ? AND d.day <= ?
GROUP BY 1, 2`, from, to)
	if err != nil {
		return nil, false, err
	}
	byValue := map[string]*DimRow{}
	add := func(week, value string, total, risky int) {
		i, ok := at[week]
		if !ok {
			return
		}
		r := byValue[value]
		if r == nil {
			r = &DimRow{Value: value, Weekly: emptyWeeks(weeks)}
			byValue[value] = r
		}
		r.add(total, risky)
		r.Weekly[i].add(total, risky)
	}
	if err := scanWeeks(rows, add); err != nil {
		return nil, false, err
	}
	if rows, err = s.purgedDimension(ctx, dim, from, to); err != nil {
		return nil, false, err
	}
	if err := scanWeeks(rows, add); err != nil {
		return nil, false, err
	}
	out := make([]DimRow, 0, len(byValue))
	for _, r := range byValue {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y DimRow) int {
		if x.Risky != y.Risky {
			return y.Risky - x.Risky
		}
		if x.Total != y.Total {
			return y.Total - x.Total
		}
		return strings.Compare(x.Value, y.Value)
	})
	if len(out) > MaxDimRows {
		return out[:MaxDimRows], true, nil
	}
	return out, false, nil
}

// purgedDimension reads the aggregates of the ads retention removed for
// one dimension, as rows of (value, week, total, risky).
func (s *Store) purgedDimension(ctx context.Context, dim, from, to string) (*sql.Rows, error) {
	if dim == DimDestination || dim == DimSignal {
		return s.db.QueryContext(ctx, `
SELECT value, week, sum(total), sum(risky) FROM campaign_purged_facts
WHERE dim = ? AND day >= ? AND day <= ? GROUP BY 1, 2`, dim, from, to)
	}
	return s.db.QueryContext(ctx, `
SELECT `+dim+`, week, sum(total), sum(risky) FROM campaign_purged
WHERE day >= ? AND day <= ? GROUP BY 1, 2`, from, to)
}

// writeDims rewrites the ad_dims row of one ad, inside tx, after its ads
// row was written.
func writeDims(ctx context.Context, tx execer, v ad.Verdict) error {
	_, err := tx.ExecContext(ctx, `
INSERT OR REPLACE INTO ad_dims (ad_id, day, week, site, lang, flagged, region, category)
SELECT id, substr(coalesce(posted, crawled, first_seen), 1, 10),
	date(substr(coalesce(posted, crawled, first_seen), 1, 10), 'weekday 0', '-6 days'),
	site, lang, flagged, ?, ?
FROM ads WHERE id = ?`, v.Entities.Region, v.Entities.Category, v.Ad.ID)
	return err
}

// LatestCampaignDay returns the newest day any ad counts on, or the zero
// time when the store holds no ads.
func (s *Store) LatestCampaignDay(ctx context.Context) (time.Time, error) {
	var d sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT max(day) FROM (SELECT max(day) AS day FROM ad_dims UNION ALL SELECT max(day) FROM campaign_purged)`).Scan(&d); err != nil {
		return time.Time{}, fmt.Errorf("store: latest campaign day: %w", err)
	}
	if !d.Valid || d.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dayLayout, d.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: latest campaign day %q: %w", d.String, err)
	}
	return t, nil
}
