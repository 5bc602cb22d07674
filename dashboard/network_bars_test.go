package dashboard

import "testing"

func TestBarsOnTimeAxis(t *testing.T) {
	t.Run("days with a gap", func(t *testing.T) {
		bs, ax := bars([]Count{{"2025-11-21", 1}, {"2025-11-13", 2}, {"2025-11-15", 1}})
		if ax.From != "2025-11-13" || ax.To != "2025-11-21" || ax.Unit != "day" {
			t.Fatalf("axis %+v", ax)
		}
		if len(bs) != 3 {
			t.Fatalf("%d bars, want 3", len(bs))
		}
		// Nine days from the 13th to the 21st: the 15th is two bins on,
		// the 21st eight.
		w := bs[0].W + 1
		if bs[0].X != 0 || bs[1].X != 2*w || bs[2].X != 8*w {
			t.Errorf("x = %v, %v, %v; want 0, %v, %v", bs[0].X, bs[1].X, bs[2].X, 2*w, 8*w)
		}
		if bs[0].H <= bs[1].H {
			t.Errorf("the day with 2 ads is not taller: %v vs %v", bs[0].H, bs[1].H)
		}
	})
	t.Run("long span in weeks", func(t *testing.T) {
		bs, ax := bars([]Count{{"2025-01-01", 1}, {"2025-01-02", 1}, {"2025-12-31", 3}})
		if ax.Unit != "week" || ax.From != "2024-12-30" || ax.To != "2025-12-29" {
			t.Fatalf("axis %+v", ax)
		}
		if len(bs) != 2 || bs[0].N != 2 || bs[1].N != 3 {
			t.Errorf("bars %+v, want a week of 2 and a week of 3", bs)
		}
		if bs[1].X+bs[1].W > chartW+0.001 {
			t.Errorf("last bar ends at %v, beyond the chart", bs[1].X+bs[1].W)
		}
	})
	t.Run("bad labels", func(t *testing.T) {
		if bs, ax := bars([]Count{{"junk", 1}}); bs != nil || ax.From != "" {
			t.Errorf("got %v %+v", bs, ax)
		}
	})
}
