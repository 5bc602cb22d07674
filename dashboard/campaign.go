package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/redact"
	"github.com/lurewatch/lure/store"
)

// Campaign statistics for viewers (NGOs): counts and rates of risky ads
// over a period by week, site, origin region, destination, job category,
// signal and language (/stats/campaign, its CSV and JSON), and where to aim
// a campaign (/stats/aim, its CSV and JSON). Every number comes from the
// store's aggregate queries; the only text taken from ads are the typical
// wordings, which pass through package redact.

const (
	routeCampaign    = "campaign"
	routeCampaignCSV = "campaign_csv"
	routeAim         = "aim"
	routeAimCSV      = "aim_csv"
	routeAPICampaign = "api_campaign"
	routeAPIAim      = "api_aim"
)

// campaignRouteLabels are the route labels of lure_dashboard_requests_total
// that campaignRoutes uses.
var campaignRouteLabels = []string{routeCampaign, routeCampaignCSV, routeAim, routeAimCSV, routeAPICampaign, routeAPIAim}

func (s *server) campaignRoutes(rs routeSet) {
	viewer := auth.Viewer
	rs.handle("GET /stats/campaign", routeCampaign, rs.page(viewer, s.handleCampaign))
	rs.handle("GET /stats/campaign.csv", routeCampaignCSV, rs.page(viewer, s.handleCampaignCSV))
	rs.handle("GET /stats.csv", routeCampaignCSV, rs.page(viewer, s.handleCampaignCSV))
	rs.handle("GET /stats/aim", routeAim, rs.page(viewer, s.handleAim))
	rs.handle("GET /stats/aim.csv", routeAimCSV, rs.page(viewer, s.handleAimCSV))
	rs.handle("GET /api/v1/campaign", routeAPICampaign, rs.api(viewer, s.handleAPICampaign))
	rs.handle("GET /api/v1/campaign/aim", routeAPIAim, rs.api(viewer, s.handleAPIAim))
}

// DefaultCampaignWeeks is the length of the default period: this week and
// the weeks before it.
const DefaultCampaignWeeks = 12

// campaignPresets are the period presets, in weeks ending this week.
var campaignPresets = []struct {
	Key   string
	Label string
	Weeks int
}{{"4w", "4 weeks", 4}, {"12w", "12 weeks", 12}, {"26w", "26 weeks", 26}, {"52w", "52 weeks", 52}}

// campaignPeriod reads from, to (YYYY-MM-DD, to included) and preset; the
// default is the last DefaultCampaignWeeks weeks (or the preset's) up to
// today — or up to latest, the newest day with ads, when that falls before
// those weeks, so that a store of older ads (an archive, the demo) opens
// on its data rather than on empty weeks.
func campaignPeriod(q url.Values, now, latest time.Time) (store.Period, error) {
	today := now.UTC()
	weeks := DefaultCampaignWeeks
	if p := q.Get("preset"); p != "" {
		found := false
		for _, x := range campaignPresets {
			if x.Key == p {
				weeks, found = x.Weeks, true
			}
		}
		if !found {
			return store.Period{}, fmt.Errorf("preset must be one of 4w, 12w, 26w, 52w")
		}
	}
	to := today
	if !latest.IsZero() {
		thisMonday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		if latest.Before(thisMonday.AddDate(0, 0, -7*(weeks-1))) {
			to = latest.UTC()
		}
	}
	if raw := q.Get("to"); raw != "" && q.Get("preset") == "" {
		t, err := time.Parse("2006-01-02", raw)
		if err != nil {
			return store.Period{}, errors.New("to must be a date (YYYY-MM-DD)")
		}
		to = t
	}
	monday := to.AddDate(0, 0, -((int(to.Weekday()) + 6) % 7))
	from := monday.AddDate(0, 0, -7*(weeks-1))
	if raw := q.Get("from"); raw != "" && q.Get("preset") == "" {
		t, err := time.Parse("2006-01-02", raw)
		if err != nil {
			return store.Period{}, errors.New("from must be a date (YYYY-MM-DD)")
		}
		from = t
	}
	p, err := store.NewPeriod(from, to)
	if err != nil {
		return store.Period{}, fmt.Errorf("from must not be after to, and the period at most %d days", store.MaxCampaignDays)
	}
	return p, nil
}

// period reads the requested period; see campaignPeriod.
func (s *server) period(r *http.Request) (store.Period, error) {
	latest, err := s.db.LatestCampaignDay(r.Context())
	if err != nil {
		s.log.Warn("dashboard: campaign", "err", err)
	}
	return campaignPeriod(r.URL.Query(), s.now(), latest)
}

func (s *server) campaign(w http.ResponseWriter, r *http.Request, api bool) (store.Campaign, bool) {
	p, err := s.period(r)
	if err != nil {
		s.badRequest(w, r, api, err.Error())
		return store.Campaign{}, false
	}
	c, err := s.db.Campaign(r.Context(), p)
	if err != nil {
		s.log.Error("dashboard: campaign", "err", err)
		s.failed(w, r, api, "could not read the campaign statistics")
		return store.Campaign{}, false
	}
	return c, true
}

func (s *server) badRequest(w http.ResponseWriter, r *http.Request, api bool, msg string) {
	if api {
		writeJSONError(w, http.StatusBadRequest, msg)
		return
	}
	s.renderError(w, r, http.StatusBadRequest, msg)
}

func (s *server) failed(w http.ResponseWriter, r *http.Request, api bool, msg string) {
	if api {
		writeJSONError(w, http.StatusInternalServerError, msg)
		return
	}
	s.renderError(w, r, http.StatusInternalServerError, msg)
}

func (s *server) handleAPICampaign(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.campaign(w, r, true); ok {
		writeJSON(w, http.StatusOK, c)
	}
}

func (s *server) handleCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.campaign(w, r, false)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "campaign", view{Title: "Campaign statistics", Nav: "stats", Data: newCampaignView(c, r.URL.Query())})
}

func (s *server) handleCampaignCSV(w http.ResponseWriter, r *http.Request) {
	c, ok := s.campaign(w, r, false)
	if !ok {
		return
	}
	csvDownload(w, fmt.Sprintf("lure-campaign-%s-%s.csv", c.From, c.To))
	if err := writeCampaignCSV(w, c); err != nil {
		s.log.Warn("dashboard: campaign csv", "err", err)
	}
}

func (s *server) aim(w http.ResponseWriter, r *http.Request, api bool) (store.Aim, bool) {
	q := r.URL.Query()
	p, err := s.period(r)
	if err != nil {
		s.badRequest(w, r, api, err.Error())
		return store.Aim{}, false
	}
	o := store.AimOptions{Redact: redact.String}
	switch q.Get("sort") {
	case "", "volume":
	case "growth":
		o.ByGrowth = true
	default:
		s.badRequest(w, r, api, "sort must be volume or growth")
		return store.Aim{}, false
	}
	if o.Limit, err = intParam(r, "limit", 10, 1, 50); err != nil {
		s.badRequest(w, r, api, err.Error())
		return store.Aim{}, false
	}
	a, err := s.db.Aim(r.Context(), p, o)
	if err != nil {
		s.log.Error("dashboard: aim", "err", err)
		s.failed(w, r, api, "could not read where to aim")
		return store.Aim{}, false
	}
	return a, true
}

func (s *server) handleAPIAim(w http.ResponseWriter, r *http.Request) {
	if a, ok := s.aim(w, r, true); ok {
		writeJSON(w, http.StatusOK, a)
	}
}

func (s *server) handleAim(w http.ResponseWriter, r *http.Request) {
	a, ok := s.aim(w, r, false)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "aim", view{Title: "Where to aim", Nav: "stats", Data: newAimView(a, r.URL.Query())})
}

// percent formats a rate as a percentage with one decimal ("37.5%").
func percent(r float64) string { return strconv.FormatFloat(r*100, 'f', 1, 64) + "%" }

// dimLabels name the dimensions on the page.
var dimLabels = map[string]string{
	store.DimSite: "Source site", store.DimRegion: "Origin region", store.DimDestination: "Destination country",
	store.DimCategory: "Job category", store.DimSignal: "Signal", store.DimLang: "Language",
}

// valueLabel shows an empty dimension value.
func valueLabel(v string) string {
	if strings.TrimSpace(v) == "" {
		return "(unknown)"
	}
	return v
}
