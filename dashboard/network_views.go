package dashboard

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/network"
	"github.com/lurewatch/lure/store"
)

// NetworkStore is what the network views read of the recruiter networks
// the engine stored. *store.Networks implements it.
type NetworkStore interface {
	Clusters(ctx context.Context, f store.ClusterFilter) ([]store.ClusterSummary, int, error)
	Cluster(ctx context.Context, id string) (store.ClusterSummary, error)
	ClusterOf(ctx context.Context, adID string) (string, int, error)
	ClusterAds(ctx context.Context, id string, limit int) ([]store.ClusterAd, error)
	ClusterContacts(ctx context.Context, cluster string) ([]store.ContactSummary, error)
	AdContacts(ctx context.Context, adID string) ([]store.ContactSummary, error)
	ClusterTimes(ctx context.Context, cluster string) ([]time.Time, error)
	ClusterConfirmed(ctx context.Context, cluster string) ([]string, error)
	ClusterIDs(ctx context.Context, cluster string, limit int) ([]string, error)
	Contact(ctx context.Context, value string) (store.ContactSummary, error)
}

// AdLister lists stored verdicts; the network views read the members'
// texts with it. *store.Store implements it.
type AdLister interface {
	List(ctx context.Context, f store.Filter) ([]ad.Verdict, int, error)
}

// NetworkViews reads clusters for the cluster and ad pages: summaries,
// members, contacts, the representative ad, a graph of ads and contacts,
// and the network score. It only reads the store.
type NetworkViews struct {
	st        NetworkStore
	ads       AdLister
	w         network.Weights
	threshold float64
}

// NewNetworkViews returns cluster views over the networks in st and the
// ads in ads, with network-score weights w (zero fields take the
// defaults).
func NewNetworkViews(st NetworkStore, ads AdLister, w network.Weights) *NetworkViews {
	return &NetworkViews{st: st, ads: ads, w: w.WithDefaults(), threshold: network.DefaultThreshold}
}

// Weights returns the network-score weights in use.
func (v *NetworkViews) Weights() network.Weights { return v.w }

// ClusterRow is one cluster in a listing, with its network score.
type ClusterRow struct {
	store.ClusterSummary
	Network network.Explanation `json:"network"`
}

// Clusters lists clusters with their network scores.
func (v *NetworkViews) Clusters(ctx context.Context, f store.ClusterFilter) ([]ClusterRow, int, error) {
	cs, total, err := v.st.Clusters(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("network: %w", err)
	}
	out := make([]ClusterRow, len(cs))
	for i, c := range cs {
		contacts, err := v.st.ClusterContacts(ctx, c.ID)
		if err != nil {
			return nil, 0, fmt.Errorf("network: %w", err)
		}
		facts, err := v.facts(ctx, c.ID, "", contacts)
		if err != nil {
			return nil, 0, err
		}
		out[i] = ClusterRow{ClusterSummary: c, Network: network.Score(facts, v.w)}
	}
	return out, total, nil
}

func (v *NetworkViews) facts(ctx context.Context, cluster, self string, contacts []store.ContactSummary) (network.Facts, error) {
	var f network.Facts
	for _, c := range contacts {
		f.ContactAds = max(f.ContactAds, c.Ads)
		f.ContactCities = max(f.ContactCities, len(c.Cities))
	}
	confirmed, err := v.st.ClusterConfirmed(ctx, cluster)
	if err != nil {
		return f, fmt.Errorf("network: %w", err)
	}
	for _, id := range confirmed {
		if id != self {
			f.Confirmed++
		}
	}
	if f.Times, err = v.st.ClusterTimes(ctx, cluster); err != nil {
		return f, fmt.Errorf("network: %w", err)
	}
	if ps, ok := v.ads.(PartnerStore); ok {
		known, err := ps.ClusterKnownTo(ctx, cluster)
		if err != nil {
			return f, fmt.Errorf("network: %w", err)
		}
		f.Partners = len(known)
	}
	return f, nil
}

// Count is a labelled number.
type Count struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

// Bar is one bar of the timeline chart (SVG coordinates).
type Bar struct {
	Count
	X, Y, W, H float64
}

// ClusterView is everything the cluster page shows.
type ClusterView struct {
	store.ClusterSummary
	Ads            []store.ClusterAd      `json:"ads"`
	ContactList    []store.ContactSummary `json:"contact_list"`
	SiteCounts     []Count                `json:"site_counts"`
	CityCounts     []Count                `json:"city_counts"`
	Timeline       []Count                `json:"timeline"` // ads per day
	Bars           []Bar                  `json:"-"`
	Axis           Axis                   `json:"-"`
	Representative Representative         `json:"representative"`
	Network        network.Explanation    `json:"network"`
	Graph          Graph                  `json:"-"`
}

// Cluster returns the view of one cluster, or an error wrapping
// store.ErrNoCluster.
func (v *NetworkViews) Cluster(ctx context.Context, id string) (ClusterView, error) {
	c, err := v.st.Cluster(ctx, id)
	if err != nil {
		return ClusterView{}, fmt.Errorf("network: %w", err)
	}
	cv := ClusterView{ClusterSummary: c}
	if cv.Ads, err = v.st.ClusterAds(ctx, id, store.MaxClusterAds); err != nil {
		return cv, fmt.Errorf("network: %w", err)
	}
	if cv.ContactList, err = v.st.ClusterContacts(ctx, id); err != nil {
		return cv, fmt.Errorf("network: %w", err)
	}
	facts, err := v.facts(ctx, id, "", cv.ContactList)
	if err != nil {
		return cv, err
	}
	cv.Network = network.Score(facts, v.w)
	sites, cities, days := map[string]int{}, map[string]int{}, map[string]int{}
	for _, a := range cv.Ads {
		sites[a.Site]++
		if a.City != "" {
			cities[a.City]++
		}
		days[a.Seen.UTC().Format("2006-01-02")]++
	}
	cv.SiteCounts, cv.CityCounts = ranked(sites), ranked(cities)
	for d, n := range days {
		cv.Timeline = append(cv.Timeline, Count{d, n})
	}
	sort.Slice(cv.Timeline, func(i, j int) bool { return cv.Timeline[i].Label < cv.Timeline[j].Label })
	cv.Bars, cv.Axis = bars(cv.Timeline)

	ids := make([]string, 0, MaxMembers)
	for _, a := range cv.Ads {
		if len(ids) == MaxMembers {
			break
		}
		ids = append(ids, a.ID)
	}
	vs, _, err := v.ads.List(ctx, store.Filter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return cv, fmt.Errorf("network: %w", err)
	}
	byID := map[string]Member{}
	for _, x := range vs {
		byID[x.Ad.ID] = Member{ID: x.Ad.ID, Title: x.Ad.Title, Body: x.Ad.Body, Location: x.Ad.Location}
	}
	ms := make([]Member, 0, len(ids))
	for _, id := range ids {
		if m, ok := byID[id]; ok {
			ms = append(ms, m)
		}
	}
	cv.Representative = Represent(ms)
	cv.Graph = layout(cv.Ads, cv.ContactList, ms, v.threshold)
	return cv, nil
}

func ranked(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].N > out[j].N || out[i].N == out[j].N && out[i].Label < out[j].Label
	})
	return out
}

// Chart size of the timeline.
const (
	timelineW, timelineH = 640.0, 120.0
	// maxDayBins is the longest span drawn one bar per day; longer spans
	// get one bar per week (Monday to Sunday).
	maxDayBins = 92
)

// Axis labels the ends of the timeline: its first and last bin.
type Axis struct {
	From, To string // dates, YYYY-MM-DD
	Unit     string // "day" or "week"
}

// bars lays the per-day counts out on a time axis from the first to the
// last day, so gaps between postings show as gaps: one bin per day, or per
// week when the span is longer than maxDayBins days.
func bars(ts []Count) ([]Bar, Axis) {
	if len(ts) == 0 {
		return nil, Axis{}
	}
	type dated struct {
		t time.Time
		n int
	}
	var ds []dated
	for _, c := range ts {
		t, err := time.Parse("2006-01-02", c.Label)
		if err != nil {
			continue
		}
		ds = append(ds, dated{t, c.N})
	}
	if len(ds) == 0 {
		return nil, Axis{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].t.Before(ds[j].t) })
	first, last := ds[0].t, ds[len(ds)-1].t
	ax := Axis{Unit: "day"}
	bin := func(t time.Time) time.Time { return t }
	step := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	if last.Sub(first) > maxDayBins*24*time.Hour {
		ax.Unit = "week"
		bin = func(t time.Time) time.Time { return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) }
		step = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	}
	counts := map[time.Time]int{}
	for _, d := range ds {
		counts[bin(d.t)] += d.n
	}
	var keys []time.Time
	for t := bin(first); !t.After(bin(last)); t = step(t) {
		keys = append(keys, t)
	}
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	w := math.Min(40, timelineW/float64(len(keys)))
	var out []Bar
	for i, k := range keys {
		n := counts[k]
		if n == 0 {
			continue
		}
		h := math.Max(1, float64(n)/float64(top)*(timelineH-20))
		out = append(out, Bar{Count: Count{k.Format("2006-01-02"), n}, X: float64(i) * w, Y: timelineH - h, W: math.Max(1, w-1), H: h})
	}
	ax.From, ax.To = keys[0].Format("2006-01-02"), keys[len(keys)-1].Format("2006-01-02")
	return out, ax
}

// AdNetwork is what the ad page shows of an ad's network.
type AdNetwork struct {
	Cluster  string                 `json:"cluster"`
	Size     int                    `json:"size"`
	Contacts []store.ContactSummary `json:"contacts"`
	Network  network.Explanation    `json:"network"`
}

// Ad returns the network of one ad, or an error wrapping
// store.ErrNoCluster when the engine has not seen it.
func (v *NetworkViews) Ad(ctx context.Context, adID string) (AdNetwork, error) {
	cl, size, err := v.st.ClusterOf(ctx, adID)
	if err != nil {
		return AdNetwork{}, fmt.Errorf("network: %w", err)
	}
	av := AdNetwork{Cluster: cl, Size: size}
	if av.Contacts, err = v.st.AdContacts(ctx, adID); err != nil {
		return av, fmt.Errorf("network: %w", err)
	}
	facts, err := v.facts(ctx, cl, adID, av.Contacts)
	if err != nil {
		return av, err
	}
	av.Network = network.Score(facts, v.w)
	return av, nil
}

// ClusterIDs returns the IDs of a cluster's ads (up to store.MaxBatch),
// for a decision on the whole cluster.
func (v *NetworkViews) ClusterIDs(ctx context.Context, id string) ([]string, error) {
	if _, err := v.st.Cluster(ctx, id); err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	ids, err := v.st.ClusterIDs(ctx, id, store.MaxBatch)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	return ids, nil
}

// ContactView is one contact over all ads, with the networks using it.
type ContactView struct {
	store.ContactSummary
	Clusters []string `json:"clusters"`
}

// Contact looks a contact up in the index of all ads: a phone in E.164
// ("+37369123456"), an e-mail or a messenger handle (case-insensitive).
// It returns an error wrapping store.ErrNoCluster when no ad uses it.
func (v *NetworkViews) Contact(ctx context.Context, value string) (ContactView, error) {
	value = strings.TrimSpace(value)
	if !strings.HasPrefix(value, "+") {
		value = strings.ToLower(value)
	}
	c, err := v.st.Contact(ctx, value)
	if err != nil {
		return ContactView{}, fmt.Errorf("network: %w", err)
	}
	cv := ContactView{ContactSummary: c, Clusters: []string{}}
	seen := map[string]bool{}
	for _, id := range c.AdIDs {
		cl, _, err := v.st.ClusterOf(ctx, id)
		if err != nil {
			return cv, fmt.Errorf("network: %w", err)
		}
		if !seen[cl] {
			seen[cl] = true
			cv.Clusters = append(cv.Clusters, cl)
		}
	}
	return cv, nil
}
