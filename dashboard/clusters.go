package dashboard

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/auth"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/redact"
	"github.com/lurewatch/lure/store"
)

// Networks reads recruiter networks (clusters of ads linked by shared
// contacts or near-duplicate templates). *NetworkViews implements it.
type Networks interface {
	Clusters(ctx context.Context, f store.ClusterFilter) ([]ClusterRow, int, error)
	Cluster(ctx context.Context, id string) (ClusterView, error)
	Ad(ctx context.Context, adID string) (AdNetwork, error)
	ClusterIDs(ctx context.Context, id string) ([]string, error)
	Contact(ctx context.Context, value string) (ContactView, error)
	Weights() network.Weights
}

// Route labels of the cluster pages and API.
const (
	routeClusters         = "clusters"
	routeCluster          = "cluster"
	routeClusterReview    = "cluster_review"
	routeAPIClusters      = "api_clusters"
	routeAPICluster       = "api_cluster"
	routeAPIClusterReview = "api_cluster_review"
	routeAPIContact       = "api_contact"
)

// clusterRouteLabels are the route labels of lure_dashboard_requests_total
// that clusterRoutes uses.
var clusterRouteLabels = []string{routeClusters, routeCluster, routeClusterReview,
	routeAPIClusters, routeAPICluster, routeAPIClusterReview, routeAPIContact}

func (s *server) clusterRoutes(rs routeSet) {
	const analyst = auth.Analyst
	rs.handle("GET /clusters", routeClusters, rs.page(analyst, s.handleClusters))
	rs.handle("GET /clusters/{id}", routeCluster, rs.page(analyst, s.handleCluster))
	rs.handle("POST /clusters/{id}/review", routeClusterReview, rs.page(analyst, s.handleClusterReview))
	rs.handle("GET /api/v1/clusters", routeAPIClusters, rs.api(analyst, s.handleAPIClusters))
	rs.handle("GET /api/v1/clusters/{id}", routeAPICluster, rs.api(analyst, s.handleAPICluster))
	rs.handle("POST /api/v1/clusters/{id}/review", routeAPIClusterReview, rs.api(analyst, s.handleAPIClusterReview))
	rs.handle("GET /api/v1/contacts", routeAPIContact, rs.api(analyst, s.handleAPIContact))
}

// handleAPIContact: GET /api/v1/contacts?value=+37369123456 — one contact
// over all ads: ads, sites, cities, first and last seen, networks.
func (s *server) handleAPIContact(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "recruiter networks are not available on this node")
		return
	}
	v := r.URL.Query().Get("value")
	if v == "" || len(v) > 256 {
		writeJSONError(w, http.StatusBadRequest, "give value: a phone in E.164, an e-mail or a handle (at most 256 bytes)")
		return
	}
	c, err := s.opts.Networks.Contact(r.Context(), v)
	if errors.Is(err, store.ErrNoCluster) {
		writeJSONError(w, http.StatusNotFound, "no ad uses this contact")
		return
	}
	if err != nil {
		s.log.Error("dashboard: api contact", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the contact")
		return
	}
	writeJSON(w, http.StatusOK, c)
}

const noNetworks = "Recruiter networks are not available on this node."

// clusterFilter reads sort and page parameters.
func clusterFilter(r *http.Request) (store.ClusterFilter, int, error) {
	page, err := pageParam(r)
	if err != nil {
		return store.ClusterFilter{}, 0, err
	}
	f := store.ClusterFilter{Sort: r.URL.Query().Get("sort"), Limit: PageSize, Offset: (page - 1) * PageSize}
	if f.Sort != "" && f.Sort != store.ClusterBySize && f.Sort != store.ClusterByRisk {
		return f, 0, errors.New("sort must be size or risk")
	}
	return f, page, nil
}

type clustersData struct {
	Rows  []ClusterRow
	Total int
	Sort  string
	Pager pager
}

// handleClusters lists networks, largest (or riskiest) first.
func (s *server) handleClusters(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, noNetworks)
		return
	}
	f, page, err := clusterFilter(r)
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	rows, total, err := s.opts.Networks.Clusters(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: clusters", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the networks.")
		return
	}
	keep := url.Values{}
	if f.Sort != "" {
		keep.Set("sort", f.Sort)
	}
	s.render(w, r, http.StatusOK, "clusters", view{Title: "Recruiter networks", Nav: "clusters", Data: clustersData{
		Rows: rows, Total: total, Sort: f.Sort, Pager: newPager("/clusters", keep, page, min(total, MaxPage*PageSize), PageSize)}})
}

type clusterData struct {
	C        ClusterView
	Weights  network.Weights
	Statuses []statusOption
	Known    []store.KnownPartner // partner organisations that shared an indicator of its ads
}

// handleCluster shows one network: its ads, timeline, sites, cities,
// contacts, representative ad with the varying parts marked, a graph of
// ads and contacts, the network score, and a form to decide on every ad.
func (s *server) handleCluster(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, noNetworks)
		return
	}
	c, err := s.opts.Networks.Cluster(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNoCluster) {
		s.renderError(w, r, http.StatusNotFound, "No network with this ID.")
		return
	}
	if err != nil {
		s.log.Error("dashboard: cluster", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "Could not read the network.")
		return
	}
	title := "Network " + c.ID
	s.render(w, r, http.StatusOK, "cluster", view{Title: title, Nav: "clusters",
		Data: clusterData{C: c, Weights: s.opts.Networks.Weights(), Statuses: statusOptions, Known: s.clusterKnownTo(r.Context(), c.ID)}})
}

// clusterChange builds the review change for every ad of a cluster.
func (s *server) clusterChange(r *http.Request, id string, in reviewInput) (store.Change, int, error) {
	if in.Status == "" {
		return store.Change{}, http.StatusBadRequest, errors.New("give a status")
	}
	ids, err := s.opts.Networks.ClusterIDs(r.Context(), id)
	if errors.Is(err, store.ErrNoCluster) {
		return store.Change{}, http.StatusNotFound, errors.New("no network with this ID")
	}
	if err != nil {
		s.log.Error("dashboard: cluster ids", "err", err)
		return store.Change{}, http.StatusInternalServerError, errors.New("could not read the network")
	}
	in.IDs, in.Assignee = ids, nil
	c, err := in.change(who(r).Name)
	if err != nil {
		return store.Change{}, http.StatusBadRequest, err
	}
	return c, http.StatusOK, nil
}

// handleClusterReview records one decision on every ad of a network (up
// to store.MaxBatch), each audited, plus one audit entry for the network.
func (s *server) handleClusterReview(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, noNetworks)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "Bad form.")
		return
	}
	id := r.PathValue("id")
	c, code, err := s.clusterChange(r, id, reviewInput{Status: r.PostFormValue("status"), Note: r.PostFormValue("note")})
	if err != nil {
		s.renderError(w, r, code, "Cannot record this: "+err.Error()+".")
		return
	}
	if !s.applyForm(w, r, reviewInput{IDs: c.AdIDs, Status: c.Status, Note: c.Note}) {
		return
	}
	s.audit(r, "cluster_review", nil, map[string]any{"cluster": id, "ads": len(c.AdIDs), "status": c.Status})
	http.Redirect(w, r, "/clusters/"+url.PathEscape(id)+"#decide", http.StatusSeeOther)
}

func (s *server) handleAPIClusters(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "recruiter networks are not available on this node")
		return
	}
	f, _, err := clusterFilter(r)
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	rows, total, err := s.opts.Networks.Clusters(r.Context(), f)
	if err != nil {
		s.log.Error("dashboard: api clusters", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the networks")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "clusters": rows})
}

func (s *server) handleAPICluster(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "recruiter networks are not available on this node")
		return
	}
	c, err := s.opts.Networks.Cluster(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNoCluster) {
		writeJSONError(w, http.StatusNotFound, "cluster not found")
		return
	}
	if err != nil {
		s.log.Error("dashboard: api cluster", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not read the cluster")
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// handleAPIClusterReview: POST /api/v1/clusters/{id}/review {"status","note"}.
func (s *server) handleAPIClusterReview(w http.ResponseWriter, r *http.Request) {
	if s.opts.Networks == nil {
		writeJSONError(w, http.StatusServiceUnavailable, "recruiter networks are not available on this node")
		return
	}
	var in reviewInput
	if err := decodeBody(w, r, &in); err != nil {
		writeJSONError(w, http.StatusBadRequest, err.Error())
		return
	}
	if len(in.IDs) > 0 || in.Assignee != nil {
		writeJSONError(w, http.StatusBadRequest, "a cluster decision takes only status and note")
		return
	}
	id := r.PathValue("id")
	c, code, err := s.clusterChange(r, id, in)
	if err != nil {
		writeJSONError(w, code, err.Error())
		return
	}
	out, err := s.db.Apply(r.Context(), c)
	s.counts.invalidate()
	if err != nil {
		s.log.Error("dashboard: api cluster review", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "could not record the decision")
		return
	}
	s.audit(r, "cluster_review", nil, map[string]any{"cluster": id, "ads": len(c.AdIDs), "status": c.Status})
	writeJSON(w, http.StatusOK, map[string]any{"cluster": id, "reviews": out})
}

// adNetwork is the network box of the ad page; nil when there is none.
func (s *server) adNetwork(ctx context.Context, adID string) *AdNetwork {
	if s.opts.Networks == nil {
		return nil
	}
	av, err := s.opts.Networks.Ad(ctx, adID)
	if err != nil {
		if !errors.Is(err, store.ErrNoCluster) {
			s.log.Error("dashboard: ad network", "err", err)
		}
		return nil
	}
	return &av
}

// graphLabelRunes bounds the title in an ad's label on the graph.
const graphLabelRunes = 24

// shortTitle is an ad's title clipped for a label, "(no title)" when it
// has none.
func shortTitle(title string) string {
	title = strings.TrimSpace(title)
	if title == "" {
		return "(no title)"
	}
	if r := []rune(title); len(r) > graphLabelRunes {
		return strings.TrimSpace(string(r[:graphLabelRunes-1])) + "…"
	}
	return title
}

// contactLabel is the visible label of contact i (0-based, in the order
// of the page's contact list) on the graph: the contact redacted as for
// viewers, and its number in the list. Graphs end up in screenshots and
// reports; the value itself stays in the node's tooltip and the list.
func contactLabel(i int, kind, value string) string {
	r := redact.String(value)
	if r == value || strings.ContainsAny(r, "0123456789") {
		r = "[" + kind + "]" // not recognised as a contact: say what it is
	}
	return r + " " + strconv.Itoa(i+1)
}
