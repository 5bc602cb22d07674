package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/lurewatch/lure/ad"
)

// indicatorResults are scored at threshold 50: flagged f1, f3 and l1.
func indicatorResults() []Result {
	return []Result{
		{ID: "f1", Lang: "uz", Kind: "job", Deceptive: true, Score: 80, Words: 60,
			Indicators: []string{"document_retention", "wage_withholding", "document_retention"}},
		{ID: "f2", Lang: "ru", Kind: "job", Deceptive: true, Score: 30, Words: 50, Indicators: []string{"deductions"}},
		{ID: "f3", Lang: "ky", Kind: "marriage", Deceptive: true, Score: 55, Words: 20, Indicators: []string{"sponsor_pays"}},
		{ID: "l1", Lang: "en", Kind: "job", Score: 60, Words: 80, Indicators: []string{"contract_before_departure", "named_employer_address"}},
		{ID: "l2", Lang: "en", Kind: "other", Score: 45, Words: 100, Indicators: []string{"news_report", "document_retention"}},
		{ID: "l3", Lang: "tr", Kind: "other", Score: 18, Words: 90, Indicators: []string{"awareness_post", "short_post"}},
		{ID: "l4", Lang: "lv", Kind: "job", Score: 12}, // Words unknown: not short
	}
}

func TestGroups(t *testing.T) {
	rep := Compute(indicatorResults(), ReportOptions{Threshold: 50})
	tests := []struct {
		name           string
		n, pos, tp, fp int
		recall         float64
	}{
		{"forced_labour", 2, 2, 1, 0, 0.5}, // f1, f2; not legit l2 with document_retention
		{"marriage", 1, 1, 1, 0, 1},
		{"short", 2, 1, 1, 0, 1}, // f3 by words, l3 by short_post
		{"news_awareness", 2, 0, 0, 0, 0},
		{"new_languages", 4, 2, 2, 0, 1},
	}
	if len(rep.Groups) != len(tests) {
		t.Fatalf("%d groups, want %d", len(rep.Groups), len(tests))
	}
	for i, tc := range tests {
		g := rep.Groups[i]
		if g.Name != tc.name || g.N != tc.n || g.Positives != tc.pos || g.Counts.TP != tc.tp || g.Counts.FP != tc.fp || !near(g.Recall, tc.recall) {
			t.Errorf("group %d: got %s n=%d pos=%d %+v recall %v, want %+v", i, g.Name, g.N, g.Positives, g.Counts, g.Recall, tc)
		}
		if g.Definition == "" {
			t.Errorf("group %s has no definition", g.Name)
		}
	}
	if d := rep.Groups[0].Definition; !strings.Contains(d, "debt_bondage") || strings.Contains(d, "contract_before_departure") {
		t.Errorf("forced_labour definition %q", d)
	}
}

func TestIndicators(t *testing.T) {
	rep := Compute(indicatorResults(), ReportOptions{Threshold: 50})
	nan := math.NaN()
	tests := []struct {
		name        string
		n, dec      int
		recall, fpr float64
		wrong       string
	}{
		{"contract_before_departure", 1, 0, nan, 1, "l1"},
		{"deductions", 1, 1, 0, nan, "f2"},
		{"named_employer_address", 1, 0, nan, 1, "l1"},
		{"document_retention", 2, 1, 1, 0, ""}, // counted once on f1
		{"awareness_post", 1, 0, nan, 0, ""},
		{"news_report", 1, 0, nan, 0, ""},
		{"short_post", 1, 0, nan, 0, ""},
		{"sponsor_pays", 1, 1, 1, nan, ""},
		{"wage_withholding", 1, 1, 1, nan, ""},
	}
	if len(rep.Indicators) != len(tests) {
		t.Fatalf("%d indicators, want %d: %+v", len(rep.Indicators), len(tests), rep.Indicators)
	}
	for i, tc := range tests {
		s := rep.Indicators[i]
		if s.Indicator != tc.name || s.N != tc.n || s.Deceptive != tc.dec || !near(float64(s.Recall), tc.recall) ||
			!near(float64(s.FPR), tc.fpr) || strings.Join(s.Wrong, " ") != tc.wrong {
			t.Errorf("indicator %d: got %+v, want %+v", i, s, tc)
		}
	}
	if s := rep.Indicators[3]; !near(s.FlaggedShare, 0.5) {
		t.Errorf("document_retention flagged share %v, want 0.5", s.FlaggedShare)
	}
}

func TestBestF1(t *testing.T) {
	const P, N = true, false
	tests := []struct {
		name string
		pts  []Point
		th   float64
		want Counts
	}{
		// 80 D, 60 L, 55 D, 45 L, 30 D, 18 L, 12 L: F1 .5 .4 .667 .571 .75 .667 .6.
		{"sample", pts(80.0, P, 60.0, N, 55.0, P, 45.0, N, 30.0, P, 18.0, N, 12.0, N), 30, Counts{TP: 3, FP: 2, TN: 2}},
		// F1 ⅔ at 90 and at 60: the higher threshold.
		{"tie keeps highest", pts(90.0, P, 80.0, N, 70.0, N, 60.0, P), 90, Counts{TP: 1, FN: 1, TN: 2}},
		{"tied scores one step", pts(50.0, P, 50.0, N, 10.0, N), 50, Counts{TP: 1, FP: 1, TN: 1}},
		{"no positives", pts(50.0, N, 10.0, N), math.NaN(), Counts{TN: 2}},
		{"empty", nil, math.NaN(), Counts{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			th, c := BestF1(tc.pts)
			if !near(th, tc.th) || c != tc.want {
				t.Errorf("BestF1 = %v %+v, want %v %+v", th, c, tc.th, tc.want)
			}
		})
	}
	rep := Compute(indicatorResults(), ReportOptions{Threshold: 50})
	d, b := rep.Thresholds.Default, rep.Thresholds.BestF1
	if d.Threshold != 50 || !near(d.F1, 2.0/3) || !near(d.Precision, 2.0/3) || !near(d.Recall, 2.0/3) {
		t.Errorf("default %+v", d)
	}
	if b.Threshold != 30 || !near(b.F1, 0.75) || !near(b.Precision, 0.6) || !near(b.Recall, 1) {
		t.Errorf("best F1 %+v", b)
	}
}

func TestCalibration(t *testing.T) {
	tests := []struct {
		name   string
		rs     []Result
		counts [10]int // results per band
		ece    float64
	}{
		{"sample", indicatorResults(), [10]int{0, 2, 0, 1, 1, 1, 1, 0, 1, 0},
			// |1−.8| + |0−.6| + |1−.55| + |0−.45| + |1−.3| + 2·|0−.15|, over 7.
			2.7 / 7},
		{"edges", []Result{{Score: 0}, {Score: 10, Deceptive: true}, {Score: 95, Deceptive: true}, {Score: 100, Deceptive: true}},
			[10]int{1, 1, 0, 0, 0, 0, 0, 0, 0, 2}, (0 + 0.9 + 2*0.025) / 4},
		{"perfect", []Result{{Score: 0}, {Score: 100, Deceptive: true}}, [10]int{1, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0},
		{"empty", nil, [10]int{}, math.NaN()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := calibrate(tc.rs)
			if len(cal.Bands) != 10 || cal.Bands[9].Low != 90 || cal.Bands[9].High != 100 {
				t.Fatalf("bands %+v", cal.Bands)
			}
			for i, b := range cal.Bands {
				if b.N != tc.counts[i] {
					t.Errorf("band %g–%g: n=%d, want %d", b.Low, b.High, b.N, tc.counts[i])
				}
			}
			if !near(float64(cal.ECE), tc.ece) {
				t.Errorf("ECE %v, want %v", cal.ECE, tc.ece)
			}
		})
	}
	b := calibrate(indicatorResults()).Bands[1]
	if b.Deceptive != 0 || !near(float64(b.Observed), 0) || !near(float64(b.MeanScore), 15) {
		t.Errorf("band 10–20: %+v", b)
	}
	if e := calibrate(indicatorResults()).Bands[2]; !math.IsNaN(float64(e.Observed)) || !math.IsNaN(float64(e.MeanScore)) {
		t.Errorf("empty band %+v", e)
	}
}

func TestIndicatorReportOutput(t *testing.T) {
	rep := Compute(indicatorResults(), ReportOptions{Threshold: 50})
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| default | 50.000 | 0.667 | 0.667 | 0.667 | 2 | 1 | 1 |",
		"| best F1 | 30.000 | 0.600 | 1.000 | 0.750 | 3 | 2 | 0 |",
		"Expected calibration error: 0.386.",
		"| 10–20 | 2 | 0 | 0.000 | 15.0 |",
		"| 80–90 | 1 | 1 | 1.000 | 80.0 |",
		"## By group",
		"| forced_labour | 2 | 2 | 50.0% | 1.000 | 0.500 | 0.667 |",
		"- short: indicator short_post, or title and body of at most 25 words",
		"| deductions | 1 | 1 | 0.0% | 0.000 | n/a | f2 |",
		"| contract_before_departure | 1 | 0 | 100.0% | n/a | 1.000 | l1 |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(md.String(), "| 20–30 |") {
		t.Errorf("empty band shown:\n%s", md.String())
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Thresholds struct {
			BestF1 struct {
				Threshold float64 `json:"threshold"`
				F1        float64 `json:"f1"`
			} `json:"best_f1"`
		} `json:"thresholds"`
		Calibration struct {
			Bands []struct {
				Observed *float64 `json:"observed"`
			} `json:"bands"`
			ECE float64 `json:"ece"`
		} `json:"calibration"`
		Groups []struct {
			Name       string `json:"name"`
			Definition string `json:"definition"`
			N          int    `json:"n"`
		} `json:"groups"`
		Indicators []struct {
			Indicator string   `json:"indicator"`
			Recall    *float64 `json:"recall"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("json: %v\n%s", err, js.String())
	}
	if back.Thresholds.BestF1.Threshold != 30 || !near(back.Thresholds.BestF1.F1, 0.75) || math.Abs(back.Calibration.ECE-2.7/7) > 1e-5 ||
		back.Calibration.Bands[2].Observed != nil || len(back.Groups) != 5 || back.Groups[4].Name != "new_languages" ||
		back.Groups[4].N != 4 || !strings.Contains(back.Groups[4].Definition, "uz") ||
		back.Indicators[0].Indicator != "contract_before_departure" || back.Indicators[0].Recall != nil {
		t.Errorf("json: %+v", back)
	}
}

type fixedScorer map[string]float64

func (s fixedScorer) Score(_ context.Context, a ad.Ad) ad.Verdict {
	return ad.Verdict{Ad: a, Score: s[a.ID]}
}

func TestIndicatorsLoadAndRun(t *testing.T) {
	ctx := context.Background()
	recs, err := LoadFile(ctx, "testdata/indicators.jsonl", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0].Indicators, " ") != "document_retention wage_withholding" || recs[2].Indicators != nil {
		t.Fatalf("indicators not loaded: %+v", recs)
	}
	res, err := Run(ctx, fixedScorer{"i1": 70, "i2": 20, "i3": 10}, recs)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Indicators[1] != "wage_withholding" || res[0].Words != 11 || res[2].Words != 4 || res[1].Words <= shortWords {
		t.Errorf("results %+v", res)
	}
	rep := Compute(res, ReportOptions{Threshold: 50})
	got := map[string]int{}
	for _, g := range rep.Groups {
		got[g.Name] = g.N
	}
	if want := map[string]int{"forced_labour": 1, "marriage": 0, "short": 2, "news_awareness": 1, "new_languages": 1}; !maps.Equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
}
