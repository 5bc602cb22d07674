package dashboard

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Route labels of lure_dashboard_requests_total.
const (
	routeList      = "list"
	routeSearch    = "search"
	routeAd        = "ad"
	routeAPIList   = "api_list"
	routeAPIAd     = "api_ad"
	routeHealth    = "healthz"
	routeMetrics   = "metrics"
	routeStatic    = "static"
	routeNotFound  = "not_found"
	routeLogin     = "login"
	routeLogout    = "logout"
	routeStats     = "stats"
	routeDecide    = "review"
	routeSaved     = "saved"
	routeExport    = "export"
	routeAudit     = "audit"
	routeAdmin     = "admin"
	routeAPIMe     = "api_me"
	routeAPIStats  = "api_stats"
	routeAPIAudit  = "api_audit"
	routeAPIDecide = "api_review"
)

var routes = slices.Concat(coreRoutes, noticeRouteLabels, screenRouteLabels, campaignRouteLabels, clusterRouteLabels)

var coreRoutes = []string{routeList, routeSearch, routeAd, routeAPIList, routeAPIAd,
	routeHealth, routeMetrics, routeStatic, routeNotFound, routeLogin, routeLogout, routeStats,
	routeDecide, routeSaved, routeExport, routeAudit, routeAdmin, routeAPIMe, routeAPIStats,
	routeAPIAudit, routeAPIDecide}

// loginOutcomes label lure_dashboard_logins_total.
var loginOutcomes = []string{"ok", "failed", "throttled"}

// codes are the status-code labels; any other code counts as "other".
var codes = []string{"200", "201", "303", "304", "400", "401", "403", "404", "405", "413", "415", "422", "429", "500", "503", "other"}

// Metrics counts dashboard requests.
type Metrics struct {
	Requests *prometheus.CounterVec
	Duration *prometheus.HistogramVec
	Logins   *prometheus.CounterVec
}

// NewMetrics creates the dashboard metrics, with every series up front,
// and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "dashboard", Name: "requests_total",
			Help: "Dashboard HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "lure", Subsystem: "dashboard", Name: "request_duration_seconds",
			Help:    "Dashboard HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		Logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "lure", Subsystem: "dashboard", Name: "logins_total",
			Help: "Login attempts by outcome (ok, failed, throttled).",
		}, []string{"outcome"}),
	}
	for _, o := range loginOutcomes {
		m.Logins.WithLabelValues(o)
	}
	for _, r := range routes {
		for _, c := range codes {
			m.Requests.WithLabelValues(r, c)
		}
		m.Duration.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(m.Requests, m.Duration, m.Logins)
	}
	return m
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func codeLabel(code int) string {
	s := strconv.Itoa(code)
	for _, c := range codes {
		if c == s {
			return s
		}
	}
	return "other"
}

// instrument wraps a route's handler with request metrics and a debug log.
func (s *server) instrument(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		if m := s.opts.RequestMetrics; m != nil {
			m.Requests.WithLabelValues(route, codeLabel(sw.code)).Inc()
			m.Duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}
		s.log.Debug("dashboard: request", "route", route, "code", sw.code, "dur", time.Since(start))
	})
}
