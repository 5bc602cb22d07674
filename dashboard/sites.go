package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lurewatch/lure/store"
)

// maxListedSites bounds the valid sites an error message lists.
const maxListedSites = 50

// siteSet is the sites a webhook subscription may cover: site IDs and
// the host names that stand for them.
type siteSet struct {
	sites  []Site              // sorted by name
	names  map[string]bool     // site IDs
	byHost map[string][]string // normalised host → site IDs, sorted
}

func newSiteSet(sites []Site) siteSet {
	ss := siteSet{names: map[string]bool{}, byHost: map[string][]string{}}
	for _, s := range sites {
		if s.Name == "" || ss.names[s.Name] {
			continue
		}
		ss.names[s.Name] = true
		ss.sites = append(ss.sites, s)
		for _, h := range s.Hosts {
			if k := siteHost(h); k != "" && !slices.Contains(ss.byHost[k], s.Name) {
				ss.byHost[k] = append(ss.byHost[k], s.Name)
			}
		}
	}
	slices.SortFunc(ss.sites, func(a, b Site) int { return strings.Compare(a.Name, b.Name) })
	for _, names := range ss.byHost {
		slices.Sort(names)
	}
	return ss
}

// siteHost normalises a host name, or the host of a URL, for matching:
// lowercase, without port, trailing dot or leading "www.". It is "" for
// what has no host.
func siteHost(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !strings.Contains(s, "://") {
		s = "//" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSuffix(u.Hostname(), "."), "www.")
}

// knownSites is the set of Options.Sites, or of the stored ads' sites
// when it is nil.
func (s *server) knownSites(ctx context.Context) (siteSet, error) {
	if s.opts.Sites != nil {
		return s.sites, nil
	}
	names, err := s.db.Sites(ctx)
	if err != nil {
		return siteSet{}, err
	}
	sites := make([]Site, len(names))
	for i, n := range names {
		sites[i] = Site{Name: n}
	}
	return newSiteSet(sites), nil
}

// resolve maps each name of a subscription's sites, a site ID or a host
// name of one site, to its site ID, in order and without duplicates. An
// unknown name, or a host of several sites, is a store.ErrBadSubscription
// saying which names are valid.
func (ss siteSet) resolve(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	var unknown []string
	for _, raw := range in {
		name := strings.TrimSpace(raw)
		id := ""
		switch hosts := ss.byHost[siteHost(name)]; {
		case ss.names[name]:
			id = name
		case ss.names[strings.ToLower(name)]:
			id = strings.ToLower(name)
		case len(hosts) == 1:
			id = hosts[0]
		case len(hosts) > 1:
			return nil, fmt.Errorf("%w: site %q is a host of several sites (%s): name one of them",
				store.ErrBadSubscription, name, strings.Join(hosts, ", "))
		default:
			unknown = append(unknown, strconv.Quote(name))
			continue
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(unknown) == 0 {
		return out, nil
	}
	what := "unknown site "
	if len(unknown) > 1 {
		what = "unknown sites "
	}
	return nil, fmt.Errorf("%w: %s%s; %s", store.ErrBadSubscription, what, strings.Join(unknown, ", "), ss.describe())
}

// describe lists the valid sites, each with its host names where they
// name it alone.
func (ss siteSet) describe() string {
	if len(ss.sites) == 0 {
		return "no site is known yet"
	}
	var b strings.Builder
	b.WriteString("valid sites: ")
	for i, s := range ss.sites {
		if i == maxListedSites {
			fmt.Fprintf(&b, ", and %d more", len(ss.sites)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Name)
		var own []string
		for _, h := range s.Hosts {
			if len(ss.byHost[siteHost(h)]) == 1 && !slices.Contains(own, strings.ToLower(h)) {
				own = append(own, strings.ToLower(h))
			}
		}
		if len(own) > 0 {
			b.WriteString(" (" + strings.Join(own, ", ") + ")")
		}
	}
	return b.String()
}

// list is the site IDs, sorted.
func (ss siteSet) list() []string {
	out := make([]string, len(ss.sites))
	for i, s := range ss.sites {
		out[i] = s.Name
	}
	return out
}
