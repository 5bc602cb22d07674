package eval

import "math"

// Band is one score band of a calibration table.
type Band struct {
	// Low and High bound the band: Low ≤ score < High, the last band
	// including 100.
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	N         int     `json:"n"`
	Deceptive int     `json:"deceptive"`
	// Observed is the deceptive share and MeanScore the mean score of the
	// band; both NaN (null in JSON) for an empty band.
	Observed  Float `json:"observed"`
	MeanScore Float `json:"mean_score"`
}

// Calibration compares scores, read as percent chances of being deceptive,
// with how often ads of that score are.
type Calibration struct {
	Bands []Band `json:"bands"`
	// ECE is the expected calibration error: Σ n_b/n · |observed_b −
	// mean_score_b/100| over the bands; NaN without results.
	ECE Float `json:"ece"`
}

// calibrate bins scores 0–100 into ten bands of width 10 (scores out of
// range go to the nearest band).
func calibrate(rs []Result) Calibration {
	const bands = 10
	var n, dec [bands]int
	var sum [bands]float64
	for _, r := range rs {
		b := min(max(int(r.Score/(100/bands)), 0), bands-1)
		n[b]++
		sum[b] += r.Score
		if r.Deceptive {
			dec[b]++
		}
	}
	cal := Calibration{ECE: Float(math.NaN())}
	ece := 0.0
	for b := range bands {
		band := Band{Low: float64(b * 100 / bands), High: float64((b + 1) * 100 / bands), N: n[b], Deceptive: dec[b],
			Observed: orNaN(ratio(dec[b], n[b]), n[b]), MeanScore: orNaN(sum[b]/float64(max(n[b], 1)), n[b])}
		if n[b] > 0 {
			ece += float64(n[b]) / float64(len(rs)) * math.Abs(float64(band.Observed)-float64(band.MeanScore)/100)
		}
		cal.Bands = append(cal.Bands, band)
	}
	if len(rs) > 0 {
		cal.ECE = Float(ece)
	}
	return cal
}

// AtThreshold is the quality of the whole data at one threshold.
type AtThreshold struct {
	// Threshold is NaN (null in JSON) when there is none, as for the
	// best-F1 threshold without deceptive ads.
	Threshold Float   `json:"threshold"`
	Counts    Counts  `json:"confusion"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

func atThreshold(th float64, c Counts) AtThreshold {
	return AtThreshold{Threshold: Float(th), Counts: c, Precision: c.Precision(), Recall: c.Recall(), F1: c.F1()}
}

// orNaN is x, or NaN when it is a share of nothing (n is 0).
func orNaN(x float64, n int) Float {
	if n == 0 {
		return Float(math.NaN())
	}
	return Float(x)
}
