package dashboard

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/lurewatch/lure/store"
)

// campaignCSVHeader is the header of the campaign CSV export. Each row is
// a count: dimension "all" (the period), "week" (one week of it), or a
// dimension of store.Dims with its value, for the whole period (week
// empty) or one week.
var campaignCSVHeader = []string{"dimension", "value", "week", "total", "risky", "rate"}

func writeCampaignCSV(w io.Writer, c store.Campaign) error {
	cw := csv.NewWriter(w)
	row := func(dim, value, week string, n store.Count) {
		cw.Write([]string{dim, csvSafe(value), week, strconv.Itoa(n.Total), strconv.Itoa(n.Risky),
			strconv.FormatFloat(n.Rate, 'f', 4, 64)})
	}
	cw.Write(campaignCSVHeader)
	row("all", "", "", c.Count)
	for _, wk := range c.Weeks {
		row("week", "", wk.Week, wk.Count)
	}
	for _, dim := range store.Dims {
		for _, r := range c.By[dim] {
			row(dim, r.Value, "", r.Count)
			for _, wk := range r.Weekly {
				row(dim, r.Value, wk.Week, wk.Count)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
