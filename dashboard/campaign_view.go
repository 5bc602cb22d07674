package dashboard

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/store"
)

// The campaign pages draw their charts as inline SVG computed here: no
// script, no style attributes (the CSP forbids both), only presentation
// attributes and classes.

// Chart geometry of the weekly chart.
const (
	chartW, chartH              = 760, 240
	chartLeft, chartRight       = 44, 44
	chartTop, chartBottom       = 12, 34
	sparkW, sparkH, sparkMargin = 120, 24, 2
)

type campaignView struct {
	C       store.Campaign
	Rate    string
	Query   template.URL // the period as a query string, for links (dates only: not escaped again)
	From    string
	To      string
	Preset  string
	Presets []presetLink
	Chart   weekChart
	Dims    []dimView
}

type presetLink struct {
	Label, URL string
	Active     bool
}

type dimView struct {
	Key, Label string
	Truncated  bool
	Rows       []dimRowView
}

type dimRowView struct {
	Value, Label string
	Total, Risky int
	Rate         string
	Spark        spark
}

// weekChart is a bar chart of all and risky ads per week with the risky
// rate as a line.
type weekChart struct {
	W, H          int
	Bars          []weekBar
	Line          string // polyline points of the rate
	Axis          []axisTick
	RateAxis      []axisTick
	X0, X1, Y0    int
	Empty         bool
	LabelEvery    int
	Width, Height int
}

type weekBar struct {
	Week               string
	Label              string
	ShowLabel          bool
	Total, Risky       int
	Rate               string
	X, W               string
	YTotal, HTotal     string
	YRisky, HRisky     string
	CX, CY             string
	LabelX             string
	TotalTip, RiskyTip string
}

type axisTick struct {
	Y, Label string
	X        string
}

type spark struct {
	W, H   int
	Points string
	Dots   []sparkDot
	Max    int
}

type sparkDot struct{ X, Y string }

func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

func newCampaignView(c store.Campaign, q url.Values) campaignView {
	v := campaignView{C: c, Rate: percent(c.Rate), From: c.From, To: c.To, Preset: q.Get("preset")}
	period := url.Values{"from": {c.From}, "to": {c.To}}
	v.Query = template.URL(period.Encode())
	for _, p := range campaignPresets {
		v.Presets = append(v.Presets, presetLink{Label: p.Label, URL: "/stats/campaign?preset=" + p.Key, Active: v.Preset == p.Key})
	}
	v.Chart = newWeekChart(c.Weeks)
	for _, dim := range store.Dims {
		dv := dimView{Key: dim, Label: dimLabels[dim]}
		for _, t := range c.Truncated {
			dv.Truncated = dv.Truncated || t == dim
		}
		for _, r := range c.By[dim] {
			series := make([]int, len(r.Weekly))
			for i, w := range r.Weekly {
				series[i] = w.Risky
			}
			dv.Rows = append(dv.Rows, dimRowView{Value: r.Value, Label: valueLabel(r.Value), Total: r.Total, Risky: r.Risky,
				Rate: percent(r.Rate), Spark: newSpark(series)})
		}
		v.Dims = append(v.Dims, dv)
	}
	return v
}

func newWeekChart(weeks []store.WeekCount) weekChart {
	ch := weekChart{W: chartW, H: chartH, X0: chartLeft, X1: chartW - chartRight, Y0: chartH - chartBottom}
	most := 0
	for _, w := range weeks {
		most = max(most, w.Total)
	}
	ch.Empty = most == 0
	top := niceMax(most)
	plotH := float64(chartH - chartTop - chartBottom)
	plotW := float64(chartW - chartLeft - chartRight)
	n := max(1, len(weeks))
	slot := plotW / float64(n)
	y := func(v int) float64 { return float64(chartTop) + plotH*(1-float64(v)/float64(top)) }
	yRate := func(r float64) float64 { return float64(chartTop) + plotH*(1-r) }
	every := max(1, (n+11)/12)
	var pts []string
	for i, w := range weeks {
		x := float64(chartLeft) + slot*float64(i)
		bw := slot * 0.7
		b := weekBar{Week: w.Week, Label: shortWeek(w.Week), ShowLabel: i%every == 0, Total: w.Total, Risky: w.Risky, Rate: percent(w.Rate),
			X: f1(x + (slot-bw)/2), W: f1(bw),
			YTotal: f1(y(w.Total)), HTotal: f1(float64(chartTop) + plotH - y(w.Total)),
			YRisky: f1(y(w.Risky)), HRisky: f1(float64(chartTop) + plotH - y(w.Risky)),
			CX: f1(x + slot/2), CY: f1(yRate(w.Rate)), LabelX: f1(x + slot/2)}
		b.TotalTip = fmt.Sprintf("week of %s: %d ads", w.Week, w.Total)
		b.RiskyTip = fmt.Sprintf("week of %s: %d risky (%s)", w.Week, w.Risky, b.Rate)
		pts = append(pts, b.CX+","+b.CY)
		ch.Bars = append(ch.Bars, b)
	}
	ch.Line = strings.Join(pts, " ")
	for i := 0; i <= 4; i++ {
		v := top * i / 4
		ch.Axis = append(ch.Axis, axisTick{Y: f1(y(v)), Label: strconv.Itoa(v), X: strconv.Itoa(chartLeft - 6)})
		r := float64(i) / 4
		ch.RateAxis = append(ch.RateAxis, axisTick{Y: f1(yRate(r)), Label: strconv.Itoa(i*25) + "%", X: strconv.Itoa(chartW - chartRight + 6)})
	}
	return ch
}

// niceMax rounds n up to a multiple of 4 × 1, 2, 5 × 10^k, so that the
// four axis steps are whole numbers.
func niceMax(n int) int {
	if n <= 4 {
		return 4
	}
	for step := 1; ; step *= 10 {
		for _, m := range []int{1, 2, 5} {
			if 4*m*step >= n {
				return 4 * m * step
			}
		}
	}
}

// shortWeek shows "2025-03-03" as "03-03".
func shortWeek(w string) string {
	if len(w) == 10 {
		return w[5:]
	}
	return w
}

func newSpark(series []int) spark {
	sp := spark{W: sparkW, H: sparkH}
	for _, x := range series {
		sp.Max = max(sp.Max, x)
	}
	top := max(1, sp.Max)
	n := len(series)
	var pts []string
	for i, x := range series {
		px := float64(sparkMargin)
		if n > 1 {
			px += float64(sparkW-2*sparkMargin) * float64(i) / float64(n-1)
		}
		py := float64(sparkMargin) + float64(sparkH-2*sparkMargin)*(1-float64(x)/float64(top))
		d := sparkDot{X: f1(px), Y: f1(py)}
		sp.Dots = append(sp.Dots, d)
		pts = append(pts, d.X+","+d.Y)
	}
	sp.Points = strings.Join(pts, " ")
	return sp
}

type aimView struct {
	A                store.Aim
	Query            template.URL // as campaignView.Query
	ByGrowth         bool
	VolumeURL        string
	GrowthURL        string
	Sites, Regions   []aimRowView
	From, To         string
	PrevFrom, PrevTo string
}

type aimRowView struct {
	store.AimRow
	Label       string
	RateText    string
	ChangeText  string
	GrowthText  string
	Up, Down    bool
	NowW, PrevW string
	NowX        string
	BarW        int
	CampaignURL string
}

// aimBarW is the width of the now-vs-before bars.
const aimBarW = 160

func newAimView(a store.Aim, q url.Values) aimView {
	period := url.Values{"from": {a.From}, "to": {a.To}}
	v := aimView{A: a, Query: template.URL(period.Encode()), ByGrowth: q.Get("sort") == "growth",
		From: a.From, To: a.To, PrevFrom: a.PrevFrom, PrevTo: a.PrevTo}
	v.VolumeURL = "/stats/aim?" + period.Encode()
	period.Set("sort", "growth")
	v.GrowthURL = "/stats/aim?" + period.Encode()
	rows := func(rs []store.AimRow) []aimRowView {
		most := 1
		for _, r := range rs {
			most = max(most, r.Risky, r.Previous)
		}
		var out []aimRowView
		for _, r := range rs {
			rv := aimRowView{AimRow: r, Label: valueLabel(r.Value), RateText: percent(r.Rate), BarW: aimBarW,
				Up: r.Change > 0, Down: r.Change < 0,
				NowW: f1(float64(aimBarW) * float64(r.Risky) / float64(most)), PrevW: f1(float64(aimBarW) * float64(r.Previous) / float64(most))}
			rv.ChangeText = strconv.Itoa(r.Change)
			if r.Change > 0 {
				rv.ChangeText = "+" + rv.ChangeText
			}
			switch {
			case r.Growth != nil:
				rv.GrowthText = percent(*r.Growth)
				if *r.Growth > 0 {
					rv.GrowthText = "+" + rv.GrowthText
				}
			case r.Risky > 0:
				rv.GrowthText = "new"
			default:
				rv.GrowthText = "—"
			}
			out = append(out, rv)
		}
		return out
	}
	v.Sites, v.Regions = rows(a.Sites), rows(a.Regions)
	return v
}
